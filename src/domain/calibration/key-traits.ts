/**
 * The traits worth putting on the one-page ICP: segments that win clearly more (or less) often
 * than the base rate, and the ones that win at the largest deal size or the shortest cycle. Only
 * segments with enough deals count, and "clearly" means the whole 95 % interval is on one side of
 * the base rate by at least half a percentage point (a tolerance for rounding at 0 % and 100 %),
 * so a lucky handful of deals never becomes a trait. Attributes flagged as possible leakage are
 * never traits.
 */
import { MISSING_SEGMENT, OTHER_SEGMENT } from './bucketing.ts';
import type { DealAnalysis, SegmentStats } from './segment-analysis.ts';

export interface Trait extends SegmentStats {
  attribute: string;
}

export interface KeyTraits {
  /** Win clearly more often than the base rate; highest lift first. */
  winning: Trait[];
  /** Win clearly less often; lowest lift first. */
  losing: Trait[];
  /** Largest median won amount (segments with at least `minWon` won deals). */
  largestDeals: Trait[];
  /** Shortest median cycle of won deals. */
  fastest: Trait[];
}

export interface TraitOptions {
  /** Most traits per list (default 6; 3 for deal size and speed). */
  limit?: number;
  /** Fewest won deals for a median to mean something (default 10). */
  minWon?: number;
  /** How far (in rate) the whole interval must be from the base rate (default 0.005). */
  margin?: number;
}

/** Half a percentage point: an interval closer than this to the base rate does not exclude it. */
export const TRAIT_MARGIN = 0.005;

export function keyTraits(analysis: DealAnalysis, options: TraitOptions = {}): KeyTraits {
  const limit = options.limit ?? 6;
  const minWon = options.minWon ?? 10;
  const real = (s: SegmentStats): boolean => s.n > 0 && s.key !== MISSING_SEGMENT && s.key !== OTHER_SEGMENT;
  const all: Trait[] = analysis.attributes
    // An attribute with a single segment (numeric bands merged to "any value") sets no one apart.
    .filter((a) => a.leak === undefined && a.segments.filter(real).length >= 2)
    .flatMap((a) => a.segments.filter((s) => !s.small && real(s)).map((s) => ({ ...s, attribute: a.attribute })));
  const base = analysis.baseRate;
  const margin = options.margin ?? TRAIT_MARGIN;
  // Compared with a margin, not bare `>`: a Wilson bound computed as 0.9999999999999999 must not
  // read as "below" a base rate of 1, nor 1e-17 as "above" a base rate of 0.
  const winning = all.filter((t) => t.interval.low - base > margin).sort((a, b) => (b.lift ?? 0) - (a.lift ?? 0)).slice(0, limit);
  const losing = all.filter((t) => base - t.interval.high > margin).sort((a, b) => (a.lift ?? 0) - (b.lift ?? 0)).slice(0, limit);
  const withWon = all.filter((t) => t.won >= minWon);
  const largestDeals = withWon
    .filter((t) => t.medianWonAmount !== undefined)
    .sort((a, b) => (b.medianWonAmount as number) - (a.medianWonAmount as number))
    .slice(0, 3);
  const fastest = withWon
    .filter((t) => t.medianWonCycleDays !== undefined)
    .sort((a, b) => (a.medianWonCycleDays as number) - (b.medianWonCycleDays as number))
    .slice(0, 3);
  return { winning, losing, largestDeals, fastest };
}
