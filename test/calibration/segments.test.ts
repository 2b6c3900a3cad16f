import { describe, expect, it } from 'vitest';
import {
  bandBounds,
  inferSegments,
  MISSING_SEGMENT,
  OTHER_SEGMENT,
  segmentOf,
  segmentsOf,
  type NumericSpec,
} from '../../src/domain/calibration/bucketing.ts';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { analyzeDeals } from '../../src/domain/calibration/segment-analysis.ts';

function deal(account: string, won: boolean, attributes: Record<string, unknown>, extra: Partial<ClosedDeal> = {}): ClosedDeal {
  return { account, won, attributes, ...extra };
}

describe('inferSegments', () => {
  it('cuts numbers into rounded quantile bands with readable labels', () => {
    const values = Array.from({ length: 500 }, (_, i) => String(i * 10 + 3));
    const r = inferSegments(values);
    expect(r.ok).toBe(true);
    if (!r.ok || r.spec.kind !== 'numeric') throw new Error('numeric expected');
    // quintiles of 3..4993 rounded to 2 significant digits
    expect(r.spec.cuts).toEqual([1000, 2000, 3000, 4000]);
    expect(r.spec.integer).toBe(true);
    expect(segmentsOf(r.spec).map((s) => s.label)).toEqual(['≤ 1,000', '1,001–2,000', '2,001–3,000', '3,001–4,000', '> 4,000', 'missing']);
    expect(segmentOf(r.spec, '1000')).toBe('band0');
    expect(segmentOf(r.spec, '1 000,5')).toBe('band1');
    expect(segmentOf(r.spec, 4001)).toBe('band4');
    expect(segmentOf(r.spec, 'n/a')).toBe(MISSING_SEGMENT);
    expect(segmentOf(r.spec, '')).toBe(MISSING_SEGMENT);
  });

  it('merges bands too small to mean anything', () => {
    // 90 small values, 10 huge ones: the top band would hold 10 deals.
    const values = [...Array.from({ length: 90 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => 10_000 + i)];
    const r = inferSegments(values, { minBand: 30, bands: 5 });
    if (!r.ok || r.spec.kind !== 'numeric') throw new Error('numeric expected');
    const spec = r.spec;
    const counts = new Map<string, number>();
    for (const v of values) counts.set(segmentOf(spec, v), (counts.get(segmentOf(spec, v)) ?? 0) + 1);
    for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(30);
  });

  it('gives range bounds that reproduce the segments (inclusive, first band wins)', () => {
    const spec: NumericSpec = { kind: 'numeric', cuts: [50, 200], integer: true };
    expect(bandBounds(spec, 0)).toEqual({ max: 50 });
    expect(bandBounds(spec, 1)).toEqual({ min: 50, max: 200 });
    expect(bandBounds(spec, 2)).toEqual({ min: 200 });
  });

  it('keeps frequent categories, normalised, and groups the rest as other', () => {
    const values = [
      ...Array(10).fill('Software'),
      ...Array(6).fill(' software '),
      ...Array(8).fill('Finance'),
      'Mining',
      'Fishing',
      null,
    ];
    const r = inferSegments(values);
    if (!r.ok || r.spec.kind !== 'category') throw new Error('category expected');
    expect(r.spec.values).toEqual(['software', 'finance']);
    // Shown as most often spelled in the data.
    expect(segmentsOf(r.spec).map((s) => s.label)).toEqual(['Software', 'Finance', 'other', 'missing']);
    expect(segmentOf(r.spec, 'SOFTWARE')).toBe('software');
    expect(segmentOf(r.spec, 'Mining')).toBe(OTHER_SEGMENT);
    expect(segmentOf(r.spec, null)).toBe(MISSING_SEGMENT);
  });

  it('recognises yes/no columns and code prefixes, and refuses identifiers and empty columns', () => {
    const bool = inferSegments(['yes', 'no', 'Oui', '0', 1, true]);
    expect(bool).toEqual({ ok: true, spec: { kind: 'boolean' } });
    if (bool.ok) expect(segmentOf(bool.spec, 'non')).toBe('false');
    const naf = inferSegments(['62.01Z', '62.02A', '6203Z', '70.22Z', '62.09Z'], { hint: 'prefix', minCategory: 1 });
    expect(naf).toEqual({ ok: true, spec: { kind: 'prefix', length: 2, values: ['62', '70'] } });
    const ids = inferSegments(Array.from({ length: 40 }, (_, i) => `Company ${i}`));
    expect(ids.ok).toBe(false);
    expect(inferSegments(['', null, undefined])).toEqual({ ok: false, reason: 'every value is missing' });
  });
});

describe('analyzeDeals', () => {
  it('computes counts, win rate, Wilson interval, lift and medians per segment', () => {
    const deals: ClosedDeal[] = [];
    for (let i = 0; i < 40; i++) {
      deals.push(deal(`s${i}`, i < 30, { industry: 'Software' }, { amount: 1000 + i, cycleDays: 30 + i }));
    }
    for (let i = 0; i < 40; i++) deals.push(deal(`r${i}`, i < 10, { industry: 'Retail' }, { amount: 500 }));
    for (let i = 0; i < 4; i++) deals.push(deal(`m${i}`, false, { industry: '' }));
    const a = analyzeDeals(deals);
    expect(a.n).toBe(84);
    expect(a.won).toBe(40);
    const industry = a.attributes[0];
    expect(industry?.attribute).toBe('industry');
    const software = industry?.segments.find((s) => s.key === 'software');
    expect(software).toMatchObject({ n: 40, won: 30, winRate: 0.75, small: false, medianWonCycleDays: 44.5 });
    expect(software?.lift).toBeCloseTo(0.75 / (40 / 84), 12);
    expect(software?.medianWonAmount).toBe(1014.5);
    expect(software?.interval.low).toBeGreaterThan(0.59);
    expect(software?.interval.high).toBeLessThan(0.87);
    expect(software?.woe).toBeGreaterThan(0);
    const missing = industry?.segments.find((s) => s.key === MISSING_SEGMENT);
    expect(missing).toMatchObject({ n: 4, won: 0, small: true, medianWonAmount: undefined });
    expect(industry?.missingShare).toBeCloseTo(4 / 84, 12);
    expect(industry?.informationValue).toBeGreaterThan(0.3);
  });

  it('lists attributes it cannot analyse with the reason', () => {
    const deals = Array.from({ length: 30 }, (_, i) => deal(`a${i}`, i % 2 === 0, { name: `Acme ${i}`, note: '' }));
    const a = analyzeDeals(deals);
    expect(a.attributes).toEqual([]);
    expect(a.skipped.map((s) => s.attribute)).toEqual(['name', 'note']);
  });
});
