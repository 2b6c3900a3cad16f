import { describe, expect, it } from 'vitest';
import { buildOutputFields as hubspotFields, encodeOutput } from '../../../src/connectors/hubspot/output-fields.ts';
import { multiValues } from '../../../src/connectors/multi-value.ts';
import { buildOutputFields, encodeOutputValue } from '../../../src/connectors/salesforce/output-fields.ts';
import type { OutputValues } from '../../../src/connectors/port.ts';

const values = (tags: string[]): OutputValues => ({
  score: 71.6,
  tier: 'B',
  tags,
  reasons: 'Industry matches',
  completeness: 0.75,
  modelVersion: 'v1',
  scoredAt: '2026-11-26T10:00:00.000Z',
});

const sfTags = buildOutputFields().find((f) => f.key === 'tags');
const hsTags = hubspotFields().find((f) => f.key === 'tags');
if (!sfTags || !hsTags) throw new Error('no tags output field');

describe('multi-select tags encoding', () => {
  it('trims, drops empty values and repeats for Salesforce', () => {
    expect(encodeOutputValue(sfTags, values([' saas ', 'eu', '', '  ', 'saas', 'eu ']))).toBe('saas;eu');
  });

  it('writes null for Salesforce when nothing is left', () => {
    expect(encodeOutputValue(sfTags, values([]))).toBeNull();
    expect(encodeOutputValue(sfTags, values(['', ' ']))).toBeNull();
  });

  it('never emits a value holding ";", which Salesforce would split into two', () => {
    expect(() => encodeOutputValue(sfTags, values(['saas', 'a;b']))).toThrow(RangeError);
    expect(() => encodeOutputValue(sfTags, values(['saas', 'a;b']))).toThrow(/"a;b".*Salesforce/);
  });

  it('is the same rule on the HubSpot side, which writes "" for no tags', () => {
    expect(encodeOutput(hsTags, values([' saas ', 'eu', '', 'saas']))).toBe('saas;eu');
    expect(encodeOutput(hsTags, values([' ']))).toBe('');
    expect(() => encodeOutput(hsTags, values(['a;b']))).toThrow(/"a;b".*HubSpot/);
  });

  it('keeps the first occurrence order', () => {
    expect(multiValues(['b', 'a', ' b', 'c', 'a'], 'Salesforce')).toEqual(['b', 'a', 'c']);
  });
});
