/**
 * One calibration run over deals already read: deduplicate per account, describe the segments,
 * measure the current model, fit a suggestion on the training part and measure it on the held-out
 * part, place both models on the base population. Pure: the caller reads inputs and writes outputs.
 */
import { compileModel } from '../scorer.ts';
import type { Attributes, IcpModel } from '../types.ts';
import type { ClosedDeal } from './deal.ts';
import { dedupeByAccount } from './dedupe.ts';
import { leakageFlags, type LeakFlag } from './leakage.ts';
import { analyzeObjections, type ObjectionAnalysis } from './objections.ts';
import { analyzeRoles, type RoleAnalysis } from './role-analysis.ts';
import { changeOf, diffModels, type ModelChange } from './model-diff.ts';
import { DEFAULT_RECHALLENGE_MONTHS, isRechallengeDue, rechallengeDate, RECHALLENGE_MONTHS_RANGE } from './rechallenge.ts';
import { evaluateModel, type ModelFit } from './model-fit.ts';
import { analyzeDeals, type DealAnalysis } from './segment-analysis.ts';
import { splitDeals } from './split.ts';
import { calibratedVersion, suggestModel, type Suggestion } from './suggest-model.ts';

export type CalibrationMode = 'deals' | 'best';
/** What one row of the analysis is: a closed deal, or an account (won if any of its deals was won). */
export type CalibrationUnit = 'deal' | 'account';

/** The words for the unit: `deals`/`accounts`, or best customers against the base. */
export function unitNoun(unit: CalibrationUnit, plural = true): string {
  return unit === 'deal' ? (plural ? 'deals' : 'deal') : plural ? 'accounts' : 'account';
}

export interface CalibrationOptions {
  mode: CalibrationMode;
  /**
   * The unit of analysis. Default: `deal` when most accounts have several closed deals (accounts
   * that buy again and again would all count as won), else `account`. `--best` is always `account`.
   */
  unit?: CalibrationUnit;
  current?: IcpModel;
  /** Accounts of the whole base, for tier distributions (default: the deals' accounts). */
  population?: readonly Attributes[];
  /** Share of accounts held out to measure the suggestion (default 0.3). */
  holdoutShare?: number;
  /** Seed of the split (default 1). */
  seed?: number;
  tierShares?: readonly number[];
  /** Attributes never analysed (identity columns). */
  ignore?: readonly string[];
  /** Attributes kept in the suggestion even when they look like leakage (`--keep-attribute`). */
  keep?: readonly string[];
  now: Date;
  /** Months until the ICP must be re-challenged, 6–12 (default 6). */
  rechallengeMonths?: number;
}

export interface TierCount {
  tier: string;
  n: number;
  share: number;
}

export interface CalibrationResult {
  mode: CalibrationMode;
  unit: CalibrationUnit;
  /** Why this unit: chosen by the user, or the automatic rule in words. */
  unitReason: string;
  /** Distinct accounts among the deals. */
  accounts: number;
  generatedAt: string;
  /** When the ICP must be re-challenged (`YYYY-MM-DD`), and from what date it is counted. */
  rechallengeBy: string;
  rechallenge: Rechallenge;
  dealsIn: number;
  accountsWithSeveralDeals: number;
  /** Earliest and latest close dates of every deal read (not only one per account). */
  window: { from?: string; to?: string };
  analysis: DealAnalysis;
  /** Attributes that look like leakage: analysed, but left out of the traits and the suggestion. */
  leakage: LeakFlag[];
  /** `absent`: attributes the current model reads that no deal carries (it is measured without them). */
  current?: { model: IcpModel; fit: ModelFit; holdoutFit: ModelFit; absent: string[] };
  /** Absent when the data cannot support one; `suggestionProblem` says why. */
  /**
   * `cautious`: too few best customers to hold some out; fitted on every account and measured on
   * the same ones (an optimistic measure), to be labelled as such wherever it is shown.
   */
  suggestion?: Suggestion & { holdoutFit: ModelFit; trainSize: number; holdoutSize: number; cautious?: boolean };
  /** Rows under which a segment is "small" (30, less on small best-customer bases). */
  minSample: number;
  suggestionProblem?: string;
  diff: ModelChange[];
  /**
   * Target functions: win rate by role present, on the rows of the analysis (deals or accounts)
   * that carry role information. Absent when no row does.
   */
  roles?: RoleAnalysis;
  /** Frequent objections of the lost deals (every lost deal read). Absent when none gives a reason. */
  objections?: ObjectionAnalysis;
  /** Tier distribution of the population under each model. */
  distribution: { population: 'base' | 'deals'; size: number; current?: TierCount[]; suggested?: TierCount[] };
}

/** Fewest won and fewest lost accounts in each part before a suggestion is attempted. */
const MIN_PER_CLASS = 10;
/** Best-customers mode on a small base: fewest best customers for a cautious model without a held-out part. */
export const MIN_CAUTIOUS = 5;
/** Segments under this many rows are "small" (never traits); less on small best-customer bases. */
export const MIN_SAMPLE = 30;

/**
 * A team's ten best customers in a base of 85 accounts: segments of 30 would leave nothing to
 * read. On bases under 240 accounts the best-customers mode lowers the segment minimum to an
 * eighth of the base (never under 10), for the traits and for the numeric bands alike.
 */
export function minSampleFor(mode: CalibrationMode, n: number): number {
  if (mode !== 'best') return MIN_SAMPLE;
  return Math.min(MIN_SAMPLE, Math.max(10, Math.round(n / 8)));
}

export interface Rechallenge {
  by: string;
  months: number;
  /** The date counted from: the suggested model's (today), else the current model's version date. */
  from: string;
  /** `suggested`: a new model is suggested today; `current`: no suggestion, the model in use is dated by its version; `run`: neither. */
  basis: 'suggested' | 'current' | 'run';
  /** The model in use is due now: today is on or after `by` (the rule the running service applies). */
  overdue: boolean;
}

/**
 * The date a model version names, when it names one: `2026.12` (first of the month), `2026.11.26`,
 * `2026-11-26`, `2026.11.26-calibrated`. `undefined` otherwise (`v3`, `2026`).
 */
export function versionDate(version: string): string | undefined {
  const m = /^(\d{4})[.-](\d{1,2})(?:[.-](\d{1,2}))?(?:$|[^0-9])/.exec(version.trim());
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 2000) return undefined;
  return date.toISOString().slice(0, 10);
}

function rechallengeOf(now: Date, months: number, suggested: boolean, current: IcpModel | undefined): Rechallenge {
  const today = now.toISOString().slice(0, 10);
  const dated = current === undefined ? undefined : versionDate(current.version);
  if (!suggested && dated !== undefined && dated <= today) {
    return { by: rechallengeDate(dated, months), months, from: dated, basis: 'current', overdue: isRechallengeDue(dated, now, months) };
  }
  return { by: rechallengeDate(now, months), months, from: today, basis: suggested ? 'suggested' : 'run', overdue: false };
}

function tierCounts(model: IcpModel, population: readonly Attributes[]): TierCount[] {
  const scorer = compileModel(model);
  const counts = new Map<string, number>(scorer.tierNames.map((t) => [t, 0]));
  for (const attrs of population) {
    const t = scorer.score(attrs).tier;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const order = [...[...model.tiers].sort((a, b) => b.min - a.min).map((t) => t.name), model.excludedTier];
  return order
    .filter((t) => t !== model.excludedTier || (counts.get(t) ?? 0) > 0)
    .map((tier) => ({ tier, n: counts.get(tier) ?? 0, share: population.length === 0 ? 0 : (counts.get(tier) ?? 0) / population.length }));
}

export function calibrate(input: readonly ClosedDeal[], options: CalibrationOptions): CalibrationResult {
  const months = options.rechallengeMonths ?? DEFAULT_RECHALLENGE_MONTHS;
  if (!Number.isInteger(months) || months < RECHALLENGE_MONTHS_RANGE.min || months > RECHALLENGE_MONTHS_RANGE.max) {
    throw new RangeError(`re-challenge months must be a whole number from ${RECHALLENGE_MONTHS_RANGE.min} to ${RECHALLENGE_MONTHS_RANGE.max}`);
  }
  const deduped = dedupeByAccount(input);
  const { dealsIn, accountsWithSeveralDeals } = deduped;
  const accounts = deduped.deals.length;
  const severalShare = accounts === 0 ? 0 : accountsWithSeveralDeals / accounts;
  let unit: CalibrationUnit;
  let unitReason: string;
  if (options.mode === 'best') {
    if (options.unit === 'deal') throw new RangeError('--best compares accounts: --unit deal does not apply');
    unit = 'account';
    unitReason = 'best customers and the base are accounts';
  } else if (options.unit !== undefined) {
    unit = options.unit;
    unitReason = `chosen with --unit ${unit}`;
  } else if (severalShare > 0.5) {
    unit = 'deal';
    unitReason = `chosen automatically: ${Math.round(100 * severalShare)} % of the accounts have several closed deals; --unit account counts each account once`;
  } else {
    unit = 'account';
    unitReason =
      accountsWithSeveralDeals === 0
        ? 'one closed deal per account'
        : `chosen automatically: most accounts have one closed deal; an account with several counts once, won if any deal was won; --unit deal counts deals`;
  }
  const deals = unit === 'deal' ? [...input] : deduped.deals;
  const ignore = new Set(options.ignore ?? []);
  const attributes = [...new Set(deals.flatMap((d) => Object.keys(d.attributes)))].filter((a) => !ignore.has(a));
  const hints = Object.fromEntries((options.current?.criteria ?? []).map((c) => [c.attribute, c.match.kind]));
  const minSample = minSampleFor(options.mode, deals.length);
  const sampling = minSample < MIN_SAMPLE ? { minSample, minBand: minSample } : {};
  const analysis = analyzeDeals(deals, { attributes, hints, ...sampling });
  const leakage = leakageFlags(deals, analysis.attributes, { keep: new Set(options.keep ?? []), separators: options.mode === 'deals' });
  for (const f of leakage) {
    const a = analysis.attributes.find((x) => x.attribute === f.attribute);
    if (a !== undefined) a.leak = f.reason;
  }
  const leaky = new Set(leakage.map((f) => f.attribute));
  const fitAttributes = attributes.filter((a) => !leaky.has(a));
  const dates = input.map((d) => d.closeDate).filter((d): d is string => d !== undefined).sort();
  const population = options.population ?? deduped.deals.map((d) => d.attributes);

  const result: CalibrationResult = {
    mode: options.mode,
    unit,
    unitReason,
    accounts,
    generatedAt: options.now.toISOString(),
    rechallengeBy: rechallengeDate(options.now, months),
    rechallenge: rechallengeOf(options.now, months, false, options.current),
    dealsIn,
    accountsWithSeveralDeals,
    window: { ...(dates[0] === undefined ? {} : { from: dates[0] }), ...(dates.length === 0 ? {} : { to: dates[dates.length - 1] }) },
    analysis,
    leakage,
    minSample,
    diff: [],
    distribution: { population: options.population === undefined ? 'deals' : 'base', size: population.length },
  };

  if (options.mode === 'deals') {
    const roles = analyzeRoles(deals, {
      minSample,
      ...(options.current?.roles === undefined ? {} : { roles: options.current.roles }),
    });
    if (roles.n > 0) result.roles = roles;
  }
  const finish = (): CalibrationResult => {
    if (options.mode === 'deals' && input.some((d) => !d.won && d.lostReason !== undefined && d.lostReason.trim() !== '')) {
      const model = result.suggestion?.model ?? options.current;
      const top = model === undefined ? undefined : [...model.tiers].sort((x, y) => y.min - x.min)[0]?.name;
      const scorer = model === undefined ? undefined : compileModel(model);
      result.objections = analyzeObjections(input, {
        ...(top === undefined || scorer === undefined ? {} : { topTier: { tier: top, tierOf: (attrs) => scorer.score(attrs).tier } }),
      });
    }
    result.rechallenge = rechallengeOf(options.now, months, result.suggestion !== undefined, options.current);
    result.rechallengeBy = result.rechallenge.by;
    return result;
  };

  // Split by account: every deal of an account lands in the same part, so the held-out measure
  // never sees an account the suggestion was fitted on.
  const accountSplit = splitDeals(deduped.deals, options.holdoutShare ?? 0.3, options.seed ?? 1);
  let train = accountSplit.train;
  let holdout = accountSplit.holdout;
  if (unit === 'deal') {
    const held = new Set(holdout.map((d) => d.account));
    train = deals.filter((d) => !held.has(d.account));
    holdout = deals.filter((d) => held.has(d.account));
  }
  const noun = unitNoun(unit);
  if (options.current !== undefined) {
    const scorer = compileModel(options.current);
    const seen = new Set(deals.flatMap((d) => Object.keys(d.attributes)));
    const absent = [...new Set(options.current.criteria.map((c) => c.attribute))].filter((a) => !seen.has(a));
    result.current = { model: options.current, fit: evaluateModel(deals, scorer), holdoutFit: evaluateModel(holdout, scorer), absent };
    result.distribution.current = tierCounts(options.current, population);
  }

  const classCounts = (part: readonly ClosedDeal[]): [number, number] => {
    const won = part.filter((d) => d.won).length;
    return [won, part.length - won];
  };
  if (options.mode === 'deals' && analysis.n > 0 && (analysis.won === analysis.n || analysis.won === 0)) {
    result.suggestionProblem =
      analysis.won === 0
        ? `every ${unitNoun(unit, false)} is lost: nothing tells what a customer looks like`
        : unit === 'account' && dealsIn > accounts
          ? `every account is won (an account counts as won if any of its deals was won): try --unit deal, or compare your best customers with the whole base (--best FILE with --base FILE or --crm NAME)`
          : `every ${unitNoun(unit, false)} is won: without lost deals, compare your best customers with the whole base instead (--best FILE with --base FILE or --crm NAME)`;
    return finish();
  }
  const tooFew = [...classCounts(train), ...classCounts(holdout)].some((c) => c < MIN_PER_CLASS);
  const [allWon, allLost] = classCounts(deals);
  const cautious = tooFew && options.mode === 'best' && allWon >= MIN_CAUTIOUS && allLost >= MIN_PER_CLASS;
  if (cautious) {
    train = deals;
    holdout = deals;
  } else if (tooFew) {
    result.suggestionProblem = `too few ${noun} to fit and measure a model: each of the training and held-out parts needs at least ${MIN_PER_CLASS} won and ${MIN_PER_CLASS} lost ${noun}`;
    return finish();
  }
  try {
    const suggestion = suggestModel(train, {
      attributes: fitAttributes,
      hints,
      version: calibratedVersion(options.now, options.current?.version),
      ...(options.current === undefined ? {} : { current: options.current }),
      ...(options.tierShares === undefined ? {} : { tierShares: options.tierShares }),
      ...(options.population === undefined ? {} : { population: options.population }),
      ...sampling,
    });
    const model = withSuggestedRoles(suggestion.model, options.current, result.roles);
    result.suggestion = {
      ...suggestion,
      model,
      holdoutFit: evaluateModel(holdout, compileModel(suggestion.model)),
      trainSize: train.length,
      holdoutSize: cautious ? 0 : holdout.length,
      ...(cautious ? { cautious: true } : {}),
    };
    result.distribution.suggested = tierCounts(suggestion.model, population);
    if (options.current !== undefined) {
      const why = new Map<string, string>();
      for (const c of options.current.criteria) if (!attributes.includes(c.attribute)) why.set(c.attribute, 'not in the data, so not assessed');
      for (const s of analysis.skipped) why.set(s.attribute, s.reason);
      for (const f of leakage) why.set(f.attribute, `possible leakage: ${f.reason}`);
      for (const v of suggestion.verdicts) if (v.leftOut !== undefined) why.set(v.attribute, v.leftOut);
      result.diff = [...diffModels(options.current, suggestion.model, why), ...roleChanges(result.roles)];
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    result.suggestionProblem = err.message;
  }
  return finish();
}

/** Changes to the roles' points and required, in the words of the model diff. */
function roleChanges(roles: RoleAnalysis | undefined): ModelChange[] {
  const out: ModelChange[] = [];
  for (const s of roles?.suggestions ?? []) {
    if (s.before === undefined) continue;
    const points = s.before.points === s.points ? {} : { points: { before: s.before.points, after: s.points } };
    const required = s.before.required === s.required ? {} : { required: s.required };
    if ('points' in points || 'required' in required) out.push(changeOf(`roles.${s.role}`, 'changed', { kind: 'role', label: s.label, ...points, ...required, why: s.why }));
  }
  return out;
}

/**
 * The suggested model keeps the current model's buying roles (titles, CRM values, priority tiers)
 * with the `points` and `required` the deals suggest for each role they can judge.
 */
function withSuggestedRoles(model: IcpModel, current: IcpModel | undefined, roles: RoleAnalysis | undefined): IcpModel {
  if (current?.roles === undefined) return model;
  const byId = new Map((roles?.suggestions ?? []).map((s) => [s.role, s]));
  return {
    ...model,
    roles: {
      ...current.roles,
      list: current.roles.list.map((r) => {
        const s = byId.get(r.id);
        return s === undefined ? r : { ...r, points: s.points, required: s.required };
      }),
    },
    ...(current.priorityTiers === undefined ? {} : { priorityTiers: current.priorityTiers }),
  };
}
