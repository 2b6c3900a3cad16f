/**
 * Buying roles, to the letter of PRODUCT.md §2: a person's role from an explicit CRM role or their
 * job title, the priority of the (account, role) couple, and an account's committee coverage.
 * `compileRoles` does the model-side work once (normalised patterns in a lookup by word sequence) so
 * that resolving a person only walks the words of its title. Pure and synchronous.
 */
import type { Attributes, IcpModel, RoleDef, Tier } from './types.ts';

/** The role value of a person with no role. */
export const NO_ROLE = 'none';

/** Priority tiers when the model has none: P1 ≥ 60, P2 ≥ 40, P3 ≥ 20, P4 ≥ 0. */
export const DEFAULT_PRIORITY_TIERS: readonly Tier[] = Object.freeze([
  { name: 'P1', min: 60 },
  { name: 'P2', min: 40 },
  { name: 'P3', min: 20 },
  { name: 'P4', min: 0 },
]);

/** Where a person's explicit role comes from. */
export type RoleCrm = 'hubspot' | 'salesforce';

export interface PersonInput {
  /** Job title as read; null or empty when unknown. */
  title: string | null;
  /** Explicit CRM role values (HubSpot `hs_buying_role` values; Salesforce contact-role `Role`s). */
  explicit: readonly string[];
}

export interface TitleMatch {
  role: string;
  /** The pattern as written in the model. */
  pattern: string;
}

export interface RoleResolution {
  /** Role id, or `none`. */
  role: string;
  /** The role's label; `none` for no role. */
  label: string;
  points: number;
  /** `crm`: an explicit CRM role decided; `title`: the job title; `none`: no candidate. */
  source: 'crm' | 'title' | 'none';
  /** The explicit values that some role lists, in the order given. */
  explicit: readonly string[];
  /** Every (role, pattern) that matched the title, in model order (empty when the title was not used). */
  matched: readonly TitleMatch[];
  /** The `ignoreTitles` pattern that matched, when one did and no explicit role decided. */
  ignoredBy?: string;
  /** One sentence for RevOps: why this role. */
  why: string;
}

export interface Priority {
  /** 0..100; null for a person without an account. */
  priority: number | null;
  /** Priority tier name (the excluded tier for an excluded account); null without an account. */
  tier: string | null;
}

export interface Coverage {
  /** 0..100 */
  coverage: number;
  /** Labels of the uncovered required roles, in model order, joined by `; ` (`""` when none). */
  missing: string;
}

export interface CompiledRoles {
  readonly roles: readonly RoleDef[];
  /** Ids of the required roles, in model order. */
  readonly requiredRoles: readonly string[];
  /** Priority tier names in model order, then the excluded tier: every value the field can take. */
  readonly priorityTierNames: readonly string[];
  resolve(person: PersonInput, crm: RoleCrm): RoleResolution;
  /** The couple's priority; `accountScore` null = the person has no account. */
  priority(accountScore: number | null, points: number, excluded: boolean): Priority;
  /** Coverage of an account whose people hold `held` (role ids); null when no role is required. */
  coverage(held: Iterable<string>): Coverage | null;
  /**
   * The CRM value that says this role: the role's first `hubspot`/`salesforce` value that resolves
   * back to it (a value another role with more points also lists would not). Undefined when none.
   */
  crmValueOf(role: string, crm: RoleCrm): string | undefined;
}

const COMBINING_MARKS = /\p{M}/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

/**
 * Title text: NFKD, combining marks removed, lower-cased, every character that is not a letter or
 * digit replaced by a space, spaces collapsed, trimmed. `"Directeur Général (DG)"` → `"directeur general dg"`.
 */
export function normalizeTitle(s: string): string {
  return s.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(NOT_LETTER_OR_DIGIT, ' ').trim();
}

/** Whether `pattern` matches `title` as whole words (both already normalised). */
export function titleMatches(title: string, pattern: string): boolean {
  return pattern !== '' && ` ${title} `.includes(` ${pattern} `);
}

interface PatternHit {
  /** Index of the role in the list, or -1 for an `ignoreTitles` pattern. */
  role: number;
  pattern: string;
}

/**
 * Normalised pattern → who listed it. A pattern matches a title exactly when it equals one of the
 * title's runs of consecutive words, so a title of n words needs at most n × (longest pattern in
 * words) lookups instead of one scan per pattern.
 */
class PatternIndex {
  private readonly hits = new Map<string, PatternHit[]>();
  private maxWords = 0;

  add(pattern: string, role: number): void {
    const norm = normalizeTitle(pattern);
    if (norm === '') return;
    const list = this.hits.get(norm) ?? [];
    if (!list.some((h) => h.role === role)) list.push({ role, pattern });
    this.hits.set(norm, list);
    this.maxWords = Math.max(this.maxWords, norm.split(' ').length);
  }

  /** Every hit whose pattern is a run of words of `title` (normalised), once per (role, pattern). */
  find(title: string): PatternHit[] {
    if (title === '' || this.maxWords === 0) return [];
    const words = title.split(' ');
    const found: PatternHit[] = [];
    const seen = new Set<string>();
    for (let start = 0; start < words.length; start++) {
      let run = '';
      for (let n = 1; n <= this.maxWords && start + n <= words.length; n++) {
        run = n === 1 ? (words[start] ?? '') : `${run} ${words[start + n - 1] ?? ''}`;
        if (seen.has(run)) continue;
        const hits = this.hits.get(run);
        if (hits === undefined) continue;
        seen.add(run);
        found.push(...hits);
      }
    }
    return found;
  }
}

/**
 * A person's title and explicit CRM roles from its attributes: `job_title`, and `buying_role` as a
 * list or a `;`-separated text (HubSpot multi-value properties read that way).
 */
export function personInput(attributes: Attributes): PersonInput {
  const title = attributes['job_title'];
  const role = attributes['buying_role'];
  const explicit = (Array.isArray(role) ? role : typeof role === 'string' ? role.split(';') : [])
    .map((v) => (typeof v === 'string' ? v.trim() : ''))
    .filter((v) => v !== '');
  return { title: typeof title === 'string' ? title : title == null ? null : String(title), explicit };
}

/** Half-up rounding of the couple's priority: ⌊score × points + 0.5 + 1e-9⌋. */
function couplePriority(score: number, points: number): number {
  return Math.floor(score * points + 0.5 + 1e-9);
}

/**
 * Compiles the model's `roles` and `priorityTiers`. Returns null when the model has no roles: it
 * then scores accounts only.
 */
export function compileRoles(model: IcpModel): CompiledRoles | null {
  const set = model.roles;
  if (set === undefined) return null;
  const roles = set.list;
  const defaultPoints = set.defaultPoints;
  const titles = new PatternIndex();
  roles.forEach((r, i) => {
    for (const t of r.titles) titles.add(t, i);
  });
  const ignore = new PatternIndex();
  for (const t of set.ignoreTitles) ignore.add(t, -1);
  const byCrm: Record<RoleCrm, Map<string, number[]>> = { hubspot: new Map(), salesforce: new Map() };
  roles.forEach((r, i) => {
    for (const crm of ['hubspot', 'salesforce'] as const) {
      for (const v of r[crm]) {
        const list = byCrm[crm].get(v) ?? [];
        if (!list.includes(i)) list.push(i);
        byCrm[crm].set(v, list);
      }
    }
  });
  const priorityTiers = model.priorityTiers ?? DEFAULT_PRIORITY_TIERS;
  const byMinDesc = [...priorityTiers].sort((a, b) => b.min - a.min);
  const tierByPriority: string[] = [];
  for (let p = 0; p <= 100; p++) tierByPriority.push(byMinDesc.find((t) => t.min <= p)?.name ?? model.excludedTier);
  const required = roles.filter((r) => r.required);

  /** The best candidate: highest points, ties to the earlier role. */
  function best(candidates: Iterable<number>): RoleDef | undefined {
    let winner = -1;
    for (const i of candidates) {
      const r = roles[i];
      const w = roles[winner];
      if (r !== undefined && (w === undefined || r.points > w.points || (r.points === w.points && i < winner))) winner = i;
    }
    return roles[winner];
  }

  function resolve(person: PersonInput, crm: RoleCrm): RoleResolution {
    const explicitHits = new Set<number>();
    const explicit: string[] = [];
    for (const v of person.explicit) {
      const hits = byCrm[crm].get(v);
      if (hits === undefined) continue;
      if (!explicit.includes(v)) explicit.push(v);
      for (const i of hits) explicitHits.add(i);
    }
    const fromCrm = best(explicitHits);
    const title = person.title === null ? '' : normalizeTitle(person.title);
    if (fromCrm !== undefined) {
      return {
        role: fromCrm.id,
        label: fromCrm.label,
        points: fromCrm.points,
        source: 'crm',
        explicit,
        matched: [],
        why: `the CRM role ${explicit.map((v) => JSON.stringify(v)).join(', ')} means ${fromCrm.label}${explicitHits.size > 1 ? ' (the candidate with the most points)' : ''}`,
      };
    }
    const noRole = (why: string, ignoredBy?: string): RoleResolution => ({
      role: NO_ROLE,
      label: NO_ROLE,
      points: defaultPoints,
      source: 'none',
      explicit,
      matched: [],
      ...(ignoredBy === undefined ? {} : { ignoredBy }),
      why,
    });
    const ignored = ignore.find(title)[0];
    if (ignored !== undefined) return noRole(`the title matches the ignored pattern ${JSON.stringify(ignored.pattern)}: no inferred role`, ignored.pattern);
    const hits = titles.find(title).sort((a, b) => a.role - b.role);
    const fromTitle = best(hits.map((h) => h.role));
    const matched = hits.map((h) => ({ role: roles[h.role]?.id ?? '', pattern: h.pattern }));
    if (fromTitle !== undefined) {
      const pattern = hits.find((h) => roles[h.role] === fromTitle)?.pattern ?? '';
      const others = new Set(hits.map((h) => h.role)).size > 1;
      return {
        role: fromTitle.id,
        label: fromTitle.label,
        points: fromTitle.points,
        source: 'title',
        explicit,
        matched,
        why: `the title matches ${JSON.stringify(pattern)} (${fromTitle.label})${others ? '; among the matching roles it has the most points, ties to the earlier role' : ''}`,
      };
    }
    return noRole(title === '' ? 'no job title and no CRM role that a role lists' : 'no title pattern and no CRM role that a role lists');
  }

  function priority(accountScore: number | null, points: number, excluded: boolean): Priority {
    if (accountScore === null) return { priority: null, tier: null };
    if (excluded) return { priority: 0, tier: model.excludedTier };
    const p = Math.min(100, Math.max(0, couplePriority(accountScore, points)));
    return { priority: p, tier: tierByPriority[p] ?? model.excludedTier };
  }

  function coverage(held: Iterable<string>): Coverage | null {
    if (required.length === 0) return null;
    const have = new Set(held);
    const missing = required.filter((r) => !have.has(r.id));
    const covered = required.length - missing.length;
    return {
      coverage: Math.floor((100 * covered) / required.length + 0.5),
      missing: missing.map((r) => r.label).join('; '),
    };
  }

  function crmValueOf(role: string, crm: RoleCrm): string | undefined {
    const def = roles.find((r) => r.id === role);
    return def?.[crm].find((v) => best(byCrm[crm].get(v) ?? []) === def);
  }

  return {
    roles,
    requiredRoles: required.map((r) => r.id),
    crmValueOf,
    priorityTierNames: [...priorityTiers.map((t) => t.name), model.excludedTier],
    resolve,
    priority,
    coverage,
  };
}
