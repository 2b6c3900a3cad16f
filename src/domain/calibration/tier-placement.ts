/**
 * Tier minimums from a target share of accounts per tier: with shares 20/30/30/20 %, the top tier's
 * minimum is the score reached by the best-scoring 20 % of the population, and so on down; the
 * lowest tier starts at 0. Ties on integer scores can make a tier larger than its target.
 */
import { quantileSorted } from './statistics.ts';

export interface TierTarget {
  name: string;
  label?: string;
  /** Target share of the population in this tier, 0..1. */
  share: number;
}

export interface PlacedTier {
  name: string;
  min: number;
  label?: string;
}

/** Default shares, top tier first: 20/30/30/20 % for four tiers, otherwise equal parts. */
export function defaultShares(count: number): number[] {
  if (count === 4) return [0.2, 0.3, 0.3, 0.2];
  return Array.from({ length: count }, () => 1 / count);
}

/**
 * Places tiers (top first) on the scores of a population. Minimums are whole numbers, strictly
 * decreasing, the last one 0; tiers that cannot get a distinct minimum (too few distinct scores)
 * are merged into the tier below them.
 */
export function placeTiers(targets: readonly TierTarget[], scores: readonly number[]): PlacedTier[] {
  if (targets.length === 0) throw new RangeError('at least one tier is needed');
  const sorted = [...scores].sort((a, b) => a - b);
  const total = targets.reduce((s, t) => s + t.share, 0);
  const mins: number[] = [];
  let cumulative = 0;
  targets.forEach((t, i) => {
    cumulative += t.share / (total > 0 ? total : 1);
    if (i === targets.length - 1) {
      mins.push(0);
      return;
    }
    const q = quantileSorted(sorted, 1 - cumulative);
    mins.push(q === undefined ? 100 - i : Math.min(100, Math.max(1, Math.ceil(q))));
  });
  const placed: PlacedTier[] = [];
  // From the bottom up: every minimum must sit strictly above the one below it.
  let floor = -1;
  for (let i = targets.length - 1; i >= 0; i--) {
    const t = targets[i] as TierTarget;
    const min = i === targets.length - 1 ? 0 : Math.max(mins[i] as number, floor + 1);
    if (min > 100) continue;
    placed.unshift({ name: t.name, min, ...(t.label === undefined ? {} : { label: t.label }) });
    floor = min;
  }
  return placed;
}
