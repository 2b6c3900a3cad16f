import { describe, expect, it } from 'vitest';
import { attributePrep } from '../../src/io/file-attributes.ts';

describe('attributePrep', () => {
  it('is not needed when the model reads no country', () => {
    expect(attributePrep(['industry', 'employees'])).toBeUndefined();
  });

  it('reads countries the way the CRM mappings do: ISO alpha-2, unknown is missing', () => {
    const prep = attributePrep(['country']);
    const rows: Array<Record<string, unknown>> = [
      { country: 'France' },
      { country: 'DEU' },
      { country: 'Belgique' },
      { country: 'fr' },
      { country: 'Atlantis' },
      { country: '' },
      { country: ['Suisse', 'Nowhere'] },
      { country: 42 },
      {},
    ];
    for (const row of rows) prep?.(row);
    expect(rows.map((r) => r['country'])).toEqual(['FR', 'DE', 'BE', 'FR', undefined, undefined, ['CH'], 42, undefined]);
  });
});
