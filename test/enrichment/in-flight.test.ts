/** A lookup two batches need at the same time is fetched once: in one process and across processes. */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Attributes } from '../../src/domain/types.ts';
import { MonthlyBudget } from '../../src/enrichment/budget.ts';
import { EnrichmentCache, type CachedAnswer } from '../../src/enrichment/cache.ts';
import { CachingEnricher } from '../../src/enrichment/enricher.ts';
import type { EnrichedAttributes, EnrichInput, EnrichmentProvider } from '../../src/enrichment/port.ts';
import { silentLogger, testEnv, testRedis } from './helpers.ts';

/** Answers every lookup once `release` is called, counting the calls. */
class SlowProvider implements EnrichmentProvider {
  readonly name = 'recherche-entreprises';
  calls = 0;
  readonly #gate = Promise.withResolvers<void>();
  started = Promise.withResolvers<void>();
  release(): void {
    this.#gate.resolve();
  }
  async lookup(known: Attributes): Promise<EnrichedAttributes | null> {
    this.calls++;
    this.started.resolve();
    await this.#gate.promise;
    const prov = { source: this.name, fetchedAt: '2026-11-26T10:00:00.000Z', confidence: 1 };
    return { attributes: { siren: known['siren'], naf: '62.01Z' }, provenance: { siren: prov, naf: prov } };
  }
}

/** A cache that says when a batch has read it (and, across processes, started waiting on a claim). */
class WatchedCache extends EnrichmentCache {
  reads = 0;
  read = Promise.withResolvers<void>();
  waiting = Promise.withResolvers<void>();
  override async getMany(provider: string, keys: readonly string[]): Promise<CachedAnswer[]> {
    const out = await super.getMany(provider, keys);
    if (++this.reads === 2) this.read.resolve();
    return out;
  }
  override async waitFor(provider: string, keys: readonly string[], maxMs: number): Promise<CachedAnswer[]> {
    this.waiting.resolve();
    return super.waitFor(provider, keys, maxMs);
  }
}

function enricherOn(redis: Redis, provider: EnrichmentProvider): { enricher: CachingEnricher; cache: WatchedCache } {
  const cache = new WatchedCache({ redis, prefix: env.REDIS_PREFIX, hitTtlSeconds: 3600, missTtlSeconds: 60 });
  const budget = new MonthlyBudget({ redis, prefix: env.REDIS_PREFIX, monthly: {} });
  return { cache, enricher: new CachingEnricher({ providers: [provider], cache, budget, logger: silentLogger, preferEnriched: new Set() }) };
}

function input(key: string): EnrichInput {
  return { key, attributes: { siren: '812345672' }, provenance: { siren: { source: 'crm:siren' } } };
}

let env = testEnv();
let ctx = testRedis(env.REDIS_PREFIX);
beforeEach(() => {
  env = testEnv({ ENRICHMENT_PROVIDERS: 'recherche-entreprises' });
  ctx = testRedis(env.REDIS_PREFIX);
});
afterEach(async () => {
  await ctx.cleanup();
});

describe('in-flight lookups', () => {
  it('are shared between two batches of the same process', async () => {
    const provider = new SlowProvider();
    const { enricher, cache } = enricherOn(ctx.redis, provider);
    const first = enricher.enrich([input('hubspot:companies:1')]);
    await provider.started.promise;
    const second = enricher.enrich([input('hubspot:companies:2')]);
    // The second batch has found nothing in the cache and gone on to its lookup.
    await cache.read.promise;
    await new Promise((r) => setImmediate(r));
    provider.release();
    const [a, b] = await Promise.all([first, second]);
    expect(provider.calls).toBe(1);
    expect(a[0]?.attributes['naf']).toBe('62.01Z');
    expect(b[0]?.attributes['naf']).toBe('62.01Z');
    expect(b[0]?.incomplete).toBe(false);
  });

  it('are shared between two worker processes through the Redis cache', async () => {
    const other = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      const p1 = new SlowProvider();
      const p2 = new SlowProvider();
      const worker1 = enricherOn(ctx.redis, p1).enricher;
      const worker2 = enricherOn(other, p2);
      const first = worker1.enrich([input('hubspot:companies:1')]);
      await p1.started.promise;
      const second = worker2.enricher.enrich([input('hubspot:companies:2')]);
      // The second worker either waits on the first one's claim or (without claims) calls itself.
      await Promise.race([worker2.cache.waiting.promise, p2.started.promise]);
      p1.release();
      p2.release();
      const [a, b] = await Promise.all([first, second]);
      expect(p1.calls + p2.calls).toBe(1);
      expect(a[0]?.attributes['naf']).toBe('62.01Z');
      expect(b[0]?.attributes['naf']).toBe('62.01Z');
      expect(b[0]?.outcomes?.[0]?.status).toBe('cached_hit');
    } finally {
      other.disconnect();
    }
  });
});
