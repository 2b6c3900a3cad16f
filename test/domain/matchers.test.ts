import { describe, expect, it } from 'vitest';
import { pointsFor, single } from './model-fixture.ts';

describe('category matcher', () => {
  const s = single({ kind: 'category', values: { Software: 1, 'IT  Services': 0.8, 'Édition': 0.5, '12.5': 0.3, true: 0.2 }, default: 0.1 });

  it('normalises both sides (accents, case, spaces)', () => {
    expect(pointsFor(s, 'software')).toBe(1);
    expect(pointsFor(s, '  SOFTWARE ')).toBe(1);
    expect(pointsFor(s, 'it services')).toBe(0.8);
    expect(pointsFor(s, 'IT\u00a0 Services')).toBe(0.8);
    expect(pointsFor(s, 'edition')).toBe(0.5);
    expect(pointsFor(s, 'ÉDITION')).toBe(0.5);
  });

  it('gives the default to present values that are not listed, never to missing ones', () => {
    expect(pointsFor(s, 'Retail')).toBe(0.1);
    expect(pointsFor(s, '')).toBe('missing');
    expect(pointsFor(s, '   ')).toBe('missing');
    expect(pointsFor(s, null)).toBe('missing');
    expect(pointsFor(s, undefined)).toBe('missing');
  });

  it('defaults to 0 points without a default', () => {
    const bare = single({ kind: 'category', values: { software: 1 } });
    expect(pointsFor(bare, 'Retail')).toBe(0);
  });

  it('compares a number as its JavaScript decimal string (12.50 → "12.5")', () => {
    expect(pointsFor(s, 12.5)).toBe(0.3);
    expect(pointsFor(s, 12.50)).toBe(0.3);
    expect(pointsFor(s, 13)).toBe(0.1);
  });

  it('compares a boolean as the text "true"/"false"', () => {
    expect(pointsFor(s, true)).toBe(0.2);
    expect(pointsFor(s, false)).toBe(0.1);
  });

  it('treats NaN, Infinity and objects as missing', () => {
    expect(pointsFor(s, Number.NaN)).toBe('missing');
    expect(pointsFor(s, Number.POSITIVE_INFINITY)).toBe('missing');
    expect(pointsFor(s, { a: 1 })).toBe('missing');
  });

  it('takes the max over a list, skipping missing items; an empty list is missing', () => {
    expect(pointsFor(s, ['Retail', 'Software'])).toBe(1);
    expect(pointsFor(s, ['edition', 'it services'])).toBe(0.8);
    expect(pointsFor(s, ['', 'Retail'])).toBe(0.1);
    expect(pointsFor(s, [])).toBe('missing');
    expect(pointsFor(s, ['', null, '  '])).toBe('missing');
  });
});

describe('prefix matcher', () => {
  const s = single({ kind: 'prefix', values: { '62': 0.5, '62.01': 1, '58.29': 0.8, J: 0.2 }, default: 0.05 });

  it('lets the longest matching prefix win', () => {
    expect(pointsFor(s, '62.01Z')).toBe(1);
    expect(pointsFor(s, '62.02A')).toBe(0.5);
    expect(pointsFor(s, '6201z')).toBe(1);
    expect(pointsFor(s, ' 62 01 Z')).toBe(1);
    expect(pointsFor(s, '62-01')).toBe(1);
    expect(pointsFor(s, 'j62')).toBe(0.2);
  });

  it('gives the default to a present code with no matching prefix, never to a missing one', () => {
    expect(pointsFor(s, '47.11F')).toBe(0.05);
    expect(pointsFor(s, '')).toBe('missing');
    expect(pointsFor(s, null)).toBe('missing');
  });

  it('defaults to 0 without a default', () => {
    expect(pointsFor(single({ kind: 'prefix', values: { '62': 1 } }), '47')).toBe(0);
  });

  it('reads a number as its decimal string; booleans are missing', () => {
    expect(pointsFor(s, 62.01)).toBe(1);
    expect(pointsFor(s, 6202)).toBe(0.5);
    expect(pointsFor(s, true)).toBe('missing');
  });

  it('takes the max over a list', () => {
    expect(pointsFor(s, ['47.11F', '62.01Z'])).toBe(1);
    expect(pointsFor(s, [])).toBe('missing');
  });
});

describe('range matcher', () => {
  const s = single({
    kind: 'range',
    bands: [
      { min: 50, max: 200, points: 1 },
      { min: 10, max: 49, points: 0.5 },
      { min: 150, max: 1000, points: 0.7 },
      { min: 2000, points: 0.2 },
      { max: 0, points: 0.9 },
    ],
    default: 0.1,
  });

  it('includes both bounds', () => {
    expect(pointsFor(s, 50)).toBe(1);
    expect(pointsFor(s, 200)).toBe(1);
    expect(pointsFor(s, 49)).toBe(0.5);
    expect(pointsFor(s, 10)).toBe(0.5);
    expect(pointsFor(s, 2000)).toBe(0.2);
    expect(pointsFor(s, 0)).toBe(0.9);
  });

  it('lets the first containing band win when bands overlap', () => {
    expect(pointsFor(s, 180)).toBe(1);
    expect(pointsFor(s, 201)).toBe(0.7);
  });

  it('gives the default to a number in no band (including the gap 49 < x < 50)', () => {
    expect(pointsFor(s, 49.5)).toBe(0.1);
    expect(pointsFor(s, 1500)).toBe(0.1);
    expect(pointsFor(single({ kind: 'range', bands: [{ min: 1, max: 2, points: 1 }] }), 5)).toBe(0);
  });

  it('parses numbers from strings', () => {
    expect(pointsFor(s, '1 200')).toBe(0.1);
    expect(pointsFor(s, '1,000')).toBe(0.7);
    expect(pointsFor(s, '2\u202f000')).toBe(0.2);
    expect(pointsFor(s, '12,5')).toBe(0.5);
    expect(pointsFor(s, '-1,5')).toBe(0.9);
    expect(pointsFor(s, '1,200.5')).toBe(0.1);
  });

  it('treats unparseable values as missing', () => {
    expect(pointsFor(s, 'about 100')).toBe('missing');
    expect(pointsFor(s, '')).toBe('missing');
    expect(pointsFor(s, true)).toBe('missing');
    expect(pointsFor(s, Number.NaN)).toBe('missing');
    expect(pointsFor(s, '1e3')).toBe('missing');
  });

  it('takes the max of the points over the parseable items of a list', () => {
    expect(pointsFor(s, ['20', 'n/a', 100])).toBe(1);
    expect(pointsFor(s, ['20', 'n/a'])).toBe(0.5);
    expect(pointsFor(s, ['n/a'])).toBe('missing');
  });
});

describe('boolean matcher', () => {
  const s = single({ kind: 'boolean', ifTrue: 0.9, ifFalse: 0.2 });

  it.each([true, 1, 'true', 'TRUE', 'yes', 'Yes', 'oui', 'OUI', ' oui ', '1'])('reads %j as true', (v) => {
    expect(pointsFor(s, v)).toBe(0.9);
  });

  it.each([false, 0, 'false', 'False', 'no', 'NO', 'non', 'Non', '0'])('reads %j as false', (v) => {
    expect(pointsFor(s, v)).toBe(0.2);
  });

  it.each([2, -1, 0.5, 'maybe', 'y', 'n', '', '  ', '2', null, Number.NaN, {}])('treats %j as missing', (v) => {
    expect(pointsFor(s, v)).toBe('missing');
  });

  it('defaults to ifTrue 1 and ifFalse 0', () => {
    const bare = single({ kind: 'boolean' });
    expect(pointsFor(bare, 'oui')).toBe(1);
    expect(pointsFor(bare, 'non')).toBe(0);
  });

  it('takes the max over a list', () => {
    expect(pointsFor(s, ['non', 'oui'])).toBe(0.9);
    expect(pointsFor(s, ['maybe', 'non'])).toBe(0.2);
  });
});

describe('memoised text matching', () => {
  it('gives the same points after the memo fills up and is emptied, and for long texts', () => {
    const s = single({ kind: 'category', values: { Software: 1 }, default: 0.25 });
    expect(pointsFor(s, ' SOFTWARE')).toBe(1);
    for (let i = 0; i < 5000; i++) expect(pointsFor(s, `industry ${i}`)).toBe(0.25);
    expect(pointsFor(s, ' SOFTWARE')).toBe(1);
    expect(pointsFor(s, '   ')).toBe('missing');
    const long = `Software${' '.repeat(300)}`;
    expect(pointsFor(s, long)).toBe(1);
    expect(pointsFor(s, long)).toBe(1);
  });

  it('keeps one memo per matcher', () => {
    const a = single({ kind: 'prefix', values: { '62': 1 } });
    const b = single({ kind: 'prefix', values: { '62': 0.5 } });
    expect(pointsFor(a, '62.01Z')).toBe(1);
    expect(pointsFor(b, '62.01Z')).toBe(0.5);
  });
});
