import { describe, expect, it } from 'vitest';
import { mapRecord, inputFields } from '../../src/mappings/apply.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { applyTransforms, hostFromUrl } from '../../src/mappings/transforms.ts';

describe('transforms', () => {
  it('number reads RevOps numbers and drops garbage', () => {
    expect(applyTransforms([{ kind: 'number' }], '1 200,5')).toBe(1200.5);
    expect(applyTransforms([{ kind: 'number' }], '1,200')).toBe(1200);
    expect(applyTransforms([{ kind: 'number' }], 'n/a')).toBeUndefined();
    expect(applyTransforms([{ kind: 'number' }], 320)).toBe(320);
  });

  it('host takes the host of a URL or bare domain', () => {
    expect(hostFromUrl('https://www.Acme.fr/contact?x=1')).toBe('acme.fr');
    expect(hostFromUrl('acme.io')).toBe('acme.io');
    expect(hostFromUrl('http://shop.acme.co.uk:8080')).toBe('shop.acme.co.uk');
    expect(hostFromUrl('not a url')).toBeUndefined();
    expect(hostFromUrl('localhost')).toBeUndefined();
  });

  it('split makes a list, map replaces values without case or accents', () => {
    expect(applyTransforms([{ kind: 'split', separator: ';' }], 'HubSpot; Salesforce ;;')).toEqual(['HubSpot', 'Salesforce']);
    const map = { kind: 'map' as const, values: { 'Éditeur de logiciels': 'software', SaaS: 'software' } };
    expect(applyTransforms([map], 'editeur DE logiciels')).toBe('software');
    expect(applyTransforms([map], 'Retail')).toBe('Retail');
    expect(applyTransforms([{ ...map, default: null }], 'Retail')).toBeUndefined();
    expect(applyTransforms([{ kind: 'split', separator: ',' }, map], 'saas, Retail')).toEqual(['software', 'Retail']);
  });

  it('text trims and collapses, blank is missing', () => {
    expect(applyTransforms([{ kind: 'text' }], '  IT   Services ')).toBe('IT Services');
    expect(applyTransforms([{ kind: 'text' }], '   ')).toBeUndefined();
  });
});

describe('mapRecord', () => {
  it('takes the first usable field of a fallback list and records provenance', () => {
    const account = DEFAULT_MAPPINGS.salesforce['Account'];
    if (!account) throw new Error('no default Account mapping');
    const mapped = mapRecord(account, {
      id: '001',
      fields: { BillingCountryCode: null, BillingCountry: 'Allemagne', NumberOfEmployees: 250, Website: 'https://www.acme.de', Industry: ' Software ' },
    });
    expect(mapped.attributes).toEqual({ country: 'DE', employees: 250, domain: 'acme.de', industry: 'Software' });
    expect(mapped.provenance['country']).toEqual({ source: 'crm:BillingCountry' });
    expect(inputFields(account)).toContain('BillingCountryCode');
  });

  it('skips a field whose value does not transform (unknown country), trying the next', () => {
    const account = DEFAULT_MAPPINGS.salesforce['Account'];
    if (!account) throw new Error('no default Account mapping');
    const mapped = mapRecord(account, { id: '1', fields: { BillingCountryCode: 'ZZ', BillingCountry: 'France' } });
    expect(mapped.attributes['country']).toBe('FR');
  });
});
