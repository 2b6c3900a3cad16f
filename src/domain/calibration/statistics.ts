/**
 * Small, exact statistics used by calibration: proportions with Wilson score intervals, medians,
 * quantiles and smoothed rates. Pure functions over plain numbers.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for `successes` out of `n` (Wilson 1927). Unlike the normal approximation it
 * stays inside [0, 1] and behaves at 0 % and 100 %, which is what small CRM segments need.
 * `n = 0` gives the uninformative [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** Median of the finite numbers in `values`; `undefined` when there are none. */
export function median(values: readonly number[]): number | undefined {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

/**
 * The `q`-quantile (0..1) of already sorted numbers, with linear interpolation between order
 * statistics (type 7, the default of R and NumPy). `undefined` for an empty list.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/**
 * Win rate pulled towards `prior` by `strength` pseudo-deals: (won + strength·prior) / (n + strength).
 * Keeps a 3-deal segment at 3/3 from looking like a sure thing.
 */
export function smoothedRate(won: number, n: number, prior: number, strength: number): number {
  const denom = n + strength;
  return denom <= 0 ? prior : (won + strength * prior) / denom;
}

/** `x` rounded to `digits` significant digits (2 → 1234 becomes 1200, 0.0456 becomes 0.046). */
export function roundSignificant(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const scale = 10 ** (digits - 1 - magnitude);
  // Division by an integer power of ten keeps 1200 exact where multiplying by 0.01 would not.
  return scale >= 1 ? Math.round(x * scale) / scale : Math.round(x / (1 / scale)) * (1 / scale);
}
