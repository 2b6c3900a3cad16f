import { describe, expect, it } from 'vitest';
import { areaUnder, auc, rocCurve } from '../../src/domain/calibration/roc.ts';
import { chiSquareTest, gammaQ } from '../../src/domain/calibration/chi-square.ts';
import { informationValue, ivStrength } from '../../src/domain/calibration/information-value.ts';
import {
  median,
  quantileSorted,
  roundSignificant,
  smoothedRate,
  wilsonInterval,
} from '../../src/domain/calibration/statistics.ts';

describe('wilsonInterval', () => {
  it('matches the hand-computed bounds for 8 of 10 at z = 1.96', () => {
    // p = 0.8, z² = 3.8416: centre = 0.99208 / 1.38416, half = (1.96 / 1.38416)·√(0.016 + 0.009604)
    const { low, high } = wilsonInterval(8, 10, 1.96);
    expect(low).toBeCloseTo(0.490156, 5);
    expect(high).toBeCloseTo(0.94332, 5);
  });

  it('stays inside [0, 1] at 0 % and 100 %', () => {
    const none = wilsonInterval(0, 20, 1.96);
    expect(none.low).toBe(0);
    // 0 of n: upper bound = z² / (n + z²)
    expect(none.high).toBeCloseTo(3.8416 / 23.8416, 9);
    const all = wilsonInterval(20, 20, 1.96);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(20 / 23.8416, 9);
  });

  it('is uninformative with no observation and narrows as n grows', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    const small = wilsonInterval(5, 10);
    const large = wilsonInterval(500, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(large.low).toBeLessThan(0.5);
    expect(large.high).toBeGreaterThan(0.5);
  });
});

describe('auc', () => {
  it('counts ties as one half (hand-computed 5 / 6)', () => {
    const items = [
      { score: 0.9, won: true },
      { score: 0.5, won: true },
      { score: 0.5, won: true },
      { score: 0.5, won: false },
      { score: 0.1, won: false },
    ];
    // pairs won>lost: (0.9,0.5) (0.9,0.1) (0.5,0.1)×2 = 4, ties (0.5,0.5)×2 = 1 → 5 / 6
    expect(auc(items)).toBeCloseTo(5 / 6, 12);
    expect(areaUnder(rocCurve(items))).toBeCloseTo(5 / 6, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ when every score ties', () => {
    const perfect = [
      { score: 3, won: true },
      { score: 2, won: false },
      { score: 1, won: false },
    ];
    expect(auc(perfect)).toBe(1);
    expect(auc(perfect.map((x) => ({ ...x, won: !x.won })))).toBe(0);
    expect(auc([1, 2, 3, 4].map((i) => ({ score: 7, won: i % 2 === 0 })))).toBe(0.5);
  });

  it('is undefined with one class only, and the curve empty', () => {
    expect(auc([{ score: 1, won: true }])).toBeUndefined();
    expect(rocCurve([{ score: 1, won: false }])).toEqual([]);
  });

  it('agrees with the pairwise definition on random data', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const items = Array.from({ length: 200 }, () => ({ score: Math.floor(rnd() * 10), won: rnd() < 0.4 }));
    let num = 0;
    let den = 0;
    for (const p of items.filter((x) => x.won)) {
      for (const n of items.filter((x) => !x.won)) {
        den++;
        num += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
      }
    }
    expect(auc(items)).toBeCloseTo(num / den, 12);
    const curve = rocCurve(items);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0, threshold: Infinity });
    expect(curve.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(areaUnder(curve)).toBeCloseTo(num / den, 12);
  });
});

describe('informationValue', () => {
  it('matches the hand-computed value without smoothing', () => {
    // won 50 / lost 50. Bucket 1: 30/10 → 0.6 vs 0.2, WoE ln 3. Bucket 2: 20/40 → 0.4 vs 0.8, WoE ln ½.
    const iv = informationValue(
      [
        { won: 30, lost: 10 },
        { won: 20, lost: 40 },
      ],
      0,
    );
    expect(iv.buckets[0]?.woe).toBeCloseTo(Math.log(3), 12);
    expect(iv.buckets[1]?.woe).toBeCloseTo(Math.log(0.5), 12);
    expect(iv.total).toBeCloseTo(0.4 * Math.log(3) + 0.4 * Math.log(2), 12);
    expect(iv.total).toBeCloseTo(0.716704, 6);
  });

  it('stays finite when a bucket has no lost deal (smoothing 0.5)', () => {
    const iv = informationValue([
      { won: 10, lost: 0 },
      { won: 10, lost: 20 },
    ]);
    // shares: won (10.5/21, 10.5/21), lost (0.5/21, 20.5/21)
    expect(iv.buckets[0]?.woe).toBeCloseTo(Math.log(10.5 / 0.5), 12);
    expect(Number.isFinite(iv.total)).toBe(true);
    expect(iv.total).toBeGreaterThan(0.3);
  });

  it('is 0 when the buckets do not separate anything', () => {
    expect(informationValue([{ won: 10, lost: 10 }, { won: 5, lost: 5 }], 0).total).toBeCloseTo(0, 12);
    expect(informationValue([{ won: 3, lost: 0 }]).total).toBe(0);
    expect(ivStrength(0.01)).toBe('none');
    expect(ivStrength(0.05)).toBe('weak');
    expect(ivStrength(0.2)).toBe('medium');
    expect(ivStrength(0.5)).toBe('strong');
  });
});

describe('median, quantiles, smoothing, rounding', () => {
  it('computes medians of odd and even lists and ignores non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeUndefined();
  });

  it('interpolates quantiles like R type 7', () => {
    const xs = [10, 20, 30, 40];
    expect(quantileSorted(xs, 0)).toBe(10);
    expect(quantileSorted(xs, 1)).toBe(40);
    expect(quantileSorted(xs, 0.5)).toBe(25);
    expect(quantileSorted(xs, 0.2)).toBeCloseTo(16, 12);
    expect(quantileSorted([], 0.5)).toBeUndefined();
  });

  it('pulls small samples towards the prior', () => {
    expect(smoothedRate(3, 3, 0.2, 10)).toBeCloseTo(5 / 13, 12);
    expect(smoothedRate(0, 0, 0.2, 10)).toBeCloseTo(0.2, 12);
    expect(smoothedRate(300, 1000, 0.2, 10)).toBeCloseTo(302 / 1010, 12);
  });

  it('rounds to significant digits', () => {
    expect(roundSignificant(1234, 2)).toBe(1200);
    expect(roundSignificant(47, 2)).toBe(47);
    expect(roundSignificant(0.0456, 2)).toBeCloseTo(0.046, 12);
    expect(roundSignificant(-2551, 2)).toBe(-2600);
    expect(roundSignificant(0, 2)).toBe(0);
  });
});

describe('chiSquareTest', () => {
  it('matches the hand-computed statistic and p-value of a 2×2 table', () => {
    // expected counts 20/20 and 30/30: χ² = 2·10²/20 + 2·10²/30 = 16.667, df 1, p = erfc(√(χ²/2))
    const r = chiSquareTest([
      { won: 30, lost: 10 },
      { won: 20, lost: 40 },
    ]);
    expect(r.statistic).toBeCloseTo(50 / 3, 10);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(4.455709060405608e-5, 12);
  });

  it('gives exp(−χ²/2) with two degrees of freedom, and 1 when nothing can be tested', () => {
    const r = chiSquareTest([
      { won: 10, lost: 10 },
      { won: 15, lost: 5 },
      { won: 5, lost: 15 },
    ]);
    // expected 10/10 everywhere: χ² = 0 + 2.5·2 + 2.5·2 = 10
    expect(r.statistic).toBeCloseTo(10, 12);
    expect(r.pValue).toBeCloseTo(Math.exp(-5), 12);
    expect(chiSquareTest([{ won: 3, lost: 4 }]).pValue).toBe(1);
    expect(chiSquareTest([{ won: 3, lost: 0 }, { won: 2, lost: 0 }]).pValue).toBe(1);
    expect(gammaQ(3, 0)).toBe(1);
    // Q(1, x) = e^−x, on both sides of the series / continued-fraction switch
    expect(gammaQ(1, 0.5)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(gammaQ(1, 7)).toBeCloseTo(Math.exp(-7), 12);
  });
});
