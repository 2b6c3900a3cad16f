/**
 * The model the deals suggest. Per attribute, each segment's win rate is smoothed towards the base
 * rate and turned into a weight of evidence (log-odds over the base). Points rescale that evidence
 * to [0, 1] within the attribute; the weight is the attribute's log-odds swing (best segment minus
 * worst), so the score adds evidence the way a naive-Bayes ranking does. Attributes whose
 * information value says "not predictive" (< `minInformationValue`) are left out. Tiers come from
 * target shares of the scored population.
 */
import { compileModel } from '../scorer.ts';
import type { Attributes, Criterion, IcpModel, Matcher, Tier } from '../types.ts';
import { bandBounds, MISSING_SEGMENT, OTHER_SEGMENT, type SegmentSpec } from './bucketing.ts';
import type { ClosedDeal } from './deal.ts';
import { analyzeDeals, type AnalysisOptions, type AttributeAnalysis, type DealAnalysis } from './segment-analysis.ts';
import { smoothedRate } from './statistics.ts';
import { defaultShares, placeTiers } from './tier-placement.ts';

export interface SuggestOptions extends Omit<AnalysisOptions, 'specs'> {
  /** The model in use: its criterion ids, labels, tags, tier names and exclusions are kept. */
  current?: IcpModel;
  version: string;
  /** Model name (default: the current model's, else "Calibrated ICP"). */
  name?: string;
  /** Pseudo-deals at the base rate added to every segment (default 20). */
  priorStrength?: number;
  /** Attributes under this information value are left out (default 0.02: "not predictive"). */
  minInformationValue?: number;
  /**
   * Attributes whose segments could differ this much by chance (chi-square p-value above it) are
   * left out (default 0.05): on a small sample, noise can reach a fair information value.
   */
  maxPValue?: number;
  /** Most criteria kept, by information value (default 8). */
  maxCriteria?: number;
  /** Target share per tier, top first (default: 20/30/30/20 % for four tiers). */
  tierShares?: readonly number[];
  /** Accounts whose scores place the tiers (default: the deals). */
  population?: readonly Attributes[];
}

export interface AttributeVerdict {
  attribute: string;
  informationValue: number;
  /** Log-odds swing between the attribute's best and worst segment (smoothed). */
  spread: number;
  /** Weight in the suggested model, 0 when left out. */
  weight: number;
  /** Why the attribute is not in the suggested model. */
  leftOut?: string;
}

export interface Suggestion {
  model: IcpModel;
  analysis: DealAnalysis;
  /** Every analysed attribute, kept ones first by weight. */
  verdicts: AttributeVerdict[];
}

const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
const DEFAULT_TIERS = ['A', 'B', 'C', 'D'];

function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

interface Evidence {
  key: string;
  n: number;
  woe: number;
}

/** `neutral`: the points of base-rate evidence, for segments the deals never reached. */
function matcherFor(spec: SegmentSpec, points: ReadonlyMap<string, number>, neutral: number): Matcher | undefined {
  const p = (key: string): number => points.get(key) ?? neutral;
  switch (spec.kind) {
    case 'numeric': {
      if (spec.cuts.length === 0) return undefined;
      const bands = spec.cuts.map((_, i) => ({ ...bandBounds(spec, i), points: p(`band${i}`) }));
      bands.push({ ...bandBounds(spec, spec.cuts.length), points: p(`band${spec.cuts.length}`) });
      return { kind: 'range', bands };
    }
    case 'boolean':
      return { kind: 'boolean', ifTrue: p('true'), ifFalse: p('false') };
    case 'category':
    case 'prefix': {
      if (spec.values.length === 0) return undefined;
      const values: Record<string, number> = {};
      // Written as spelled in the data (`Software`, `BE`): the matcher normalises both sides.
      for (const v of spec.values) values[spec.kind === 'category' ? (spec.labels?.[v] ?? v) : v] = p(v);
      return { kind: spec.kind, values, default: p(OTHER_SEGMENT) };
    }
  }
}

function evidenceOf(a: AttributeAnalysis, baseRate: number, strength: number): Evidence[] {
  const base = logit(baseRate);
  return a.segments
    .filter((s) => s.key !== MISSING_SEGMENT && s.n > 0)
    .map((s) => ({ key: s.key, n: s.n, woe: logit(smoothedRate(s.won, s.n, baseRate, strength)) - base }));
}

export function suggestModel(deals: readonly ClosedDeal[], options: SuggestOptions): Suggestion {
  const current = options.current;
  const hints: Record<string, Matcher['kind']> = { ...options.hints };
  for (const c of current?.criteria ?? []) hints[c.attribute] ??= c.match.kind;
  const analysis = analyzeDeals(deals, { ...options, hints });
  if (analysis.won === 0 || analysis.won === analysis.n) {
    throw new RangeError('the deals must include both won and lost outcomes to suggest a model');
  }
  const strength = options.priorStrength ?? 20;
  const minIv = options.minInformationValue ?? 0.02;
  const maxCriteria = options.maxCriteria ?? 8;
  const maxP = options.maxPValue ?? 0.05;

  const verdicts: AttributeVerdict[] = [];
  const kept: { attribute: string; spread: number; matcher: Matcher }[] = [];
  for (const a of analysis.attributes) {
    const ev = evidenceOf(a, analysis.baseRate, strength);
    const lo = Math.min(...ev.map((e) => e.woe));
    const hi = Math.max(...ev.map((e) => e.woe));
    const spread = ev.length > 1 ? hi - lo : 0;
    const verdict: AttributeVerdict = { attribute: a.attribute, informationValue: a.informationValue, spread, weight: 0 };
    verdicts.push(verdict);
    let leftOut: string | undefined;
    if (!SNAKE_CASE.test(a.attribute)) leftOut = 'not a snake_case attribute name';
    else if (a.informationValue < minIv) leftOut = `not predictive (information value ${a.informationValue.toFixed(3)} < ${minIv})`;
    else if (a.pValue > maxP) leftOut = `could be chance (chi-square p = ${a.pValue.toPrecision(2)} > ${maxP})`;
    else if (spread <= 1e-6) leftOut = 'every segment wins at the same rate';
    else if (kept.length >= maxCriteria) leftOut = `beyond the ${maxCriteria} most predictive attributes`;
    const points = new Map(ev.map((e) => [e.key, round2(Math.min(1, Math.max(0, (e.woe - lo) / (spread || 1))))]));
    const neutral = round2(Math.min(1, Math.max(0, -lo / (spread || 1))));
    const matcher = leftOut === undefined ? matcherFor(a.spec, points, neutral) : undefined;
    if (leftOut === undefined && matcher === undefined) leftOut = 'no segment large enough to score';
    if (leftOut !== undefined || matcher === undefined) {
      verdict.leftOut = leftOut;
      continue;
    }
    kept.push({ attribute: a.attribute, spread, matcher });
  }
  if (kept.length === 0) throw new RangeError('no attribute separates won from lost deals: no model to suggest');

  const totalSpread = kept.reduce((s, k) => s + k.spread, 0);
  const usedIds = new Set<string>();
  const criteria: Criterion[] = kept
    .map((k) => ({ ...k, weight: Math.max(1, Math.round((100 * k.spread) / totalSpread)) }))
    .sort((x, y) => y.weight - x.weight || y.spread - x.spread)
    .map((k) => {
      const before = current?.criteria.find((c) => c.attribute === k.attribute);
      let id = before?.id ?? k.attribute;
      for (let i = 2; usedIds.has(id); i++) id = `${k.attribute}_${i}`;
      usedIds.add(id);
      const verdict = verdicts.find((v) => v.attribute === k.attribute) as AttributeVerdict;
      verdict.weight = k.weight;
      return {
        id,
        label: before?.label ?? k.attribute,
        attribute: k.attribute,
        weight: k.weight,
        ...(before?.tag === undefined ? {} : { tag: before.tag }),
        tagAt: before?.tagAt ?? 1,
        match: k.matcher,
      };
    });
  verdicts.sort((x, y) => y.weight - x.weight || y.informationValue - x.informationValue);

  const tierSource: readonly Tier[] =
    current !== undefined ? [...current.tiers].sort((a, b) => b.min - a.min) : DEFAULT_TIERS.map((name) => ({ name, min: 0 }));
  const shares = options.tierShares ?? defaultShares(tierSource.length);
  if (shares.length !== tierSource.length) {
    throw new RangeError(`${shares.length} tier shares given for ${tierSource.length} tiers`);
  }
  const draft: IcpModel = {
    version: options.version,
    name: options.name ?? current?.name ?? 'Calibrated ICP',
    tiers: [{ name: tierSource[tierSource.length - 1]?.name ?? 'D', min: 0 }],
    excludedTier: current?.excludedTier ?? 'X',
    criteria,
    exclusions: current?.exclusions ?? [],
  };
  const scorer = compileModel(draft);
  const population = options.population ?? deals.map((d) => d.attributes);
  const scores = population.map((attrs) => scorer.score(attrs)).filter((r) => !r.excluded).map((r) => r.score);
  const tiers = placeTiers(
    tierSource.map((t, i) => ({ name: t.name, share: shares[i] as number, ...(t.label === undefined ? {} : { label: t.label }) })),
    scores,
  );
  return { model: { ...draft, tiers }, analysis, verdicts };
}

/** A new version string for a model calibrated on `date`: `2026.11.26-calibrated` (suffix if taken). */
export function calibratedVersion(date: Date, current?: string): string {
  const base = `${date.toISOString().slice(0, 10).replaceAll('-', '.')}-calibrated`;
  if (current !== base && current?.startsWith(`${base}-`) !== true) return base;
  const n = current === base ? 2 : Number(current.slice(base.length + 1)) + 1;
  return `${base}-${Number.isFinite(n) ? n : 2}`;
}
