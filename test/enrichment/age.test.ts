/** The company age is computed from the cached creation date when read, never cached itself. */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { companyAge } from '../../src/enrichment/age.ts';
import { EnrichmentCache } from '../../src/enrichment/cache.ts';
import type { EnrichedAttributes } from '../../src/enrichment/port.ts';
import { testRedis } from './helpers.ts';

const prefix = `icp-test-${randomUUID()}`;
const { redis, cleanup } = testRedis(prefix);
afterAll(async () => {
  await cleanup();
});

const FETCHED = '2026-03-01T00:00:00.000Z';
const prov = { source: 'recherche-entreprises', fetchedAt: FETCHED, confidence: 1 };

describe('company age', () => {
  it('is read from the cached creation date at the time of reading, not at the time of fetching', async () => {
    let now = new Date(FETCHED);
    const cache = new EnrichmentCache({ redis, prefix, hitTtlSeconds: 3600, missTtlSeconds: 60, now: () => now });
    const answer: EnrichedAttributes = {
      attributes: { siren: '812345672', founded_year: 2015, founded_on: '2015-06-01', company_age_years: 10 },
      provenance: { siren: prov, founded_year: prov, founded_on: prov, company_age_years: prov },
    };
    await cache.setMany('recherche-entreprises', [{ lookupKey: 'siren:812345672', value: answer }]);
    // Nothing about the age sits in Redis.
    expect(await redis.get(cache.key('recherche-entreprises', 'siren:812345672'))).not.toContain('company_age_years');

    expect((await cache.getMany('recherche-entreprises', ['siren:812345672']))[0]?.attributes['company_age_years']).toBe(10);
    now = new Date('2026-06-01T00:00:00.000Z'); // the anniversary, within the 30 days of a hit
    const [later] = await cache.getMany('recherche-entreprises', ['siren:812345672']);
    expect(later?.attributes['company_age_years']).toBe(11);
    expect(later?.provenance['company_age_years']).toEqual(prov);
  });

  it('counts whole years from a date, calendar years from a year alone', () => {
    const now = new Date('2026-05-31T12:00:00Z');
    expect(companyAge({ founded_on: '2015-06-01', founded_year: 2015 }, now)).toBe(10);
    expect(companyAge({ founded_year: 2015 }, now)).toBe(11);
    expect(companyAge({ founded_year: 2030 }, now)).toBeUndefined();
    expect(companyAge({}, now)).toBeUndefined();
  });
});
