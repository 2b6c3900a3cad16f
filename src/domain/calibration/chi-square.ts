/**
 * Pearson's chi-square test of independence between an attribute's segments and the outcome:
 * is the spread of win rates across segments more than chance would give? Used so that an
 * attribute is never suggested on noise, whatever its information value on a small sample.
 */
import type { OutcomeCounts } from './information-value.ts';

export interface ChiSquare {
  statistic: number;
  /** Degrees of freedom: non-empty segments − 1. */
  df: number;
  /** P(χ² ≥ statistic) under independence; 1 when nothing can be tested. */
  pValue: number;
}

/** ln Γ(x), Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x): series below a + 1, continued fraction above. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  // Lentz's method for the continued fraction.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lead) * h);
}

export function chiSquareTest(segments: readonly OutcomeCounts[]): ChiSquare {
  const rows = segments.filter((s) => s.won + s.lost > 0);
  const won = rows.reduce((s, r) => s + r.won, 0);
  const lost = rows.reduce((s, r) => s + r.lost, 0);
  const n = won + lost;
  const df = rows.length - 1;
  if (df < 1 || won === 0 || lost === 0) return { statistic: 0, df: Math.max(0, df), pValue: 1 };
  let statistic = 0;
  for (const r of rows) {
    const total = r.won + r.lost;
    const eWon = (total * won) / n;
    const eLost = (total * lost) / n;
    statistic += (r.won - eWon) ** 2 / eWon + (r.lost - eLost) ** 2 / eLost;
  }
  return { statistic, df, pValue: gammaQ(df / 2, statistic / 2) };
}
