/**
 * Provider answers cached in Redis per (provider, lookup key): hits for `hitTtlSeconds` (default
 * 30 days), "no match" for `missTtlSeconds` (default 1 day). Failures are never cached. Keys hash
 * the lookup key, so no company name or identifier sits in a Redis key. The company age is not
 * stored: it is computed from the cached creation date each time an answer is read (age.ts).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { withAge, withoutAge } from './age.ts';
import type { EnrichedAttributes } from './port.ts';

const provenanceSchema = z.object({ source: z.string(), fetchedAt: z.string().optional(), confidence: z.number().optional() });
const entrySchema = z.object({
  v: z.union([z.null(), z.object({ attributes: z.record(z.string(), z.unknown()), provenance: z.record(z.string(), provenanceSchema) })]),
});

export interface EnrichmentCacheOptions {
  redis: Redis;
  /** Redis key prefix (`REDIS_PREFIX`). */
  prefix: string;
  /** Seconds a hit stays cached. */
  hitTtlSeconds: number;
  /** Seconds a miss stays cached. */
  missTtlSeconds: number;
  /** Clock the company age is computed with when an answer is read. */
  now?: () => Date;
}

/** `undefined` = not cached; `null` = cached "no match". */
export type CachedAnswer = EnrichedAttributes | null | undefined;

export class EnrichmentCache {
  readonly #opts: EnrichmentCacheOptions;

  constructor(opts: EnrichmentCacheOptions) {
    this.#opts = opts;
  }

  /** The Redis key of one lookup (exposed for tests and operators). */
  key(provider: string, lookupKey: string): string {
    const digest = createHash('sha256').update(lookupKey).digest('base64url').slice(0, 32);
    return `${this.#opts.prefix}:enrich:cache:${provider}:${digest}`;
  }

  async getMany(provider: string, lookupKeys: readonly string[]): Promise<CachedAnswer[]> {
    if (lookupKeys.length === 0) return [];
    const raw = await this.#opts.redis.mget(...lookupKeys.map((k) => this.key(provider, k)));
    return raw.map((text) => {
      if (text === null) return undefined;
      try {
        const parsed = entrySchema.safeParse(JSON.parse(text));
        // An entry from an older layout reads as "not cached": it is fetched again and overwritten.
        if (!parsed.success) return undefined;
        const v = parsed.data.v as EnrichedAttributes | null;
        // The age is computed from the cached creation date on every read, never kept.
        return v === null ? null : withAge(v, this.#opts.now?.() ?? new Date());
      } catch {
        return undefined;
      }
    });
  }

  async setMany(provider: string, entries: readonly { lookupKey: string; value: EnrichedAttributes | null }[]): Promise<void> {
    if (entries.length === 0) return;
    const multi = this.#opts.redis.multi();
    for (const e of entries) {
      const kept = e.value === null ? null : withoutAge(e.value);
      const v = kept === null ? null : { attributes: kept.attributes, provenance: kept.provenance };
      multi.set(this.key(provider, e.lookupKey), JSON.stringify({ v }), 'EX', e.value === null ? this.#opts.missTtlSeconds : this.#opts.hitTtlSeconds);
    }
    await multi.exec();
  }
}
