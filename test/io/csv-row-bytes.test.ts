import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExclusionHit, Reason, ScoreResult } from '../../src/domain/types.ts';
import { CsvRowBytes } from '../../src/io/csv-row-bytes.ts';
import { csvFormatter, csvPeopleFormatter, type RowPerson } from '../../src/io/result-formatter.ts';

// Units chosen to hit every branch: ASCII, CSV specials, whitespace to fold, non-ASCII, a lone
// surrogate, Unicode spaces, the separator's own dot.
const unit = fc.constantFrom('a', 'Z', '1', ' ', '  ', ',', '"', '\n', '\r', '\t', ';', 'É', '·', '\u00a0', '\u202f', '😀', '\ud800', '\u0001', '\u007f');
const text = fc.string({ unit, maxLength: 50 });
const plain = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .-]{0,45}$/);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const value = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  plain,
  text,
  finite,
  fc.constantFrom(Number.NaN, -0, 1200, 0.85),
  fc.boolean(),
  fc.array(fc.oneof(plain, text, finite, fc.boolean(), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(text, finite, { maxKeys: 2 }),
);
const reason: fc.Arbitrary<Reason> = fc.record({
  criterion: fc.constantFrom('industry', 'size', 'naf'),
  label: fc.oneof(fc.constantFrom('Secteur', 'Effectif', 'CA annuel', 'Ancienneté', 'Secteur (NAF)'), text),
  value,
  points: fc.oneof(finite, fc.constantFrom(0, -0, 0.5, 1, Number.NaN)),
  contribution: fc.oneof(finite, fc.constantFrom(0, 12.5, 14.5, 40, Number.NaN)),
  status: fc.constantFrom('match', 'partial', 'miss', 'missing'),
}) as fc.Arbitrary<Reason>;
const exclusion: fc.Arbitrary<ExclusionHit> = fc.record({
  id: fc.constant('x'),
  reason: fc.oneof(fc.constantFrom('Concurrent direct', 'Entreprise fermée'), text),
  value: fc.constant(true),
});
const result: fc.Arbitrary<ScoreResult> = fc.record({
  score: fc.integer({ min: 0, max: 100 }),
  tier: fc.oneof(fc.constantFrom('A', 'B', 'X'), text),
  excluded: fc.boolean(),
  exclusions: fc.array(exclusion, { maxLength: 2 }),
  completeness: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.85)),
  tags: fc.array(fc.oneof(fc.constantFrom('secteur-tech', 'francophone'), text), { maxLength: 3 }),
  reasons: fc.array(reason, { maxLength: 9 }),
});
const person: fc.Arbitrary<RowPerson | undefined> = fc.option(
  fc.record({
    role: fc.oneof(fc.constantFrom('none', 'decision_maker'), text),
    priority: fc.option(fc.integer({ min: 0, max: 100 })),
    priorityTier: fc.option(fc.oneof(fc.constantFrom('P1', 'P4', 'X'), text)),
  }),
  { nil: undefined },
);
const id = fc.oneof(plain, text);

describe('CsvRowBytes', () => {
  it('gives the bytes of the csv row text', () => {
    const bytes = new CsvRowBytes(false);
    fc.assert(
      fc.property(id, result, (i, r) => {
        expect(Buffer.from(bytes.row(i, r)).toString('hex')).toBe(Buffer.from(csvFormatter.row(i, r), 'utf8').toString('hex'));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the bytes of the csv row text with the people columns', () => {
    const bytes = new CsvRowBytes(true);
    fc.assert(
      fc.property(id, result, person, (i, r, p) => {
        expect(Buffer.from(bytes.row(i, r, p)).toString('hex')).toBe(Buffer.from(csvPeopleFormatter.row(i, r, p), 'utf8').toString('hex'));
      }),
      { numRuns: 2000 },
    );
  });

  it('grows past its first buffer and keeps rows apart', () => {
    const bytes = new CsvRowBytes(false);
    const long = 'é'.repeat(30_000);
    const r: ScoreResult = {
      score: 40,
      tier: 'C',
      excluded: false,
      exclusions: [],
      completeness: 1,
      tags: [long],
      reasons: [{ criterion: 'a', label: long, value: `${long},x`, points: 1, contribution: 40, status: 'match' }],
    };
    expect(Buffer.from(bytes.row(long, r)).toString('utf8')).toBe(csvFormatter.row(long, r));
    expect(Buffer.from(bytes.row('b', { ...r, tags: [], reasons: [] })).toString('utf8')).toBe('b,40,C,false,1,,\n');
  });
});
