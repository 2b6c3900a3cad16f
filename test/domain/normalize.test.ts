import { describe, expect, it } from 'vitest';
import { isMissing, normalizeCode, normalizeText, parseNumber } from '../../src/domain/normalize.ts';

describe('normalizeText', () => {
  it.each([
    ['Software', 'software'],
    ['  Édition   de  Logiciels ', 'edition de logiciels'],
    ['ÉLECTRONIQUE', 'electronique'],
    ['Ça\u00a0va', 'ca va'],
    ['tab\tand\nnewline', 'tab and newline'],
    ['ﬁnance', 'finance'], // NFKD splits the ligature
    ['already normal', 'already normal'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('normalizeCode', () => {
  it.each([
    ['62.01Z', '6201Z'],
    ['62.01z', '6201Z'],
    [' 70 22 z ', '7022Z'],
    ['J-62.0', 'J620'],
    ['62–01', '6201'], // en dash
    ['6201Z', '6201Z'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });
});

describe('parseNumber', () => {
  it.each([
    ['1 200', 1200],
    ['1\u00a0200', 1200],
    ['1\u202f200', 1200],
    ['1_000_000', 1000000],
    ['1,200', 1200],
    ['12,5', 12.5],
    ['1 200,5', 1200.5],
    ['1,200.5', 1200.5],
    ['-1,5', -1.5],
    ['1,20', 1.2],
    ['1,2345', 1.2345],
    ['12,345,678', 12345678],
    ['-12,345', -12345],
    ['  42  ', 42],
    ['-0.5', -0.5],
    ['007', 7],
  ])('%j → %j', (input, expected) => {
    expect(parseNumber(input)).toBe(expected);
  });

  it('drops the commas whenever both separators appear, as the contract says (even in "1.200,5")', () => {
    expect(parseNumber('1.200,5')).toBe(1.2005);
    expect(parseNumber('1,234,567.89')).toBe(1234567.89);
  });

  it.each(['', '   ', 'abc', '12abc', '1e5', '+3', '.5', '5.', '1,2,3', '1..2', '--1', '12 %', '€12'])(
    'rejects %j',
    (input) => {
      expect(parseNumber(input)).toBeUndefined();
    },
  );

  it('takes finite numbers as they are and refuses everything else', () => {
    expect(parseNumber(12.5)).toBe(12.5);
    expect(parseNumber(-3)).toBe(-3);
    expect(parseNumber(Number.NaN)).toBeUndefined();
    expect(parseNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseNumber(true)).toBeUndefined();
    expect(parseNumber(null)).toBeUndefined();
    expect(parseNumber({})).toBeUndefined();
    expect(parseNumber([12])).toBeUndefined();
  });
});

describe('isMissing', () => {
  it.each([undefined, null, '', '  ', '\u00a0', [], ['', null], Number.NaN, Number.NEGATIVE_INFINITY])(
    'treats %j as missing',
    (v) => {
      expect(isMissing(v)).toBe(true);
    },
  );
  it.each([0, false, 'x', ['', 'x'], {}, -1])('treats %j as present', (v) => {
    expect(isMissing(v)).toBe(false);
  });
});
