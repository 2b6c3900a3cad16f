/**
 * Deterministic train/holdout split by account, stratified on the outcome: within the won and within
 * the lost deals, accounts are ordered by a seeded hash of their key and the first share goes to
 * the holdout. Each account lands in exactly one part (deals are deduplicated per account first),
 * so nothing learnt on the training part leaks into the measure; the same seed gives the same split.
 */
import type { ClosedDeal } from './deal.ts';

export interface Split {
  train: ClosedDeal[];
  holdout: ClosedDeal[];
}

/** FNV-1a 32-bit over the UTF-16 code units of `seed:key`. */
export function seededHash(key: string, seed: number): number {
  let h = 0x811c9dc5;
  const s = `${seed}:${key}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function splitDeals(deals: readonly ClosedDeal[], holdoutShare: number, seed: number): Split {
  if (!(holdoutShare > 0 && holdoutShare < 1)) throw new RangeError('holdout share must be between 0 and 1 (exclusive)');
  const train: ClosedDeal[] = [];
  const holdout: ClosedDeal[] = [];
  for (const outcome of [true, false]) {
    const group = deals
      .filter((d) => d.won === outcome)
      .map((d) => ({ d, h: seededHash(d.account, seed) }))
      .sort((a, b) => a.h - b.h || (a.d.account < b.d.account ? -1 : 1));
    const cut = Math.round(group.length * holdoutShare);
    group.forEach((x, i) => (i < cut ? holdout : train).push(x.d));
  }
  return { train, holdout };
}
