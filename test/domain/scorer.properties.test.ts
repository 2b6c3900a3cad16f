import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText, parseNumber } from '../../src/domain/normalize.ts';
import { parseModel } from '../../src/domain/model-schema.ts';
import { compileModel } from '../../src/domain/scorer.ts';
import type { IcpModel } from '../../src/domain/types.ts';

const pointsArb = fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const words = ['software', 'Retail', 'Édition', 'FR', '62.01Z', '47.11', 'oui', 'non', '120', '1 200', '12,5', 'x'];

const matcherArb = fc.oneof(
  fc.record({ kind: fc.constant('category'), values: fc.dictionary(fc.constantFrom(...words), pointsArb, { minKeys: 1 }), default: fc.option(pointsArb, { nil: undefined }) }),
  fc.record({ kind: fc.constant('prefix'), values: fc.dictionary(fc.constantFrom('62', '6201', '47', '58.29', 'J'), pointsArb, { minKeys: 1 }), default: fc.option(pointsArb, { nil: undefined }) }),
  fc.record({
    kind: fc.constant('range'),
    bands: fc.array(
      fc.tuple(fc.integer({ min: -10, max: 2000 }), fc.integer({ min: 0, max: 2000 }), pointsArb).map(([min, len, points]) => ({ min, max: min + len, points })),
      { minLength: 1, maxLength: 4 },
    ),
    default: fc.option(pointsArb, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('boolean'), ifTrue: fc.option(pointsArb, { nil: undefined }), ifFalse: fc.option(pointsArb, { nil: undefined }) }),
);

const attrNames = ['a', 'b', 'c', 'd', 'e'];

const modelArb = fc
  .record({
    criteria: fc.array(
      fc.record({
        attribute: fc.constantFrom(...attrNames),
        weight: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 50, noNaN: true })),
        tag: fc.option(fc.constantFrom('t1', 't2', 't3'), { nil: undefined }),
        match: matcherArb,
      }),
      { minLength: 1, maxLength: 8 },
    ),
    exclusions: fc.array(fc.record({ attribute: fc.constantFrom(...attrNames), match: matcherArb }), { maxLength: 2 }),
  })
  .map(({ criteria, exclusions }) => {
    const res = parseModel(
      {
        version: 'prop',
        tiers: [
          { name: 'A', min: 70 },
          { name: 'B', min: 30 },
          { name: 'C', min: 0 },
        ],
        criteria: criteria.map((c, i) => ({ id: `c${i}`, ...c })),
        exclusions: exclusions.map((e, i) => ({ id: `e${i}`, reason: `rule ${i}`, ...e })),
      },
      'prop.yaml',
    );
    if (!res.ok) throw new Error(res.problems.join('\n'));
    return res.model;
  });

const valueArb = fc.oneof(
  fc.constantFrom<unknown>(...words, '', '  ', null, undefined, true, false, 0, 1, 2, Number.NaN),
  fc.integer({ min: -100, max: 5000 }),
  fc.array(fc.constantFrom<unknown>(...words, '', null, 150), { maxLength: 3 }),
  fc.string({ maxLength: 8 }),
);
const attrsArb = fc.dictionary(fc.constantFrom(...attrNames), valueArb);

describe('scoring properties', () => {
  it('score is an integer in [0, 100], completeness in [0, 1], one reason per criterion', () => {
    fc.assert(
      fc.property(modelArb, attrsArb, (model, attrs) => {
        const r = compileModel(model).score(attrs);
        expect(Number.isInteger(r.score)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.completeness).toBeGreaterThanOrEqual(0);
        expect(r.completeness).toBeLessThanOrEqual(1);
        expect(r.reasons).toHaveLength(model.criteria.length);
        expect(new Set(r.reasons.map((x) => x.criterion)).size).toBe(model.criteria.length);
      }),
    );
  });

  it('contributions add up to the score (within rounding) when not excluded', () => {
    fc.assert(
      fc.property(modelArb, attrsArb, (model, attrs) => {
        const r = compileModel(model).score(attrs);
        fc.pre(!r.excluded);
        const sum = r.reasons.reduce((acc, x) => acc + x.contribution, 0);
        expect(Math.abs(sum - r.score)).toBeLessThanOrEqual(0.5 + 0.05 * model.criteria.length + 1e-9);
      }),
    );
  });

  it('reasons are sorted by contribution, ties in criteria order', () => {
    fc.assert(
      fc.property(modelArb, attrsArb, (model, attrs) => {
        const r = compileModel(model).score(attrs);
        const order = new Map(model.criteria.map((c, i) => [c.id, i]));
        for (let i = 1; i < r.reasons.length; i++) {
          const prev = r.reasons[i - 1];
          const cur = r.reasons[i];
          if (prev === undefined || cur === undefined) throw new Error('hole in reasons');
          expect(prev.contribution).toBeGreaterThanOrEqual(cur.contribution);
          if (prev.contribution === cur.contribution) expect(order.get(prev.criterion)).toBeLessThan(order.get(cur.criterion) ?? -1);
        }
      }),
    );
  });

  it('an excluded account scores 0 in the excluded tier without tags', () => {
    fc.assert(
      fc.property(modelArb, attrsArb, (model, attrs) => {
        const r = compileModel(model).score(attrs);
        if (r.excluded) {
          expect(r).toMatchObject({ score: 0, tier: 'X', tags: [] });
          expect(r.exclusions.length).toBeGreaterThan(0);
        } else {
          expect(r.exclusions).toEqual([]);
        }
      }),
    );
  });

  it('raising one criterion’s points never lowers the score', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), pointsArb, fc.boolean()), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        pointsArb,
        (specs, pick, extra) => {
          const build = (raise: number | undefined): IcpModel => {
            const res = parseModel(
              {
                version: 'mono',
                tiers: [{ name: 'A', min: 0 }],
                criteria: specs.map(([weight, pts], i) => ({
                  id: `c${i}`,
                  attribute: `a${i}`,
                  weight,
                  match: { kind: 'category', values: { v: i === raise ? Math.min(1, pts + extra) : pts } },
                })),
              },
              'mono.yaml',
            );
            if (!res.ok) throw new Error(res.problems.join('\n'));
            return res.model;
          };
          const attrs = Object.fromEntries(specs.map(([, , present], i) => [`a${i}`, present ? 'v' : null]));
          const k = pick % specs.length;
          const before = compileModel(build(undefined)).score(attrs).score;
          const after = compileModel(build(k)).score(attrs).score;
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
    );
  });
});

describe('normalisation properties', () => {
  it('normalizeText is idempotent and never leaves capitals, marks or double spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
        expect(once).not.toMatch(/\p{M}| {2}|^\s|\s$/u);
        expect(once).toBe(once.toLowerCase());
      }),
    );
  });

  it('parseNumber reads integers back whatever the thousands separator', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(' ', ',', '\u00a0', '\u202f', '_', ''), (n, sep) => {
        const grouped = Math.abs(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);
        expect(parseNumber(`${n < 0 ? '-' : ''}${grouped}`)).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('parseNumber reads decimals written with a decimal comma', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 9 }), (int, dec) => {
        expect(parseNumber(`${int},${dec}`)).toBe(Number(`${int}.${dec}`));
      }),
    );
  });
});

/** PRODUCT.md §2's number rules written plainly, to check the optimised `parseNumber` against. */
function referenceParseNumber(s: string): number | undefined {
  let t = s.replace(/[\s_]/g, '');
  if (t.includes(',')) {
    if (t.includes('.')) t = t.replaceAll(',', '');
    else if (/^-?\d{1,3}(,\d{3})+$/.test(t)) t = t.replaceAll(',', '');
    else t = t.replaceAll(',', '.');
  }
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

describe('parseNumber against the plain rules', () => {
  it('agrees on strings made of digits, separators, signs and noise', () => {
    const chars = ['0', '1', '2', '5', '9', ' ', ',', '.', '-', '_', '\u00a0', '\u202f', '\t', 'a', '+', 'e'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 14 }).map((cs) => cs.join('')), (s) => {
        expect(parseNumber(s)).toBe(referenceParseNumber(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on long digit strings (beyond exact integers)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,25}(,\d{3}){0,3}$/), (s) => {
        expect(parseNumber(s)).toBe(referenceParseNumber(s));
      }),
    );
  });
});
