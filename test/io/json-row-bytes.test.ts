import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reason, ScoreResult } from '../../src/domain/types.ts';
import { JsonRowBytes } from '../../src/io/json-row-bytes.ts';
import type { RowPerson } from '../../src/io/result-formatter.ts';
import { ResultJson } from '../../src/io/result-json.ts';

// Units that hit every branch: plain ASCII, JSON escapes, control characters, non-ASCII, a lone
// surrogate and the line separators JSON leaves as they are.
const unit = fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '\\', '/', '\n', '\t', '\u0001', '\u007f', 'É', '😀', '\ud800', '\u2028');
const text = fc.string({ unit, maxLength: 40 });
const plain = fc.stringMatching(/^[A-Za-z0-9 .,;-]{0,40}$/);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const value = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  plain,
  text,
  finite,
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21),
  fc.boolean(),
  fc.array(fc.oneof(plain, text), { maxLength: 3 }),
  fc.array(fc.oneof(plain, finite, fc.boolean(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(text, finite, { maxKeys: 2 }),
);
const reason: fc.Arbitrary<Reason> = fc.record({
  criterion: fc.oneof(fc.constantFrom('industry', 'size', 'naf'), text),
  label: fc.oneof(fc.constantFrom('Secteur', 'Effectif "taille"', 'NAF\n', 'Ancienneté'), text),
  value,
  points: fc.oneof(finite, fc.constantFrom(0, -0, 0.5, 1, Number.NaN)),
  contribution: fc.oneof(finite, fc.constantFrom(0, 12.5, 40, Number.NaN)),
  status: fc.constantFrom('match', 'partial', 'miss', 'missing', 'other'),
}) as fc.Arbitrary<Reason>;
const result: fc.Arbitrary<ScoreResult> = fc.record({
  score: fc.integer({ min: 0, max: 100 }),
  tier: fc.oneof(fc.constantFrom('A', 'X'), text),
  excluded: fc.boolean(),
  exclusions: fc.constant([]),
  completeness: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.85)),
  tags: fc.array(fc.oneof(fc.constantFrom('secteur-tech', 'francophone'), text), { maxLength: 3 }),
  reasons: fc.array(reason, { maxLength: 9 }),
});
const person: fc.Arbitrary<RowPerson | undefined> = fc.option(
  fc.record({
    role: fc.oneof(fc.constantFrom('none', 'decision_maker'), text),
    priority: fc.option(fc.integer({ min: 0, max: 100 })),
    priorityTier: fc.option(fc.oneof(fc.constantFrom('P1', 'X'), text)),
  }),
  { nil: undefined },
);
const id = fc.oneof(plain, text);

describe('JsonRowBytes', () => {
  it('gives the bytes of the json line text, with and without the person keys', () => {
    const bytes = new JsonRowBytes();
    const json = new ResultJson();
    fc.assert(
      fc.property(id, result, person, (i, r, p) => {
        expect(Buffer.from(bytes.line(i, r, p)).toString('hex')).toBe(Buffer.from(json.line(i, r, p), 'utf8').toString('hex'));
      }),
      { numRuns: 3000 },
    );
  });

  it('grows past its first buffer and keeps lines apart', () => {
    const bytes = new JsonRowBytes();
    const json = new ResultJson();
    const long = 'é"'.repeat(20_000);
    const r: ScoreResult = {
      score: 40,
      tier: 'C',
      excluded: false,
      exclusions: [],
      completeness: 1,
      tags: [long],
      reasons: [{ criterion: 'a', label: long, value: [long, 'x'], points: 1, contribution: 40, status: 'match' }],
    };
    expect(Buffer.from(bytes.line(long, r)).toString('utf8')).toBe(json.line(long, r));
    const small = { ...r, tags: [], reasons: [] };
    expect(Buffer.from(bytes.line('b', small)).toString('utf8')).toBe(json.line('b', small));
  });
});
