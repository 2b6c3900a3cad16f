import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/domain/scorer.ts';
import { model, scorer } from './model-fixture.ts';

const cat = (values: Record<string, number>, extra: Record<string, unknown> = {}) => ({ kind: 'category', values, ...extra });

describe('score', () => {
  it('is ⌊100·Σ(w·p)/W + 0.5⌋ with points 0 for missing values', () => {
    const s = scorer({
      criteria: [
        { id: 'a', attribute: 'a', weight: 30, match: cat({ yes: 1, half: 0.5 }) },
        { id: 'b', attribute: 'b', weight: 20, match: cat({ yes: 1 }) },
        { id: 'c', attribute: 'c', weight: 50, match: cat({ yes: 1 }) },
      ],
    });
    expect(s.totalWeight).toBe(100);
    expect(s.score({ a: 'yes', b: 'yes', c: 'yes' }).score).toBe(100);
    expect(s.score({ a: 'half', b: 'yes' }).score).toBe(35);
    expect(s.score({}).score).toBe(0);
  });

  it('rounds an exact .5 up', () => {
    // W = 8: one criterion of weight 1 fully matched → 12.5 → 13.
    const s = scorer({
      criteria: [
        { id: 'a', attribute: 'a', weight: 1, match: cat({ yes: 1 }) },
        { id: 'b', attribute: 'b', weight: 7, match: cat({ yes: 1 }) },
      ],
    });
    expect(s.score({ a: 'yes' }).score).toBe(13);
    expect(s.score({ b: 'yes' }).score).toBe(88); // 87.5
  });

  it('rounds a .5 that binary floating point computes as .4999… up too (the 1e-9)', () => {
    // 100 · 3 · 0.15 / 6 is 7.5 exactly in decimals but 7.499999999999999 in doubles.
    const s = scorer({
      criteria: [
        { id: 'a', attribute: 'a', weight: 3, match: cat({ yes: 0.15 }) },
        { id: 'b', attribute: 'b', weight: 3, match: cat({ yes: 1 }) },
      ],
    });
    expect(s.score({ a: 'yes' }).score).toBe(8);
  });

  it('is an integer that reaches 100 exactly when every criterion matches', () => {
    const s = scorer({
      criteria: [0.1, 0.2, 0.3, 0.7, 1.3].map((weight, i) => ({ id: `c${i}`, attribute: `c${i}`, weight, match: cat({ yes: 1 }) })),
    });
    expect(s.score({ c0: 'yes', c1: 'yes', c2: 'yes', c3: 'yes', c4: 'yes' }).score).toBe(100);
  });
});

describe('tier', () => {
  const s = scorer({
    tiers: [
      { name: 'C', min: 40 },
      { name: 'A', min: 80 },
      { name: 'D', min: 0 },
      { name: 'B', min: 60 },
    ],
    criteria: [{ id: 'a', attribute: 'a', weight: 1, match: { kind: 'range', bands: [{ min: 0, max: 100, points: 1 }] } }],
  });
  const scoreOf = (pct: number) => compileModel(
    model({
      tiers: s.model.tiers,
      criteria: [
        { id: 'a', attribute: 'a', weight: pct, match: cat({ yes: 1 }) },
        ...(pct < 100 ? [{ id: 'b', attribute: 'b', weight: 100 - pct, match: cat({ yes: 1 }) }] : []),
      ],
    }),
  ).score({ a: 'yes' });

  it('is the tier with the highest min ≤ score, whatever the order in the file', () => {
    expect(scoreOf(80).tier).toBe('A');
    expect(scoreOf(79).tier).toBe('B');
    expect(scoreOf(60).tier).toBe('B');
    expect(scoreOf(40).tier).toBe('C');
    expect(scoreOf(39).tier).toBe('D');
    expect(scoreOf(100).tier).toBe('A');
    expect(s.score({}).tier).toBe('D');
  });

  it('lists tier names in model order then the excluded tier', () => {
    expect(s.tierNames).toEqual(['C', 'A', 'D', 'B', 'X']);
  });
});

describe('completeness', () => {
  it('is the weight share of present values, rounded half-up to 2 decimals', () => {
    const s = scorer({
      criteria: [
        { id: 'a', attribute: 'a', weight: 1, match: cat({ yes: 1 }) },
        { id: 'b', attribute: 'b', weight: 7, match: cat({ yes: 1 }) },
      ],
    });
    expect(s.score({ a: 'no' }).completeness).toBe(0.13); // 0.125
    expect(s.score({ a: 'no', b: 'no' }).completeness).toBe(1);
    expect(s.score({ b: '' }).completeness).toBe(0);
  });

  it('rounds 0.285 up although the double is 0.28499…', () => {
    const s = scorer({
      criteria: [
        { id: 'a', attribute: 'a', weight: 285, match: cat({ yes: 1 }) },
        { id: 'b', attribute: 'b', weight: 715, match: cat({ yes: 1 }) },
      ],
    });
    expect(s.score({ a: 'x' }).completeness).toBe(0.29);
  });
});

describe('exclusions', () => {
  const s = scorer({
    excludedTier: 'OUT',
    criteria: [
      { id: 'industry', label: 'Secteur', attribute: 'industry', weight: 60, tag: 'saas', match: cat({ software: 1 }) },
      { id: 'size', attribute: 'employees', weight: 40, match: { kind: 'range', bands: [{ min: 10, points: 1 }] } },
    ],
    exclusions: [
      { id: 'competitor', attribute: 'is_competitor', match: { kind: 'boolean' }, reason: 'Concurrent direct' },
      { id: 'closed', attribute: 'status', match: cat({ closed: 1, ferme: 1 }), reason: 'Entreprise fermée' },
    ],
  });

  it('fire when points > 0: score 0, excluded tier, no tags, reasons and completeness kept', () => {
    const r = s.score({ industry: 'Software', employees: 50, is_competitor: 'oui', status: 'Fermé' });
    expect(r.excluded).toBe(true);
    expect(r.score).toBe(0);
    expect(r.tier).toBe('OUT');
    expect(r.tags).toEqual([]);
    expect(r.exclusions).toEqual([
      { id: 'competitor', reason: 'Concurrent direct', value: 'oui' },
      { id: 'closed', reason: 'Entreprise fermée', value: 'Fermé' },
    ]);
    expect(r.completeness).toBe(1);
    expect(r.reasons.map((x) => [x.criterion, x.contribution, x.status])).toEqual([
      ['industry', 60, 'match'],
      ['size', 40, 'match'],
    ]);
  });

  it('do not fire at 0 points or on missing values', () => {
    for (const attrs of [{ is_competitor: 'non' }, { is_competitor: '' }, { is_competitor: 'maybe' }, { status: 'active' }, {}]) {
      const r = s.score({ industry: 'Software', employees: 50, ...attrs });
      expect(r.excluded).toBe(false);
      expect(r.score).toBe(100);
      expect(r.tags).toEqual(['saas']);
    }
  });
});

describe('tags', () => {
  it('follow criteria order, need points ≥ tagAt, and never repeat', () => {
    const s = scorer({
      criteria: [
        { id: 'b', attribute: 'b', weight: 1, tag: 'second', match: cat({ yes: 1 }) },
        { id: 'a', attribute: 'a', weight: 1, tag: 'first', tagAt: 0.5, match: cat({ yes: 1, half: 0.5, low: 0.4 }) },
        { id: 'c', attribute: 'c', weight: 1, tag: 'second', match: cat({ yes: 1 }) },
      ],
    });
    expect(s.tags).toEqual(['second', 'first']);
    expect(s.score({ a: 'yes', b: 'yes', c: 'yes' }).tags).toEqual(['second', 'first']);
    expect(s.score({ a: 'half' }).tags).toEqual(['first']);
    expect(s.score({ a: 'low', c: 'yes' }).tags).toEqual(['second']);
    expect(s.score({}).tags).toEqual([]);
  });
});

describe('reasons', () => {
  const s = scorer({
    criteria: [
      { id: 'a', label: 'Alpha', attribute: 'a', weight: 1, match: cat({ yes: 1, some: 0.5 }) },
      { id: 'b', attribute: 'b', weight: 2, match: cat({ yes: 1 }) },
      { id: 'c', attribute: 'c', weight: 1, match: cat({ yes: 1 }) },
      { id: 'd', attribute: 'd', weight: 2, match: cat({ yes: 1 }) },
    ],
  });

  it('one per criterion, by contribution descending, ties in criteria order', () => {
    const r = s.score({ a: 'yes', b: 'no', c: 'yes', d: 'yes' });
    expect(r.reasons.map((x) => x.criterion)).toEqual(['d', 'a', 'c', 'b']);
  });

  it('carry label, value as read (null when missing), points, 1-decimal contribution and status', () => {
    const r = s.score({ a: ' some ', b: 'no', c: '   ' });
    expect(r.reasons).toEqual([
      { criterion: 'a', label: 'Alpha', value: ' some ', points: 0.5, contribution: 8.3, status: 'partial' },
      { criterion: 'b', label: 'b', value: 'no', points: 0, contribution: 0, status: 'miss' },
      { criterion: 'c', label: 'c', value: null, points: 0, contribution: 0, status: 'missing' },
      { criterion: 'd', label: 'd', value: null, points: 0, contribution: 0, status: 'missing' },
    ]);
  });

  it('rounds contributions half-up (100·1/8 = 12.5 → 12.5; 100·1/16 = 6.25 → 6.3)', () => {
    const s16 = scorer({
      criteria: [
        { id: 'a', attribute: 'a', weight: 1, match: cat({ yes: 1 }) },
        { id: 'b', attribute: 'b', weight: 15, match: cat({ yes: 1 }) },
      ],
    });
    expect(s16.score({ a: 'yes' }).reasons[0]?.contribution).toBe(6.3);
  });
});

describe('compileModel', () => {
  it('refuses a model whose weights cannot make a score (one that skipped validation)', () => {
    const m = model({ criteria: [{ id: 'a', attribute: 'a', weight: 1, match: cat({ yes: 1 }) }] });
    expect(() => compileModel({ ...m, criteria: [{ ...m.criteria[0]!, weight: 0 }] })).toThrow(RangeError);
  });
});
