import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reason, ScoreResult } from '../../src/domain/types.ts';
import { ResultJson } from '../../src/io/result-json.ts';

const text = fc.string({ unit: fc.constantFrom('a', 'É', '"', '\\', '\n', '\u2028', '\u0001', ' ', '😀') });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const reason: fc.Arbitrary<Reason> = fc.record({
  criterion: fc.constantFrom('industry', 'size', 'naf'),
  label: fc.constantFrom('Secteur', 'Effectif "taille"', 'NAF\n'),
  value: fc.oneof(fc.constant(null), text, finite, fc.boolean(), fc.array(text, { maxLength: 3 }), fc.dictionary(text, finite, { maxKeys: 2 })),
  points: fc.oneof(finite, fc.constantFrom(0, -0, 0.5, 1)),
  contribution: fc.oneof(finite, fc.constantFrom(0, 12.5, 40)),
  status: fc.constantFrom('match', 'partial', 'miss', 'missing'),
});
const result: fc.Arbitrary<ScoreResult> = fc.record({
  score: fc.integer({ min: 0, max: 100 }),
  tier: text,
  excluded: fc.boolean(),
  exclusions: fc.constant([]),
  completeness: fc.double({ min: 0, max: 1, noNaN: true }),
  tags: fc.array(text, { maxLength: 3 }),
  reasons: fc.array(reason, { maxLength: 5 }),
});

describe('ResultJson', () => {
  it('writes exactly what JSON.stringify writes for the contract keys', () => {
    const json = new ResultJson();
    fc.assert(
      fc.property(text, result, (id, r) => {
        const { score, tier, excluded, completeness, tags, reasons } = r;
        expect(json.line(id, r)).toBe(`${JSON.stringify({ id, score, tier, excluded, completeness, tags, reasons })}\n`);
      }),
      { numRuns: 500 },
    );
  });

  it('falls back to JSON.stringify for values it does not handle itself', () => {
    const json = new ResultJson();
    const r: ScoreResult = {
      score: 1,
      tier: 'D',
      excluded: false,
      exclusions: [],
      completeness: 1,
      tags: [],
      reasons: [{ criterion: 'x', label: 'X', value: undefined, points: Number.NaN, contribution: 0, status: 'miss' }],
    };
    const { score, tier, excluded, completeness, tags, reasons } = r;
    expect(json.line('a', r)).toBe(`${JSON.stringify({ id: 'a', score, tier, excluded, completeness, tags, reasons })}\n`);
  });
});
