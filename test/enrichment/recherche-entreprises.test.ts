import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { createRechercheEntreprisesProvider } from '../../src/enrichment/recherche-entreprises/provider.ts';
import { HEADCOUNT_BANDS, latestRevenue, yearsSince } from '../../src/enrichment/recherche-entreprises/mapping.ts';
import { luhnValid, registryQuery } from '../../src/enrichment/recherche-entreprises/query.ts';
import { fixture, RecordingGate, REGISTRY } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

function provider(gate = new RecordingGate(), timeoutMs = 2000) {
  return createRechercheEntreprisesProvider({ baseUrl: REGISTRY, timeoutMs, threshold: 0.85, gate, now: () => NOW });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('registryQuery', () => {
  it('prefers a SIRET, then a SIREN, written with spaces or not', () => {
    expect(registryQuery({ siret: '812 345 672 00021', siren: '812345672' })).toEqual({ kind: 'siret', siret: '81234567200021' });
    expect(registryQuery({ siren: '812 345 672' })).toEqual({ kind: 'siren', siren: '812345672' });
    expect(registryQuery({ siren: 812345672 })).toEqual({ kind: 'siren', siren: '812345672' });
    expect(registryQuery({ siret: '812345672' })).toEqual({ kind: 'siren', siren: '812345672' });
  });

  it('reads French VAT numbers and restores a leading zero lost in a spreadsheet (Luhn-checked)', () => {
    expect(registryQuery({ vat_number: 'FR 40 812345672' })).toEqual({ kind: 'siren', siren: '812345672' });
    expect(registryQuery({ vat_number: 'FR40812345672' })).toEqual({ kind: 'siren', siren: '812345672' });
    expect(luhnValid('812345676')).toBe(true);
    expect(luhnValid('812345673')).toBe(false);
    // 055202535 passes Luhn, so the 8 digits 55202535 read as it; 012345678 does not.
    expect(luhnValid('055202535')).toBe(true);
    expect(registryQuery({ siren: 55202535 })).toEqual({ kind: 'siren', siren: '055202535' });
    expect(registryQuery({ siren: '12345678', name: 'Acme', postal_code: '69002' })).toMatchObject({ kind: 'name' });
    expect(registryQuery({ name: 'Bourg Auto', postal_code: 1000 })).toMatchObject({ kind: 'name', postalCode: '01000', department: '01' });
  });

  it('searches by name only with a postal code or a département', () => {
    expect(registryQuery({ name: 'Garage du Centre SARL', postal_code: '33000' })).toMatchObject({ kind: 'name', terms: 'garage centre', postalCode: '33000', department: '33' });
    expect(registryQuery({ name: 'Garage du Centre', department: '2a' })).toMatchObject({ kind: 'name', department: '2A' });
    expect(registryQuery({ name: 'Garage du Centre', state: '33' })).toMatchObject({ kind: 'name', department: '33' });
    expect(registryQuery({ name: 'Garage du Centre' })).toBeNull();
    expect(registryQuery({ name: 'Garage du Centre', city: 'Bordeaux' })).toBeNull();
  });

  it('skips foreign companies and records without a usable name', () => {
    expect(registryQuery({ name: 'Acme', postal_code: '10115', country: 'DE' })).toBeNull();
    expect(registryQuery({ name: 'Acme', postal_code: '69002', country: 'FR' })).not.toBeNull();
    expect(registryQuery({ name: '  ', postal_code: '69002' })).toBeNull();
    expect(registryQuery({ siren: 'not a number', name: 'X', postal_code: '69002' })).toBeNull();
  });
});

describe('mapping helpers', () => {
  it('knows every INSEE headcount band', () => {
    expect(Object.keys(HEADCOUNT_BANDS).sort()).toEqual(['00', '01', '02', '03', '11', '12', '21', '22', '31', '32', '41', '42', '51', '52', '53', 'NN']);
    expect(HEADCOUNT_BANDS['21']).toEqual({ band: '50-99', employees: 75 });
  });

  it('computes whole years and the latest published revenue', () => {
    expect(yearsSince('2015-06-01', NOW)).toBe(11);
    expect(yearsSince('2015-12-01', NOW)).toBe(10);
    expect(yearsSince('2030-01-01', NOW)).toBeUndefined();
    expect(yearsSince('garbage', NOW)).toBeUndefined();
    expect(latestRevenue({ '2021': { ca: 1 }, '2023': { ca: 3 }, '2022': { ca: 2 } })).toEqual({ amount: 3, year: 2023 });
    expect(latestRevenue({ '2023': { ca: null, resultat_net: 5 } })).toBeUndefined();
    expect(latestRevenue(null)).toBeUndefined();
  });
});

describe('recherche-entreprises provider', () => {
  it('looks a SIREN up directly and maps every firmographic field', async () => {
    const scope = nock(REGISTRY)
      .get('/search')
      .query({ q: '812345672', page: '1', per_page: '1', minimal: 'true', include: 'siege,finances,matching_etablissements' })
      .reply(200, fixture('recherche-entreprises/siren-hit.json'));
    const gate = new RecordingGate();
    const got = await provider(gate).lookup({ siren: '812345672' });
    scope.done();
    expect(gate.acquired).toBe(1);
    expect(got?.attributes).toEqual({
      siren: '812345672',
      country: 'FR',
      legal_name: 'ACME LOGICIELS',
      siret: '81234567200021',
      naf: '62.01Z',
      naf_2025: '62.10Y',
      naf_section: 'J',
      employees_band_code: '21',
      employees_band: '50-99',
      employees: 75,
      employees_year: 2023,
      company_category: 'PME',
      founded_year: 2015,
      founded_on: '2015-06-01',
      company_age_years: 11,
      is_closed: false,
      legal_form_code: '5710',
      establishments: 2,
      annual_revenue: 9125000,
      annual_revenue_year: 2023,
      postal_code: '69002',
      city: 'LYON 2EME',
    });
    expect(got?.provenance.naf).toEqual({ source: 'recherche-entreprises', fetchedAt: NOW.toISOString(), confidence: 1 });
  });

  it('looks a SIRET up directly and checks the answer belongs to it', async () => {
    nock(REGISTRY).get('/search').query((q) => q.q === '81234567200021').reply(200, fixture('recherche-entreprises/siren-hit.json'));
    expect((await provider().lookup({ siret: '81234567200021' }))?.attributes.siren).toBe('812345672');
    nock(REGISTRY).get('/search').query((q) => q.q === '99999999900011').reply(200, fixture('recherche-entreprises/siren-hit.json'));
    expect(await provider().lookup({ siret: '99999999900011' })).toBeNull();
  });

  it('returns null when the registry knows no such company', async () => {
    nock(REGISTRY).get('/search').query(true).reply(200, fixture('recherche-entreprises/no-results.json'));
    expect(await provider().lookup({ siren: '111111118' })).toBeNull();
  });

  it('chooses among several name-search candidates: the active one in the right place', async () => {
    const scope = nock(REGISTRY)
      .get('/search')
      .query((q) => q.q === 'garage centre' && q.code_postal === '33000' && q.per_page === '10' && q.minimal === 'true' && q.departement === undefined)
      .reply(200, fixture('recherche-entreprises/name-search-several.json'));
    const got = await provider().lookup({ name: 'SARL Garage du Centre', postal_code: '33000' });
    scope.done();
    expect(got?.attributes).toMatchObject({ siren: '432109876', employees_band: '6-9', employees: 8, is_closed: false, annual_revenue: 1250000 });
    expect(got?.provenance.siren?.confidence).toBe(1);
  });

  it('widens a postal-code search that finds nothing (CEDEX) to the département, with a lower confidence', async () => {
    const scope = nock(REGISTRY)
      .get('/search')
      .query((q) => q.code_postal === '69441')
      .reply(200, fixture('recherche-entreprises/no-results.json'))
      .get('/search')
      .query((q) => q.departement === '69' && q.code_postal === undefined)
      .reply(200, fixture('recherche-entreprises/siren-hit.json'));
    const got = await provider().lookup({ name: 'Acme Logiciels SAS', postal_code: '69441' });
    scope.done();
    expect(got?.attributes.siren).toBe('812345672');
    expect(got?.provenance.naf?.confidence).toBe(0.96);
  });

  it('refuses homonyms that sit only in another département', async () => {
    nock(REGISTRY).get('/search').query(true).reply(200, fixture('recherche-entreprises/name-search-several.json'));
    expect(await provider().lookup({ name: 'Garage du Centre', postal_code: '13001' })).toBeNull();
  });

  it('refuses an ambiguous name search rather than guessing', async () => {
    nock(REGISTRY).get('/search').query((q) => q.departement === '33' && q.code_postal === undefined).reply(200, fixture('recherche-entreprises/name-search-ambiguous.json'));
    expect(await provider().lookup({ name: 'Garage du Centre', department: '33' })).toBeNull();
  });

  it('maps a closed company so that an exclusion can use it', async () => {
    const body = fixture<{ results: Record<string, unknown>[] }>('recherche-entreprises/name-search-several.json');
    nock(REGISTRY).get('/search').query(true).reply(200, { ...body, results: [body.results[1]], total_results: 1 });
    const got = await provider().lookup({ siren: '390876541' });
    expect(got?.attributes).toMatchObject({ is_closed: true, closed_on: '2019-12-31', employees: 0, employees_band: '0' });
    expect(got?.attributes.company_category).toBeUndefined();
  });

  it('turns a 429 into a ProviderError and pauses every worker for Retry-After', async () => {
    nock(REGISTRY).get('/search').query(true).reply(429, { message: 'Too Many Requests' }, { 'Retry-After': '3' });
    const gate = new RecordingGate();
    const err = await provider(gate).lookup({ siren: '812345672' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'recherche-entreprises', status: 429, retryAfterMs: 3000 });
    expect(gate.pauses).toEqual([3000]);
  });

  it('turns a 5xx into a ProviderError', async () => {
    nock(REGISTRY).get('/search').query(true).reply(503, '<html>Service Unavailable</html>');
    await expect(provider().lookup({ siren: '812345672' })).rejects.toMatchObject({ name: 'ProviderError', status: 503 });
  });

  it('turns a 400 (query rules) into a ProviderError', async () => {
    nock(REGISTRY).get('/search').query(true).reply(400, fixture('recherche-entreprises/bad-request.json'));
    await expect(provider().lookup({ siren: '812345672' })).rejects.toMatchObject({ name: 'ProviderError', status: 400 });
  });

  it('gives up after the timeout', async () => {
    nock(REGISTRY)
      .get('/search')
      .query(true)
      .reply(async () => {
        await new Promise((r) => setTimeout(r, 400));
        return [200, fixture('recherche-entreprises/siren-hit.json')];
      });
    const err = await provider(new RecordingGate(), 100).lookup({ siren: '812345672' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(/no answer within 100 ms/);
  });

  it('refuses an answer that does not have the documented shape', async () => {
    nock(REGISTRY).get('/search').query(true).reply(200, { erreur: 'inattendu' });
    await expect(provider().lookup({ siren: '812345672' })).rejects.toBeInstanceOf(ProviderError);
  });

  it('ignores a malformed entry without losing the good ones', async () => {
    const body = fixture<{ results: unknown[] }>('recherche-entreprises/siren-hit.json');
    nock(REGISTRY).get('/search').query(true).reply(200, { ...body, results: [{ siren: 12 }, ...body.results] });
    expect((await provider().lookup({ siren: '812345672' }))?.attributes.naf).toBe('62.01Z');
  });

  it('makes no call for a record it cannot look up', async () => {
    expect(await provider().lookup({ name: 'Acme', country: 'US' })).toBeNull();
    expect(provider().lookupKey({ name: 'Acme', country: 'US' })).toBeNull();
  });
});
