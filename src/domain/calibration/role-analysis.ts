/**
 * Target functions: how often deals (or accounts) win when a buying role was present on them, and
 * what that says about each role's `points` and `required` in the model (PRODUCT.md §2, `roles`).
 * Only rows that say which roles were present are read (CSV column `roles`, a CRM's contact roles);
 * the base rate, lifts and intervals are those of these rows. A role id the model does not define
 * is analysed and reported with its count, never dropped in silence. Pure.
 */
import { normalizeText } from '../normalize.ts';
import type { RoleDef, RoleSet } from '../types.ts';
import type { ClosedDeal } from './deal.ts';
import { smoothedRate, wilsonInterval, type Interval } from './statistics.ts';

/** Half a percentage point, as for key traits: an interval closer than this does not exclude a rate. */
const MARGIN = 0.005;
/** Pseudo-rows at the base rate when turning a role's win rate into points (as the suggested criteria). */
const PRIOR_STRENGTH = 20;

export interface RateWithInterval {
  n: number;
  won: number;
  /** won / n (0 when n = 0). */
  winRate: number;
  interval: Interval;
}

export type RoleVerdict = 'wins more' | 'wins less' | 'no clear effect' | 'too few';

export interface RoleStats {
  /** Role id as the model (or, for an unknown id, the data) spells it. */
  role: string;
  /** The model's label; the id for an unknown role. */
  label: string;
  /** Whether the model's `roles` section defines this id. */
  known: boolean;
  /** Rows where the role was present. */
  present: RateWithInterval;
  /** Rows (with role information) where it was not. */
  absent: RateWithInterval;
  /** Win rate when present over the base rate of rows with role information. */
  lift: number | undefined;
  /** Fewer than `minSample` rows with, or without, the role: shown, never concluded on. */
  small: boolean;
  /**
   * `wins more`/`wins less`: the whole 95 % interval of the rows with the role lies above/below the
   * rate of the rows without it (by half a point). Otherwise `no clear effect`, or `too few` rows.
   */
  verdict: RoleVerdict;
}

export interface RoleSuggestion {
  role: string;
  label: string;
  points: number;
  required: boolean;
  /** The current model's values, when it defines the role. */
  before?: { points: number; required: boolean };
  /** Why, in one sentence. */
  why: string;
}

export interface RoleAnalysis {
  /** Rows that say which roles were present (the others are not read here). */
  n: number;
  won: number;
  baseRate: number;
  /** Rows without any role information. */
  withoutInformation: number;
  /** Every role of the model, then every unknown id seen, most present first within each group. */
  roles: RoleStats[];
  /** Ids the model does not define, with the number of rows carrying each, most frequent first. */
  unknown: { id: string; rows: number }[];
  /** Suggested `points` and `required` per role of the model; empty when the model has no roles. */
  suggestions: RoleSuggestion[];
}

export interface RoleAnalysisOptions {
  /** The model's roles; without them every id is unknown and nothing is suggested. */
  roles?: RoleSet;
  /** Rows under which a side (with or without the role) is small (default 30). */
  minSample?: number;
}

function rate(won: number, n: number): RateWithInterval {
  return { n, won, winRate: n === 0 ? 0 : won / n, interval: wilsonInterval(won, n) };
}

/**
 * Resolves a role as written in the data to the model's id: the id itself (any case), else the
 * role's label without accents or case ("Décideur" → decision_maker). Unknown ids come back
 * normalised (lower case, trimmed) so that "Champion" and "champion" are counted together.
 */
export function roleResolver(roles: RoleSet | undefined): (raw: string) => { id: string; known: boolean } {
  const byKey = new Map<string, string>();
  for (const r of roles?.list ?? []) {
    byKey.set(normalizeText(r.id).toLowerCase(), r.id);
    byKey.set(normalizeText(r.label).toLowerCase(), r.id);
  }
  return (raw) => {
    const key = normalizeText(raw).toLowerCase().replace(/\s+/g, ' ');
    const id = byKey.get(key) ?? byKey.get(key.replace(/[\s-]+/g, '_'));
    return id === undefined ? { id: key, known: false } : { id, known: true };
  };
}

function verdictOf(present: RateWithInterval, absent: RateWithInterval, minSample: number): RoleVerdict {
  if (present.n < minSample || absent.n < minSample) return 'too few';
  if (present.interval.low - absent.winRate > MARGIN) return 'wins more';
  if (absent.winRate - present.interval.high > MARGIN) return 'wins less';
  return 'no clear effect';
}

function round05(x: number): number {
  return Math.round(x * 20) / 20;
}

/**
 * Points: the role's win rate when present, smoothed towards the base rate, over the best such
 * rate among the model's roles (the most winning role gets 1), rounded to 0.05, at least 0.05.
 * Required: deals with the role win clearly more than deals without it. A role with too few rows
 * keeps the model's values.
 */
function suggestRoles(stats: readonly RoleStats[], model: readonly RoleDef[], baseRate: number): RoleSuggestion[] {
  const known = stats.filter((s) => s.known);
  const smoothed = new Map(known.map((s) => [s.role, smoothedRate(s.present.won, s.present.n, baseRate, PRIOR_STRENGTH)]));
  const readable = known.filter((s) => s.verdict !== 'too few');
  const top = Math.max(0, ...readable.map((s) => smoothed.get(s.role) ?? 0));
  return model.map((def) => {
    const s = known.find((x) => x.role === def.id);
    const before = { points: def.points, required: def.required };
    if (s === undefined || s.verdict === 'too few' || top <= 0) {
      const n = s?.present.n ?? 0;
      return { role: def.id, label: def.label, points: def.points, required: def.required, before, why: `too few rows to judge (${n} with the role): kept as in the model` };
    }
    const points = Math.max(0.05, Math.min(1, round05((smoothed.get(def.id) ?? 0) / top)));
    const required = s.verdict === 'wins more';
    const pp = (x: number): string => `${(100 * x).toFixed(1)} %`;
    const rates = `${pp(s.present.winRate)} won with it, ${pp(s.absent.winRate)} without`;
    const why = s.verdict === 'wins more' ? `${rates}: wins clearly more` : s.verdict === 'wins less' ? `${rates}: wins clearly less` : `${rates}: no clear difference`;
    return { role: def.id, label: def.label, points, required, before, why };
  });
}

export function analyzeRoles(rows: readonly ClosedDeal[], options: RoleAnalysisOptions = {}): RoleAnalysis {
  const minSample = options.minSample ?? 30;
  const resolve = roleResolver(options.roles);
  const withInfo: { won: boolean; ids: Set<string> }[] = [];
  const unknownRows = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const r of rows) {
    if (r.roles === undefined) continue;
    const ids = new Set<string>();
    for (const raw of r.roles) {
      if (raw.trim() === '') continue;
      const { id, known } = resolve(raw);
      ids.add(id);
      if (!known) labels.set(id, labels.get(id) ?? raw.trim());
    }
    withInfo.push({ won: r.won, ids });
  }
  const n = withInfo.length;
  const won = withInfo.filter((x) => x.won).length;
  const baseRate = n === 0 ? 0 : won / n;
  const modelIds = (options.roles?.list ?? []).map((d) => d.id);
  const seen = new Map<string, number>();
  for (const x of withInfo) for (const id of x.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  const unknownIds = [...seen.keys()].filter((id) => !modelIds.includes(id));
  for (const id of unknownIds) unknownRows.set(id, seen.get(id) ?? 0);

  const statsOf = (id: string, known: boolean): RoleStats => {
    let pn = 0;
    let pw = 0;
    for (const x of withInfo) {
      if (!x.ids.has(id)) continue;
      pn++;
      if (x.won) pw++;
    }
    const present = rate(pw, pn);
    const absent = rate(won - pw, n - pn);
    const label = known ? ((options.roles?.list ?? []).find((d) => d.id === id)?.label ?? id) : (labels.get(id) ?? id);
    return {
      role: id,
      label,
      known,
      present,
      absent,
      lift: baseRate === 0 || pn === 0 ? undefined : present.winRate / baseRate,
      small: pn < minSample || n - pn < minSample,
      verdict: verdictOf(present, absent, minSample),
    };
  };
  const byPresence = (a: RoleStats, b: RoleStats): number => b.present.n - a.present.n || (a.role < b.role ? -1 : 1);
  const knownStats = modelIds.map((id) => statsOf(id, true)).sort(byPresence);
  const unknownStats = unknownIds.map((id) => statsOf(id, false)).sort(byPresence);
  const roles = [...knownStats, ...unknownStats];
  return {
    n,
    won,
    baseRate,
    withoutInformation: rows.length - n,
    roles,
    unknown: [...unknownRows.entries()].map(([id, count]) => ({ id, rows: count })).sort((a, b) => b.rows - a.rows || (a.id < b.id ? -1 : 1)),
    suggestions: options.roles === undefined || n === 0 ? [] : suggestRoles(roles, options.roles.list, baseRate),
  };
}
