/**
 * A company known only by its SIREN gets a full, correct score from registry data: enricher and
 * scoring core together (the registry answers with its documented shape through nock).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reasonsText } from '../../src/domain/reasons-text.ts';
import { createEnricher } from '../../src/enrichment/index.ts';
import { fixture, REGISTRY, silentLogger, sirenScorer, testEnv, testRedis } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

const env = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises' });
const ctx = testRedis(env.REDIS_PREFIX);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

const scorer = () => sirenScorer('t1');

describe('SIREN-only company', () => {
  it('is scored in full from registry data, and the reasons say where values came from', async () => {
    nock(REGISTRY).get('/search').query((q) => q.q === '812345672').reply(200, fixture('recherche-entreprises/siren-hit.json'));
    const enricher = createEnricher({ env, redis: ctx.redis, logger: silentLogger, now: () => NOW });
    const [enriched] = await enricher.enrich([{ key: 'hubspot:companies:42', attributes: { siren: '812345672' }, provenance: { siren: { source: 'crm:siren' } } }]);
    const result = scorer().score(enriched!.attributes);
    // naf 62.01Z → 30; 75 employees → 25; PME → 15; 11 years → 10; revenue 9.125 M → 0.5 × 20 = 10.
    expect(result).toMatchObject({ score: 90, tier: 'A', excluded: false, completeness: 1, tags: ['tech'] });
    expect(result.reasons.map((r) => [r.criterion, r.value, r.status])).toEqual([
      ['naf', '62.01Z', 'match'],
      ['size', 75, 'match'],
      ['category', 'PME', 'match'],
      ['age', 11, 'match'],
      ['revenue', 9125000, 'partial'],
    ]);
    for (const attr of ['naf', 'employees', 'company_category', 'company_age_years', 'annual_revenue']) {
      expect(enriched!.provenance[attr]).toMatchObject({ source: 'recherche-entreprises', confidence: 1 });
    }
    expect(enriched!.provenance.siren).toEqual({ source: 'crm:siren' });
    expect(reasonsText(result)).toMatch(/Secteur: 62\.01Z/);
  });

  it('is excluded when the registry says the company is closed', async () => {
    const body = fixture<{ results: Record<string, unknown>[] }>('recherche-entreprises/name-search-several.json');
    nock(REGISTRY).get('/search').query((q) => q.q === '390876541').reply(200, { ...body, results: [body.results[1]], total_results: 1 });
    const enricher = createEnricher({ env, redis: ctx.redis, logger: silentLogger, now: () => NOW });
    const [enriched] = await enricher.enrich([{ key: 'hubspot:companies:43', attributes: { siren: '390876541' }, provenance: {} }]);
    const result = scorer().score(enriched!.attributes);
    expect(result).toMatchObject({ excluded: true, score: 0, tier: 'X', exclusions: [{ id: 'closed', reason: 'Entreprise fermée', value: true }] });
  });

  it('scores with what is known when the registry fails, showing the gap in completeness', async () => {
    nock(REGISTRY).get('/search').query(true).reply(502, 'Bad Gateway');
    const enricher = createEnricher({ env, redis: ctx.redis, logger: silentLogger, now: () => NOW });
    const [enriched] = await enricher.enrich([{ key: 'hubspot:companies:44', attributes: { siren: '999999999', employees: 60 }, provenance: {} }]);
    expect(enriched!.incomplete).toBe(true);
    const result = scorer().score(enriched!.attributes);
    expect(result).toMatchObject({ score: 25, completeness: 0.25 });
  });
});
