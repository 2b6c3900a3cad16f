/**
 * Which segments win most, fastest, at the best deal size: per attribute and per segment, the
 * counts, the win rate with its Wilson interval, the lift over the base rate, the weight of
 * evidence, and the median amount and cycle of the won deals. Segments under `minSample` deals
 * are flagged `small`: shown, never read as a trait.
 */
import type { Matcher } from '../types.ts';
import type { ClosedDeal } from './deal.ts';
import { inferSegments, segmentOf, segmentsOf, type InferOptions, type SegmentSpec } from './bucketing.ts';
import { chiSquareTest } from './chi-square.ts';
import { informationValue } from './information-value.ts';
import { median, wilsonInterval, type Interval } from './statistics.ts';

export interface SegmentStats {
  key: string;
  label: string;
  n: number;
  won: number;
  /** won / n (0 when n = 0). */
  winRate: number;
  interval: Interval;
  /** winRate / base rate; `undefined` when the base rate is 0. */
  lift: number | undefined;
  /** Weight of evidence (smoothed): > 0 leans won, < 0 leans lost. */
  woe: number;
  /** Median amount of the segment's won deals. */
  medianWonAmount: number | undefined;
  /** Median cycle (days) of the segment's won deals. */
  medianWonCycleDays: number | undefined;
  /** Fewer than `minSample` deals: too few to conclude anything. */
  small: boolean;
}

export interface AttributeAnalysis {
  attribute: string;
  spec: SegmentSpec;
  segments: SegmentStats[];
  informationValue: number;
  /** Chi-square test of segments × outcome: the chance of a spread this large by luck alone. */
  pValue: number;
  /** Share of deals where the attribute is missing. */
  missingShare: number;
  /** Set when the attribute looks like leakage (see leakage.ts): why it is left out. */
  leak?: string;
}

export interface SkippedAttribute {
  attribute: string;
  reason: string;
}

export interface DealAnalysis {
  n: number;
  won: number;
  baseRate: number;
  /** Sorted by information value, most discriminating first. */
  attributes: AttributeAnalysis[];
  skipped: SkippedAttribute[];
}

export interface AnalysisOptions extends Omit<InferOptions, 'hint'> {
  /** Attributes to analyse (default: every attribute seen on any deal). */
  attributes?: readonly string[];
  /** Matcher kind per attribute, from the current model. */
  hints?: Readonly<Record<string, Matcher['kind']>>;
  /** Segments below this many deals are flagged small (default 30). */
  minSample?: number;
  /** Segments fixed in advance (e.g. learnt on the training part), by attribute. */
  specs?: ReadonlyMap<string, SegmentSpec>;
}

/** Every attribute name present on at least one deal, in first-seen order. */
export function attributeNames(deals: readonly ClosedDeal[]): string[] {
  const seen = new Set<string>();
  for (const d of deals) for (const k of Object.keys(d.attributes)) seen.add(k);
  return [...seen];
}

/** Counts and rates for one attribute under a given segmentation. */
export function analyzeAttribute(
  deals: readonly ClosedDeal[],
  attribute: string,
  spec: SegmentSpec,
  baseRate: number,
  minSample = 30,
): AttributeAnalysis {
  const defs = segmentsOf(spec);
  const acc = new Map(defs.map((d) => [d.key, { n: 0, won: 0, amounts: [] as number[], cycles: [] as number[] }]));
  for (const deal of deals) {
    const a = acc.get(segmentOf(spec, deal.attributes[attribute]));
    if (a === undefined) continue;
    a.n++;
    if (deal.won) {
      a.won++;
      if (deal.wonAmounts !== undefined) a.amounts.push(...deal.wonAmounts);
      else if (deal.amount !== undefined) a.amounts.push(deal.amount);
      if (deal.wonCycles !== undefined) a.cycles.push(...deal.wonCycles);
      else if (deal.cycleDays !== undefined) a.cycles.push(deal.cycleDays);
    }
  }
  const counts = defs.map((d) => acc.get(d.key) as { n: number; won: number; amounts: number[]; cycles: number[] });
  const outcomes = counts.map((c) => ({ won: c.won, lost: c.n - c.won }));
  const iv = informationValue(outcomes);
  const segments: SegmentStats[] = [];
  defs.forEach((d, i) => {
    const c = counts[i] as { n: number; won: number; amounts: number[]; cycles: number[] };
    // Empty "other"/"missing" segments say nothing: leave them out of the table.
    if (c.n === 0 && (d.key.startsWith('(') || spec.kind === 'boolean')) return;
    const winRate = c.n === 0 ? 0 : c.won / c.n;
    segments.push({
      key: d.key,
      label: d.label,
      n: c.n,
      won: c.won,
      winRate,
      interval: wilsonInterval(c.won, c.n),
      lift: baseRate > 0 ? winRate / baseRate : undefined,
      woe: iv.buckets[i]?.woe ?? 0,
      medianWonAmount: median(c.amounts),
      medianWonCycleDays: median(c.cycles),
      small: c.n < minSample,
    });
  });
  const missing = acc.get('(missing)')?.n ?? 0;
  return {
    attribute,
    spec,
    segments,
    informationValue: iv.total,
    pValue: chiSquareTest(outcomes).pValue,
    missingShare: deals.length === 0 ? 0 : missing / deals.length,
  };
}

export function analyzeDeals(deals: readonly ClosedDeal[], options: AnalysisOptions = {}): DealAnalysis {
  const n = deals.length;
  const won = deals.filter((d) => d.won).length;
  const baseRate = n === 0 ? 0 : won / n;
  const attributes: AttributeAnalysis[] = [];
  const skipped: SkippedAttribute[] = [];
  for (const attribute of options.attributes ?? attributeNames(deals)) {
    let spec = options.specs?.get(attribute);
    if (spec === undefined) {
      const hint = options.hints?.[attribute];
      const inferred = inferSegments(
        deals.map((d) => d.attributes[attribute]),
        { ...options, ...(hint === undefined ? {} : { hint }) },
      );
      if (!inferred.ok) {
        skipped.push({ attribute, reason: inferred.reason });
        continue;
      }
      spec = inferred.spec;
    }
    attributes.push(analyzeAttribute(deals, attribute, spec, baseRate, options.minSample));
  }
  attributes.sort((a, b) => b.informationValue - a.informationValue);
  return { n, won, baseRate, attributes, skipped };
}
