/**
 * The built-in mappings read what enrichment providers match on: a default install gives
 * recherche-entreprises a postal code to match a company name with.
 */
import { describe, expect, it } from 'vitest';
import { inputFields, mapRecord } from '../../src/mappings/apply.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import type { ObjectMapping } from '../../src/mappings/types.ts';

const mapping = (crm: 'hubspot' | 'salesforce', objectType: string): ObjectMapping => {
  const m = DEFAULT_MAPPINGS[crm][objectType];
  if (!m) throw new Error(`no default mapping for ${crm} ${objectType}`);
  return m;
};

describe('default postal_code mappings', () => {
  it.each([
    ['hubspot', 'companies', 'zip'],
    ['salesforce', 'Account', 'BillingPostalCode'],
    ['salesforce', 'Lead', 'PostalCode'],
  ] as const)('%s %s reads postal_code from %s, as text', (crm, objectType, field) => {
    const m = mapping(crm, objectType);
    expect(inputFields(m)).toContain(field);
    const mapped = mapRecord(m, { id: '1', fields: { [field]: ' 69002 ' } });
    expect(mapped.attributes['postal_code']).toBe('69002');
    expect(mapped.provenance['postal_code']).toEqual({ source: `crm:${field}` });
  });

  it('keeps a leading zero (a postal code is not a number)', () => {
    expect(mapRecord(mapping('hubspot', 'companies'), { id: '1', fields: { zip: '01000' } }).attributes['postal_code']).toBe('01000');
  });

  it('maps no siren/siret by default: they are custom fields, left as examples in config/mappings.yaml', () => {
    for (const m of [mapping('hubspot', 'companies'), mapping('salesforce', 'Account'), mapping('salesforce', 'Lead')]) {
      expect(Object.keys(m.attributes)).not.toContain('siren');
      expect(Object.keys(m.attributes)).not.toContain('siret');
    }
  });
});
