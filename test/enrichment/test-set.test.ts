/**
 * The enrichment test set: 62 CRM records (SIREN only, SIRET, names with accents and legal forms,
 * a CEDEX postal code, homonyms, unknown, foreign, unplaced, duplicates) against a registry of 40
 * companies. Measures
 * the hit rate and the calls per 1,000 companies, checks that no record gets a wrong company,
 * and that a second backfill makes no call at all.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEnricher } from '../../src/enrichment/index.ts';
import type { EnrichInput } from '../../src/enrichment/port.ts';
import { RedisRateLimiter } from '../../src/rate-limit/index.ts';
import { FakeRegistry } from './fake-registry.ts';
import { fixture, silentLogger, testEnv, testRedis } from './helpers.ts';

interface TestRecord {
  id: string;
  attributes: Record<string, unknown>;
  expected_siren: string | null;
}

const { records } = fixture<{ records: TestRecord[] }>('crm-test-set.json');
const env = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises' });
const ctx = testRedis(env.REDIS_PREFIX);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

const inputs: EnrichInput[] = records.map((r) => ({
  key: `hubspot:companies:${r.id}`,
  attributes: r.attributes,
  provenance: Object.fromEntries(Object.keys(r.attributes).map((k) => [k, { source: `crm:${k}` }])),
}));

function enricher() {
  // The pace is not what is measured here: a generous limit keeps the test fast.
  return createEnricher({
    env,
    redis: ctx.redis,
    logger: silentLogger,
    createLimiter: (rule) => new RedisRateLimiter(ctx.redis, { limit: 1000, windowMs: rule.windowMs, prefix: env.REDIS_PREFIX }),
  });
}

async function backfill(batchSize: number) {
  const out = [];
  for (let i = 0; i < inputs.length; i += batchSize) out.push(...(await enricher().enrich(inputs.slice(i, i + batchSize))));
  return out;
}

describe('registry enrichment on the test set', () => {
  it('finds every findable company, never a wrong one, and a second backfill makes zero calls', async () => {
    const registry = new FakeRegistry();
    registry.install();
    const out = await backfill(20);
    const firstCalls = registry.calls;

    const wrong = records.filter((r, i) => (out[i]?.attributes.siren ?? null) !== (r.attributes.siren ?? r.expected_siren));
    expect(wrong.map((r) => r.id)).toEqual([]);
    const hits = out.filter((r) => r.provenance.naf?.source === 'recherche-entreprises').length;
    const findable = records.filter((r) => r.expected_siren !== null).length;
    expect(hits).toBe(findable);
    expect(out.every((r) => r.incomplete === false)).toBe(true);
    for (const q of registry.queries) {
      expect(Number(q.get('per_page'))).toBeLessThanOrEqual(25);
      expect(q.get('minimal')).toBe('true');
      expect(q.get('include')).not.toMatch(/dirigeants/);
    }

    const registryCalls = firstCalls;
    registry.calls = 0;
    const again = await backfill(20);
    expect(registry.calls).toBe(0);
    expect(again.map((r) => r.attributes)).toEqual(out.map((r) => r.attributes));

    const figures = {
      records: records.length,
      findable,
      hits,
      hitRate: Math.round((1000 * hits) / records.length) / 10,
      precisionWrongMatches: wrong.length,
      registryCalls,
      callsPer1000: Math.round((1000 * registryCalls) / records.length),
      secondBackfillCalls: registry.calls,
    };
    console.log(`enrichment test set: ${JSON.stringify(figures)}`);
    expect(registryCalls).toBeLessThan(records.length);
  });
});
