/**
 * How well a score separates won from lost: the ROC curve and its area (AUC). Ties count half, as
 * in the Mann–Whitney U statistic, so an integer 0–100 score is measured fairly.
 */

export interface ScoredOutcome {
  score: number;
  won: boolean;
}

export interface RocPoint {
  /** False-positive rate: share of lost deals at or above the threshold. */
  fpr: number;
  /** True-positive rate: share of won deals at or above the threshold. */
  tpr: number;
  /** Score threshold of this point (`Infinity` for the origin). */
  threshold: number;
}

/**
 * Area under the ROC curve: the probability that a random won deal scores higher than a random
 * lost one, ties counting ½. `undefined` when either class is empty (the area is not defined).
 */
export function auc(items: readonly ScoredOutcome[]): number | undefined {
  let pos = 0;
  let neg = 0;
  for (const it of items) {
    if (it.won) pos++;
    else neg++;
  }
  if (pos === 0 || neg === 0) return undefined;
  const sorted = [...items].sort((a, b) => a.score - b.score);
  // Rank-sum form: each tie group gets its average rank; O(n log n).
  let rankSumPos = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    let posInGroup = 0;
    while (j < sorted.length && (sorted[j] as ScoredOutcome).score === (sorted[i] as ScoredOutcome).score) {
      if ((sorted[j] as ScoredOutcome).won) posInGroup++;
      j++;
    }
    const avgRank = (i + 1 + j) / 2;
    rankSumPos += posInGroup * avgRank;
    i = j;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * The ROC curve from (0,0) to (1,1), one point per distinct score (descending thresholds). Ties
 * make diagonal segments, consistent with `auc`. Empty when either class is empty.
 */
export function rocCurve(items: readonly ScoredOutcome[]): RocPoint[] {
  const pos = items.filter((it) => it.won).length;
  const neg = items.length - pos;
  if (pos === 0 || neg === 0) return [];
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < sorted.length) {
    const threshold = (sorted[i] as ScoredOutcome).score;
    while (i < sorted.length && (sorted[i] as ScoredOutcome).score === threshold) {
      if ((sorted[i] as ScoredOutcome).won) tp++;
      else fp++;
      i++;
    }
    points.push({ fpr: fp / neg, tpr: tp / pos, threshold });
  }
  return points;
}

/** Trapezoidal area under a ROC curve; equals `auc` on the same items. */
export function areaUnder(curve: readonly RocPoint[]): number {
  let area = 0;
  for (let k = 1; k < curve.length; k++) {
    const a = curve[k - 1] as RocPoint;
    const b = curve[k] as RocPoint;
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}
