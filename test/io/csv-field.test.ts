import { describe, expect, it } from 'vitest';
import { csvField, csvSafeField } from '../../src/io/csv-field.ts';

describe('csvSafeField', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', '"\'\rx"'],
    ['=A1,"b"', '"\'=A1,""b"""'],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    expect(csvSafeField(value)).toBe(expected);
  });

  it('is csvField for everything else', () => {
    expect(csvSafeField('a,b')).toBe(csvField('a,b'));
  });
});
