/**
 * Checks of the model's `roles` that span several values: unique ids, title patterns that cannot
 * match (empty once normalised, repeated, or silenced by an `ignoreTitles` pattern), roles nobody can
 * hold, and explicit CRM values one typo away from a standard value (they are compared exactly, so a
 * typo silently never matches).
 */
import { closest, type PathSegment, problem } from './model-problems.ts';
import { asArray, asRecord, checkUniqueIds } from './raw-document.ts';
import { normalizeTitle, titleMatches } from './roles.ts';

/** HubSpot's own `hs_buying_role` options (internal values). */
export const HUBSPOT_BUYING_ROLES: readonly string[] = [
  'BLOCKER', 'BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER',
  'LEGAL_AND_COMPLIANCE', 'OTHER',
];

/** Salesforce's standard `OpportunityContactRole.Role` picklist values. */
export const SALESFORCE_CONTACT_ROLES: readonly string[] = [
  'Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor',
  'Influencer', 'Technical Buyer', 'Other',
];

const STANDARD: Record<'hubspot' | 'salesforce', readonly string[]> = {
  hubspot: HUBSPOT_BUYING_ROLES,
  salesforce: SALESFORCE_CONTACT_ROLES,
};

function texts(v: unknown): Array<[number, string]> {
  return asArray(v).flatMap((x, i): Array<[number, string]> => (typeof x === 'string' ? [[i, x]] : []));
}

function checkPatterns(file: string, path: readonly PathSegment[], patterns: unknown, out: string[]): void {
  const seen = new Map<string, number>();
  for (const [i, p] of texts(patterns)) {
    const norm = normalizeTitle(p);
    if (norm === '') {
      if (p.trim() !== '') out.push(problem(file, [...path, i], 'has no letter or digit: it can never match a title'));
      continue;
    }
    const first = seen.get(norm);
    if (first === undefined) seen.set(norm, i);
    else out.push(problem(file, [...path, i], `same as ${path.at(-1)?.toString() ?? ''}[${first}] once normalised (${JSON.stringify(norm)})`));
  }
}

function checkCrmValues(file: string, path: readonly PathSegment[], crm: 'hubspot' | 'salesforce', values: unknown, out: string[]): void {
  const seen = new Set<string>();
  for (const [i, v] of texts(values)) {
    if (seen.has(v)) out.push(problem(file, [...path, i], `${JSON.stringify(v)} is listed twice`));
    seen.add(v);
    if (STANDARD[crm].includes(v)) continue;
    const hint = closest(v, STANDARD[crm]);
    if (hint !== undefined) {
      out.push(problem(file, [...path, i], `${JSON.stringify(v)} is compared exactly and is not a standard value (did you mean "${hint}"?)`));
    }
  }
}

/** Cross-value problems of the raw `roles` and `priorityTiers` sections, already formatted. */
export function checkRoles(file: string, doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const roles = asRecord(doc['roles']);
  if (roles === undefined) {
    if (doc['roles'] === undefined && doc['priorityTiers'] !== undefined) {
      out.push(problem(file, ['priorityTiers'], 'has no effect without roles: add roles or remove priorityTiers'));
    }
    return out;
  }
  const ignore = texts(roles['ignoreTitles']).map(([, p]) => normalizeTitle(p)).filter((p) => p !== '');
  checkPatterns(file, ['roles', 'ignoreTitles'], roles['ignoreTitles'], out);
  const list = asArray(roles['list']);
  checkUniqueIds(file, list, ['roles', 'list'], 'id', 'role id', out);
  list.forEach((item, i) => {
    const role = asRecord(item);
    if (role === undefined) return;
    const path = ['roles', 'list', i];
    checkPatterns(file, [...path, 'titles'], role['titles'], out);
    for (const [j, p] of texts(role['titles'])) {
      const norm = normalizeTitle(p);
      const silencer = ignore.find((ig) => titleMatches(norm, ig));
      if (norm !== '' && silencer !== undefined) {
        out.push(problem(file, [...path, 'titles', j], `never matches: every title containing it also contains the ignored pattern ${JSON.stringify(silencer)}`));
      }
    }
    checkCrmValues(file, [...path, 'hubspot'], 'hubspot', role['hubspot'], out);
    checkCrmValues(file, [...path, 'salesforce'], 'salesforce', role['salesforce'], out);
    const holdable = ['titles', 'hubspot', 'salesforce'].some((k) => asArray(role[k]).length > 0);
    if (!holdable) out.push(problem(file, path, 'nobody can hold this role: list titles, hubspot or salesforce values'));
  });
  return out;
}
