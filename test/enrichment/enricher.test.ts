import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../src/errors.ts';
import { EnrichmentCache } from '../../src/enrichment/cache.ts';
import { buildProviders, createEnricher, LIMITER_KEYS } from '../../src/enrichment/index.ts';
import { RedisRateLimiter } from '../../src/rate-limit/index.ts';
import { pipelineKeys } from '../../src/pipeline/keys.ts';
import { requestOfKey } from '../../src/enrichment/retry.ts';
import { enrichmentLookupsTotal } from '../../src/enrichment/metrics.ts';
import type { Attributes } from '../../src/domain/types.ts';
import type { EnrichedAttributes, EnrichInput, EnrichmentProvider } from '../../src/enrichment/port.ts';
import { fixture, PDL_URL, REGISTRY, silentLogger, testEnv, testRedis } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

function input(key: string, attributes: Attributes): EnrichInput {
  return { key, attributes, provenance: Object.fromEntries(Object.keys(attributes).map((k) => [k, { source: `crm:${k}` }])) };
}

/** A provider double that counts lookups and answers from a table (or throws). */
class TableProvider implements EnrichmentProvider {
  calls: Attributes[] = [];
  readonly name: string;
  readonly #answer: (known: Attributes) => Record<string, unknown> | null | Error;
  constructor(name: string, answer: (known: Attributes) => Record<string, unknown> | null | Error) {
    this.name = name;
    this.#answer = answer;
  }
  async lookup(known: Attributes): Promise<EnrichedAttributes | null> {
    this.calls.push(known);
    const a = this.#answer(known);
    if (a instanceof Error) throw a;
    if (a === null) return null;
    return { attributes: a, provenance: Object.fromEntries(Object.keys(a).map((k) => [k, { source: this.name, fetchedAt: NOW.toISOString(), confidence: 1 }])) };
  }
}

let env = testEnv();
let redisCtx = testRedis(env.REDIS_PREFIX);

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  env = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises,pdl', PDL_API_KEY: 'k', PDL_MONTHLY_BUDGET: '0' });
  redisCtx = testRedis(env.REDIS_PREFIX);
});
afterEach(async () => {
  nock.cleanAll();
  await redisCtx.cleanup();
});

describe('createEnricher: configuration', () => {
  it('refuses unknown provider names, listing the valid ones', () => {
    const bad = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises,clearbit' });
    expect(() => buildProviders({ env: bad, logger: silentLogger })).toThrow(ConfigError);
    try {
      buildProviders({ env: bad, logger: silentLogger });
    } catch (e) {
      expect((e as ConfigError).problems).toEqual(['env: ENRICHMENT_PROVIDERS: unknown provider "clearbit" (valid: recherche-entreprises, pdl)']);
    }
  });

  it('leaves pdl off when its key is missing', () => {
    const noKey = testEnv({ ENRICHMENT_PROVIDERS: 'pdl,recherche-entreprises' });
    expect(buildProviders({ env: noKey, logger: silentLogger }).map((p) => p.name)).toEqual(['recherche-entreprises']);
    expect(buildProviders({ env, logger: silentLogger }).map((p) => p.name)).toEqual(['recherche-entreprises', 'pdl']);
  });
});

describe('merging', () => {
  it('keeps CRM values, fills gaps in provider order, and lets preferEnriched attributes win', async () => {
    const first = new TableProvider('first', () => ({ industry: 'software', employees: 75, naf: '62.01Z', founded_year: 2015 }));
    const second = new TableProvider('second', () => ({ industry: 'it services', employees: 90, tags: ['saas'], founded_year: 2014 }));
    const enricher = createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [first, second], preferEnriched: new Set(['founded_year']) });
    const [out] = await enricher.enrich([input('hubspot:companies:1', { name: 'Acme', employees: 12, industry: '', founded_year: 1999 })]);
    expect(out?.attributes).toEqual({ name: 'Acme', employees: 12, industry: 'software', naf: '62.01Z', tags: ['saas'], founded_year: 2015 });
    expect(out?.provenance.employees).toEqual({ source: 'crm:employees' });
    expect(out?.provenance.industry?.source).toBe('first');
    expect(out?.provenance.tags?.source).toBe('second');
    expect(out?.provenance.founded_year?.source).toBe('first');
    expect(out?.incomplete).toBe(false);
    expect(out?.outcomes).toEqual([
      { provider: 'first', status: 'hit' },
      { provider: 'second', status: 'hit' },
    ]);
  });

  it('honours a per-record preferEnriched list from the mapping', async () => {
    const p = new TableProvider('p', () => ({ industry: 'software', employees: 75 }));
    const enricher = createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] });
    const [out] = await enricher.enrich([{ ...input('a', { name: 'Acme', industry: 'Other', employees: 3 }), preferEnriched: ['employees'] }]);
    expect(out?.attributes).toMatchObject({ industry: 'Other', employees: 75 });
    expect(out?.provenance.employees?.source).toBe('p');
  });
});

describe('cache', () => {
  it('makes the second pass over the same records issue zero provider calls', async () => {
    const p = new TableProvider('p', (k) => (k.name === 'Nobody' ? null : { industry: 'software' }));
    const records = [input('a', { name: 'Acme' }), input('b', { name: 'Nobody' }), input('c', { name: 'Beta' })];
    const enricher = createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] });
    const first = await enricher.enrich(records);
    expect(p.calls).toHaveLength(3);
    const second = await createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] }).enrich(records);
    expect(p.calls).toHaveLength(3);
    expect(second.map((r) => r.attributes)).toEqual(first.map((r) => r.attributes));
    expect(second.map((r) => r.outcomes?.[0]?.status)).toEqual(['cached_hit', 'cached_miss', 'cached_hit']);
    expect(second[0]?.provenance.industry).toEqual(first[0]?.provenance.industry);
  });

  it('caches hits for 30 days and misses for 1 day', async () => {
    const p = new TableProvider('p', (k) => (k.name === 'Nobody' ? null : { industry: 'software' }));
    await createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] }).enrich([input('a', { name: 'Acme' }), input('b', { name: 'Nobody' })]);
    const cache = new EnrichmentCache({ redis: redisCtx.redis, prefix: `{${env.REDIS_PREFIX}}`, hitTtlSeconds: 1, missTtlSeconds: 1 });
    const hitTtl = await redisCtx.redis.ttl(cache.key('p', 'name=acme'));
    const missTtl = await redisCtx.redis.ttl(cache.key('p', 'name=nobody'));
    expect(hitTtl).toBeGreaterThan(30 * 86_400 - 60);
    expect(hitTtl).toBeLessThanOrEqual(30 * 86_400);
    expect(missTtl).toBeGreaterThan(86_400 - 60);
    expect(missTtl).toBeLessThanOrEqual(86_400);
  });

  it('counts lookups per provider and outcome in the metrics', async () => {
    const p = new TableProvider('metrics-p', (k) => (k.name === 'Nobody' ? null : { industry: 'software' }));
    const enricher = createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] });
    await enricher.enrich([input('a', { name: 'Acme' }), input('b', { name: 'Nobody' }), input('c', {})]);
    await enricher.enrich([input('a', { name: 'Acme' })]);
    const values = (await enrichmentLookupsTotal.get()).values.filter((v) => v.labels.provider === 'metrics-p');
    const by = Object.fromEntries(values.map((v) => [String(v.labels.status), v.value]));
    expect(by).toEqual({ hit: 1, miss: 1, skipped: 1, cached_hit: 1 });
  });

  it('deduplicates identical lookups within a batch', async () => {
    const p = new TableProvider('p', () => ({ industry: 'software' }));
    const out = await createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] }).enrich([
      input('a', { name: 'Acme' }),
      input('b', { name: 'ACME ' }),
      input('c', { name: 'Acme' }),
    ]);
    expect(p.calls).toHaveLength(1);
    expect(out.every((r) => r.attributes.industry === 'software')).toBe(true);
  });
});

describe('failures degrade gracefully', () => {
  it('marks the record incomplete, keeps what is known, and does not cache the failure', async () => {
    let fail = true;
    const p = new TableProvider('p', () => (fail ? new ProviderError('p', 'HTTP 503', { status: 503 }) : { industry: 'software' }));
    const enricher = createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] });
    const [out] = await enricher.enrich([input('a', { name: 'Acme', employees: 10 })]);
    expect(out).toMatchObject({ attributes: { name: 'Acme', employees: 10 }, incomplete: true, outcomes: [{ provider: 'p', status: 'error', httpStatus: 503 }] });
    fail = false;
    const [again] = await enricher.enrich([input('a', { name: 'Acme', employees: 10 })]);
    expect(again).toMatchObject({ attributes: { industry: 'software' }, incomplete: false });
    expect(p.calls).toHaveLength(2);
  });

  it('survives a provider that throws something other than a ProviderError', async () => {
    const p = new TableProvider('p', () => new TypeError('boom'));
    const [out] = await createEnricher({ env, redis: redisCtx.redis, logger: silentLogger, providers: [p] }).enrich([input('a', { name: 'Acme' })]);
    expect(out?.incomplete).toBe(true);
  });

  it('skips records a provider has nothing to look up with, without calling it', async () => {
    const out = await createEnricher({ env, redis: redisCtx.redis, logger: silentLogger }).enrich([input('a', { employees: 4 })]);
    expect(out[0]?.outcomes).toEqual([
      { provider: 'recherche-entreprises', status: 'skipped' },
      { provider: 'pdl', status: 'skipped' },
    ]);
  });
});

describe('retry later', () => {
  it('puts a record whose enrichment failed back in the pending set, due after the delay, a bounded number of times', async () => {
    const retryEnv = testEnv({ ENRICHMENT_RETRY_DELAY_MS: '60000', ENRICHMENT_RETRY_MAX_ATTEMPTS: '2' });
    const ctx = testRedis(retryEnv.REDIS_PREFIX);
    try {
      let fail = true;
      const p = new TableProvider('p', () => (fail ? new ProviderError('p', 'HTTP 503', { status: 503 }) : { industry: 'software' }));
      const enricher = createEnricher({ env: retryEnv, redis: ctx.redis, logger: silentLogger, providers: [p] });
      const keys = pipelineKeys(retryEnv.REDIS_PREFIX);
      const pending = keys.pending('hubspot', 'companies');
      const record = input('hubspot:companies:7', { name: 'Acme' });

      const before = Date.now();
      await enricher.enrich([record, input('hubspot:companies:8', {})]);
      const due = Number(await ctx.redis.zscore(pending, '7'));
      expect(due).toBeGreaterThanOrEqual(before + 60_000);
      expect(due).toBeLessThan(Date.now() + 61_000);
      expect(await ctx.redis.zscore(pending, '8')).toBeNull();
      expect(await ctx.redis.sismember(keys.pendingIndex, 'hubspot:companies')).toBe(1);

      await ctx.redis.zrem(pending, '7');
      await enricher.enrich([record]);
      expect(await ctx.redis.zscore(pending, '7')).not.toBeNull();
      await ctx.redis.zrem(pending, '7');
      await enricher.enrich([record]);
      expect(await ctx.redis.zscore(pending, '7')).toBeNull();

      // Enriched without error once: the allowance starts again (a new name, so not answered from cache).
      fail = false;
      await enricher.enrich([record]);
      fail = true;
      await enricher.enrich([input('hubspot:companies:7', { name: 'Acme Renamed' })]);
      expect(await ctx.redis.zscore(pending, '7')).not.toBeNull();
    } finally {
      await ctx.cleanup();
    }
  });

  it('reads record keys', () => {
    expect(requestOfKey('salesforce:Account:001xx000003DGb2AAG')).toEqual({ crm: 'salesforce', objectType: 'Account', id: '001xx000003DGb2AAG', trigger: 'incremental' });
    expect(requestOfKey('file:row:1')).toBeUndefined();
    expect(requestOfKey('hubspot:companies:')).toBeUndefined();
  });
});

describe('shared rate limit', () => {
  it('takes a slot of the shared Redis limiter per call, and a 429 pauses every worker', async () => {
    const regOnly = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises' });
    const ctx = testRedis(regOnly.REDIS_PREFIX);
    try {
      nock(REGISTRY).get('/search').query(true).reply(429, { message: 'Too Many Requests' }, { 'Retry-After': '5' });
      const [out] = await createEnricher({ env: regOnly, redis: ctx.redis, logger: silentLogger }).enrich([input('a', { siren: '812345672' })]);
      expect(out).toMatchObject({ incomplete: true, outcomes: [{ provider: 'recherche-entreprises', status: 'error', httpStatus: 429 }] });
      const limiter = new RedisRateLimiter(ctx.redis, { limit: 7, windowMs: 1000, prefix: regOnly.REDIS_PREFIX });
      const paused = await limiter.pausedFor(LIMITER_KEYS['recherche-entreprises']);
      expect(paused).toBeGreaterThan(4000);
      expect(paused).toBeLessThanOrEqual(5000);
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('budgets', () => {
  it('stops calls (not scoring) once the monthly budget is spent, across enricher instances', async () => {
    const budgeted = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises', RECHERCHE_ENTREPRISES_MONTHLY_BUDGET: '2' });
    const ctx = testRedis(budgeted.REDIS_PREFIX);
    try {
      const scope = nock(REGISTRY).get('/search').query(true).times(2).reply(200, fixture('recherche-entreprises/no-results.json'));
      const make = () => createEnricher({ env: budgeted, redis: ctx.redis, logger: silentLogger, now: () => NOW });
      const out = await make().enrich([input('a', { siren: '111111118' }), input('b', { siren: '222222226' }), input('c', { siren: '333333334', employees: 5 })]);
      scope.done();
      expect(out.map((r) => r.outcomes?.[0]?.status)).toEqual(['miss', 'miss', 'budget']);
      expect(out[2]).toMatchObject({ attributes: { siren: '333333334', employees: 5 }, incomplete: false });
      const later = await make().enrich([input('d', { siren: '444444442' })]);
      expect(later[0]?.outcomes?.[0]?.status).toBe('budget');
      const nextMonth = createEnricher({ env: budgeted, redis: ctx.redis, logger: silentLogger, now: () => new Date('2026-12-01T00:00:00Z') });
      nock(REGISTRY).get('/search').query(true).reply(200, fixture('recherche-entreprises/no-results.json'));
      expect((await nextMonth.enrich([input('d', { siren: '444444442' })]))[0]?.outcomes?.[0]?.status).toBe('miss');
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('batching', () => {
  it('sends PDL lookups of one enrich call in bulk calls of at most 100', async () => {
    const pdlOnly = testEnv({ ENRICHMENT_PROVIDERS: 'pdl', PDL_API_KEY: 'k', PDL_MONTHLY_BUDGET: '0' });
    const ctx = testRedis(pdlOnly.REDIS_PREFIX);
    try {
      const sizes: number[] = [];
      nock(PDL_URL)
        .post('/v5/company/enrich/bulk')
        .times(2)
        // nock 15 hands reply functions the fetch Request.
        .reply(async (req: Request) => {
          const reqs = ((await req.json()) as { requests: { metadata: { i: number } }[] }).requests;
          sizes.push(reqs.length);
          return [200, reqs.map((r) => ({ status: 200, likelihood: 8, metadata: r.metadata, industry: 'retail', size: '11-50' }))];
        });
      const records = Array.from({ length: 150 }, (_, i) => input(`r${i}`, { domain: `c${i}.example` }));
      const out = await createEnricher({ env: pdlOnly, redis: ctx.redis, logger: silentLogger }).enrich(records);
      expect(sizes.sort((a, b) => a - b)).toEqual([50, 100]);
      expect(out.every((r) => r.attributes.industry === 'retail' && r.attributes.employees === 31)).toBe(true);
    } finally {
      await ctx.cleanup();
    }
  });
});
