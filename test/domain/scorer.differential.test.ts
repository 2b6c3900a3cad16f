/**
 * Differential test: the scorer in src/domain must give exactly the ScoreResult of the frozen
 * reference copy in ./reference-scorer/ (the implementation before the hot-path work), on random
 * models and random, deliberately messy attributes: same values, same key order, same references.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/domain/model-schema.ts';
import { compileModel, type Scorer } from '../../src/domain/scorer.ts';
import type { Attributes, IcpModel, ScoreResult } from '../../src/domain/types.ts';
import { compileModel as compileReference } from './reference-scorer/scorer.ts';

const pointsArb = fc.oneof(
  fc.constantFrom(0, 0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000),
);
const weightArb = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.constantFrom(0.1, 0.3, 0.7, 1e-3, 1e6, 33.3, 2.5),
  fc.double({ min: 0.001, max: 1000, noNaN: true }),
);

const categoryWords = ['software', 'Software', 'Logiciel', 'Édition de logiciels', 'IT Services', 'FR', 'fr', 'oui', 'non', 'true', '120', '12.5', '1 200', 'x', 'Ｆｕｌｌ', 'ﬁnance', 'e\u0301cole'];
const codeWords = ['62', '6201', '62.01', '62.01Z', '47', '47.11', '58.29', 'J', 'M', '7', '70-22', '1'];

const matcherArb = fc.oneof(
  fc.record({ kind: fc.constant('category'), values: fc.dictionary(fc.constantFrom(...categoryWords), pointsArb, { minKeys: 1 }), default: fc.option(pointsArb, { nil: undefined }) }),
  fc.record({ kind: fc.constant('prefix'), values: fc.dictionary(fc.constantFrom(...codeWords), pointsArb, { minKeys: 1 }), default: fc.option(pointsArb, { nil: undefined }) }),
  fc.record({
    kind: fc.constant('range'),
    bands: fc.array(
      fc.oneof(
        fc.tuple(fc.integer({ min: -100, max: 5000 }), fc.integer({ min: 0, max: 5000 }), pointsArb).map(([min, len, points]) => ({ min, max: min + len, points })),
        fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), pointsArb).map(([min, points]) => ({ min, points })),
        fc.tuple(fc.integer({ min: -100, max: 5000 }), pointsArb).map(([max, points]) => ({ max, points })),
      ),
      { minLength: 1, maxLength: 5 },
    ),
    default: fc.option(pointsArb, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('boolean'), ifTrue: fc.option(pointsArb, { nil: undefined }), ifFalse: fc.option(pointsArb, { nil: undefined }) }),
);

const attrNames = ['a', 'b', 'c', 'd', 'e', 'f'];

const modelArb = fc
  .record({
    tiers: fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { maxLength: 4 }),
    criteria: fc.array(
      fc.record({
        attribute: fc.constantFrom(...attrNames),
        weight: weightArb,
        label: fc.option(fc.constantFrom('Secteur', 'Effectif', 'Pays'), { nil: undefined }),
        tag: fc.option(fc.constantFrom('t1', 't2', 't3'), { nil: undefined }),
        tagAt: fc.option(fc.constantFrom(0.5, 0.8, 1, 0.001), { nil: undefined }),
        match: matcherArb,
      }),
      { minLength: 1, maxLength: 12 },
    ),
    exclusions: fc.array(fc.record({ attribute: fc.constantFrom(...attrNames), match: matcherArb }), { maxLength: 3 }),
  })
  .map(({ tiers, criteria, exclusions }) =>
    parseModel(
      {
        version: 'diff',
        tiers: [{ name: 'Z', min: 0 }, ...tiers.map((min, i) => ({ name: `T${i}`, min }))],
        criteria: criteria.map((c, i) => ({ id: `c${i}`, ...c })),
        exclusions: exclusions.map((e, i) => ({ id: `e${i}`, reason: `rule ${i}`, ...e })),
      },
      'diff.yaml',
    ),
  )
  // Keys that collide once normalised are refused by the schema; such draws are simply skipped.
  .filter((res) => res.ok)
  .map((res) => (res as { ok: true; model: IcpModel }).model);

/** Numbers written the ways CRM exports write them, plus shapes that must stay unparseable. */
const numberTextArb = fc.oneof(
  fc.integer({ min: -2_000_000, max: 200_000_000 }).map((n) => n.toLocaleString('fr-FR')),
  fc.integer({ min: -2_000_000, max: 200_000_000 }).map((n) => n.toLocaleString('en-US')),
  fc.integer({ min: -2_000_000, max: 200_000_000 }).map((n) => String(n)),
  fc.double({ min: -1e7, max: 1e7, noNaN: true }).map((n) => String(n)),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => `${a},${b}`),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a} 000,${b}`),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => `1.${a},${b}`),
  fc.stringMatching(/^-?[0-9 _,.\u00a0\u202f]{1,24}$/),
  fc.constantFrom('1e5', '+3', '.5', '1.', '1,2,3', '1,', ',5', '--1', '1-', '0x10', '1 200,5', '1,200.5', '12,5', '1_000', ' 42 ', '\t7\n', '1234567890123456', '12345678901234567890', '0.1234567890123456789', '007', '-0', '-0.0'),
);

const textArb = fc.oneof(
  fc.constantFrom(...categoryWords, ...codeWords),
  fc.constantFrom(...categoryWords, ...codeWords).map((w) => `  ${w.toUpperCase()} `),
  fc.constantFrom(...categoryWords).map((w) => w.replace(' ', '  \u00a0\t')),
  fc.constantFrom('', ' ', '\u00a0', '\t\n', 'OUI', ' Non ', 'Yes', 'NO', 'TRUE', 'False', '1', '0', 'vrai', '62.01z', '62 01 Z', '62–01', '6201Z', 'Ｊ'),
  fc.string({ maxLength: 10 }),
  fc.string({ maxLength: 10, unit: 'binary' }),
  fc.string({ maxLength: 6, unit: 'grapheme' }),
  fc.string({ minLength: 195, maxLength: 260, unit: 'grapheme-ascii' }),
);

const scalarArb = fc.oneof(
  { arbitrary: textArb, weight: 4 },
  { arbitrary: numberTextArb, weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, 0, 1, 2, -1, -0, Number.NaN, Infinity, -Infinity, 62.01, 12.5, 1e21, 0.1 + 0.2), weight: 2 },
  { arbitrary: fc.integer({ min: -100, max: 100_000 }), weight: 2 },
  { arbitrary: fc.double({ noNaN: false }), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>({}, { x: 1 }, Symbol.for('s'), 10n, new Date(0)), weight: 1 },
);
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalarArb, weight: 6 },
  { arbitrary: fc.array(scalarArb, { maxLength: 4 }), weight: 2 },
  { arbitrary: fc.array(fc.oneof(scalarArb, fc.array(scalarArb, { maxLength: 2 })), { maxLength: 3 }), weight: 1 },
);
const attrsArb: fc.Arbitrary<Attributes> = fc.dictionary(fc.constantFrom(...attrNames), valueArb);

/** Deep equality, plus what `toStrictEqual` does not see: key order, value identity, frozenness. */
function expectSameResult(actual: ScoreResult, expected: ScoreResult): void {
  expect(actual).toStrictEqual(expected);
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  expect(Object.isFrozen(actual.tags)).toBe(Object.isFrozen(expected.tags));
  expect(Object.isFrozen(actual.exclusions)).toBe(Object.isFrozen(expected.exclusions));
  actual.reasons.forEach((r, i) => {
    const e = expected.reasons[i];
    expect(Object.keys(r)).toEqual(Object.keys(e ?? {}));
    expect(Object.is(r.value, e?.value)).toBe(true);
  });
  actual.exclusions.forEach((h, i) => {
    expect(Object.keys(h)).toEqual(Object.keys(expected.exclusions[i] ?? {}));
    expect(Object.is(h.value, expected.exclusions[i]?.value)).toBe(true);
  });
}

function expectSameScorer(actual: Scorer, expected: Scorer): void {
  expect(actual.model).toBe(expected.model);
  expect(actual.totalWeight).toBe(expected.totalWeight);
  expect(actual.tags).toStrictEqual(expected.tags);
  expect(actual.tierNames).toStrictEqual(expected.tierNames);
}

describe('optimised scorer against the frozen reference', () => {
  it('gives the same ScoreResult for every account, scored in sequence on one compiled model', () => {
    fc.assert(
      fc.property(modelArb, fc.array(attrsArb, { minLength: 1, maxLength: 30 }), (model, accounts) => {
        const scorer = compileModel(model);
        const reference = compileReference(model);
        expectSameScorer(scorer, reference);
        // Twice over, so that the second pass reads whatever the first one memoised.
        for (const attrs of [...accounts, ...accounts]) expectSameResult(scorer.score(attrs), reference.score(attrs));
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same results when the account is an object with a prototype or extra keys', () => {
    fc.assert(
      fc.property(modelArb, attrsArb, (model, attrs) => {
        const withProto = Object.assign(Object.create({ a: 'software', b: '62.01Z' }) as Record<string, unknown>, attrs, { unrelated: 'x' });
        expectSameResult(compileModel(model).score(withProto), compileReference(model).score(withProto));
      }),
      { numRuns: 200 },
    );
  });

  it('stays equal past the memo limit: thousands of distinct texts, then the same texts again', () => {
    const model = parseModel(
      {
        version: 'memo',
        tiers: [{ name: 'A', min: 0 }],
        criteria: [
          { id: 'cat', attribute: 'cat', weight: 3, match: { kind: 'category', values: { 'word 17': 1, 'Word 4000': 0.5, Édition: 0.7 }, default: 0.1 } },
          { id: 'naf', attribute: 'naf', weight: 2, match: { kind: 'prefix', values: { '62': 0.5, '6201': 1, '4': 0.2 } } },
          { id: 'flag', attribute: 'flag', weight: 1, match: { kind: 'boolean' } },
        ],
      },
      'memo.yaml',
    );
    if (!model.ok) throw new Error(model.problems.join('\n'));
    const scorer = compileModel(model.model);
    const reference = compileReference(model.model);
    const accounts: Attributes[] = [];
    for (let i = 0; i < 10_000; i++) {
      accounts.push({ cat: i % 3 === 0 ? `WORD  ${i % 5000}` : `word ${i % 5000}`, naf: `${i % 97}.${i % 13}`, flag: i % 4 === 0 ? ' OUI ' : 'non' });
    }
    accounts.push({ cat: 'edition', naf: 62.01, flag: 1 }, { cat: 'Édition', naf: '6201', flag: true });
    const all = [...accounts, ...accounts];
    // One deep comparison of everything: an expect per account would make this test slow.
    expect(all.map((attrs) => scorer.score(attrs))).toStrictEqual(all.map((attrs) => reference.score(attrs)));
  });
});
