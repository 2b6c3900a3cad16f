/**
 * Weight of evidence (WoE) and information value (IV): how strongly an attribute's buckets separate
 * won from lost deals. Conventional reading of IV: < 0.02 not predictive, 0.02–0.1 weak,
 * 0.1–0.3 medium, > 0.3 strong.
 */

export interface OutcomeCounts {
  won: number;
  lost: number;
}

export interface Evidence {
  /** ln(share of all won deals in the bucket / share of all lost deals in the bucket). */
  woe: number;
  /** This bucket's part of the information value. */
  iv: number;
}

export interface InformationValue {
  total: number;
  buckets: Evidence[];
}

/**
 * WoE per bucket and the total IV. `smoothing` pseudo-counts are added to every won and lost cell
 * (default 0.5) so that a bucket with no lost deal gets a large but finite WoE instead of ∞.
 * With no won or no lost deal at all, every WoE and the IV are 0: nothing can be told apart.
 */
export function informationValue(buckets: readonly OutcomeCounts[], smoothing = 0.5): InformationValue {
  let totalWon = 0;
  let totalLost = 0;
  for (const b of buckets) {
    totalWon += b.won;
    totalLost += b.lost;
  }
  if (totalWon === 0 || totalLost === 0 || buckets.length === 0) {
    return { total: 0, buckets: buckets.map(() => ({ woe: 0, iv: 0 })) };
  }
  const k = buckets.length;
  const out: Evidence[] = [];
  let total = 0;
  for (const b of buckets) {
    const shareWon = (b.won + smoothing) / (totalWon + k * smoothing);
    const shareLost = (b.lost + smoothing) / (totalLost + k * smoothing);
    if (shareWon === 0 || shareLost === 0) {
      out.push({ woe: 0, iv: 0 });
      continue;
    }
    const woe = Math.log(shareWon / shareLost);
    const iv = (shareWon - shareLost) * woe;
    out.push({ woe, iv });
    total += iv;
  }
  return { total, buckets: out };
}

/** The conventional strength word for an IV. */
export function ivStrength(iv: number): 'none' | 'weak' | 'medium' | 'strong' {
  if (iv < 0.02) return 'none';
  if (iv < 0.1) return 'weak';
  if (iv < 0.3) return 'medium';
  return 'strong';
}

/** Below this chi-square p-value an attribute's spread is read as real (the suggestion's rule too). */
export const SIGNIFICANCE = 0.05;
/** Fewest rows for a strength word: on fewer, an IV says nothing. */
export const MIN_ROWS_FOR_STRENGTH = 30;

/**
 * The strength word a reader sees: the IV word only when the spread is significant (p < 0.05) on
 * enough rows; otherwise "not significant", however large the IV (ten accounts can reach 0.5).
 */
export function strengthLabel(iv: number, pValue: number, rows: number): string {
  if (rows < MIN_ROWS_FOR_STRENGTH) return `not significant (only ${rows} rows)`;
  if (!(pValue < SIGNIFICANCE)) return 'not significant';
  return ivStrength(iv);
}
