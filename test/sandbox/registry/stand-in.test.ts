/**
 * The demo's registry stand-in answers the real recherche-entreprises provider as the registry would:
 * a company of a sandbox seed is found by its name and postal code (and by SIREN), and enrichment
 * gets its NAF code, headcount band, category and age; the API's query rules are enforced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRechercheEntreprisesProvider } from '../../../src/enrichment/recherche-entreprises/provider.ts';
import { syntheticFirms } from '../../../src/sandbox/hubspot/seed.ts';
import { seedAccountFirms } from '../../../src/sandbox/salesforce/seed.ts';
import { headcountBand, sirenFor } from '../../../src/sandbox/registry/directory.ts';
import { yearsSince } from '../../../src/enrichment/age.ts';
import { luhnValid } from '../../../src/enrichment/recherche-entreprises/query.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../../../src/sandbox/registry/server.ts';

const firms = syntheticFirms(120, 42);
const french = firms.filter((f) => f.registry !== undefined);

describe('registry stand-in', () => {
  let registry: RegistryStandIn;
  beforeAll(async () => {
    registry = await startRegistryStandIn(french.map((f) => f.registry).filter((r) => r !== undefined));
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('knows every French company of the seeds, and only those, with valid SIRENs', () => {
    expect(french.length).toBeGreaterThan(40);
    expect(french.every((f) => f.properties.country === 'France')).toBe(true);
    expect(firms.filter((f) => !f.registry).every((f) => f.properties.country !== 'France')).toBe(true);
    expect(seedAccountFirms(60, 1).every((f) => (f.registry !== undefined) === (f.account.BillingCountry === 'France'))).toBe(true);
    expect(registry.companies.every((c) => luhnValid(c.siren) && c.siege.siret.startsWith(c.siren))).toBe(true);
    expect(new Set(registry.companies.map((c) => c.siren)).size).toBe(registry.companies.length);
    expect(sirenFor(1)).toMatch(/^\d{9}$/);
    expect([headcountBand(4), headcountBand(120), headcountBand(250), headcountBand(12_000)]).toEqual(['02', '22', '32', '53']);
  });

  it('lets the provider find a seeded company by name and postal code, with the registry attributes the model uses', async () => {
    const provider = createRechercheEntreprisesProvider({ baseUrl: registry.url, timeoutMs: 2000, threshold: 0.85, now: () => new Date('2026-12-01T00:00:00Z') });
    const firm = french.find((f) => f.properties.zip && f.registry !== undefined && f.registry.closedOn === undefined && f.registry.naf.startsWith('62'));
    expect(firm).toBeDefined();
    const { properties: p, registry: facts } = firm ?? { properties: {}, registry: undefined };
    const hit = await provider.lookup({ name: p.name, postal_code: p.zip, city: p.city, country: 'FR' });
    expect(hit?.attributes.naf).toBe(facts?.naf);
    expect(hit?.attributes.company_category).toBe((facts?.employees ?? 0) < 250 ? 'PME' : 'ETI');
    expect(hit?.attributes.employees_band_code).toBe(headcountBand(facts?.employees ?? 0));
    expect(hit?.attributes.company_age_years).toBe(yearsSince(facts?.createdOn ?? '', new Date('2026-12-01T00:00:00Z')));
    expect(hit?.attributes.company_age_years).toBeGreaterThanOrEqual(4);
    expect(hit?.provenance.naf?.source).toBe('recherche-entreprises');
    const bySiren = await provider.lookup({ siren: String(hit?.attributes.siren) });
    expect(bySiren?.attributes.naf).toBe(facts?.naf);
    // Abroad, or in another place, nothing is matched.
    expect(await provider.lookup({ name: p.name, postal_code: '29200', country: 'FR' })).toBeNull();
  });

  it('enforces the API query rules and answers 404 elsewhere', async () => {
    expect((await fetch(`${registry.url}/search?q=ab`)).status).toBe(400);
    expect((await fetch(`${registry.url}/search?q=atelier&per_page=26`)).status).toBe(400);
    expect((await fetch(`${registry.url}/search?q=atelier&per_page=25&page=401`)).status).toBe(400);
    expect((await fetch(`${registry.url}/other`)).status).toBe(404);
    const page = (await (await fetch(`${registry.url}/search?q=atelier&per_page=5`)).json()) as { results: unknown[]; total_results: number };
    expect(page.results.length).toBeLessThanOrEqual(5);
    expect(registry.calls()).toBeGreaterThanOrEqual(4);
  });
});
