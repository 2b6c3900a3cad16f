/**
 * Provider answers cached in Redis per (provider, lookup key): hits for `hitTtlSeconds` (default
 * 30 days), "no match" for `missTtlSeconds` (default 1 day). Failures are never cached. Keys hash
 * the lookup key, so no company name or identifier sits in a Redis key. The company age is not
 * stored: it is computed from the cached creation date each time an answer is read (age.ts).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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

// KEYS: claim keys. ARGV: token. Deletes the claims that still hold the token.
const RELEASE = `
local n = 0
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then n = n + redis.call('DEL', k) end
end
return n
`;

/** How often a worker waiting on another's claim looks for the answer. */
const WAIT_POLL_MS = 100;

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

  /** The Redis key of the claim on one lookup (a worker fetching it). */
  claimKey(provider: string, lookupKey: string): string {
    return this.key(provider, lookupKey).replace(':enrich:cache:', ':enrich:claim:');
  }

  /**
   * Claims each lookup for `ttlMs` under `token`: `true` where this caller now holds the claim,
   * `false` where another worker is already fetching it.
   */
  async claim(provider: string, lookupKeys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    if (lookupKeys.length === 0) return [];
    const multi = this.#opts.redis.multi();
    for (const k of lookupKeys) multi.set(this.claimKey(provider, k), token, 'PX', ttlMs, 'NX');
    const res = (await multi.exec()) ?? [];
    return lookupKeys.map((_, i) => res[i]?.[1] === 'OK');
  }

  /** Gives up the claims still held under `token`. */
  async release(provider: string, lookupKeys: readonly string[], token: string): Promise<void> {
    if (lookupKeys.length === 0) return;
    await this.#opts.redis.eval(RELEASE, lookupKeys.length, ...lookupKeys.map((k) => this.claimKey(provider, k)), token);
  }

  /**
   * Waits up to `maxMs` for the answers of lookups other workers claimed. An entry stays
   * `undefined` (not cached) when its claim ended without an answer (the fetch failed) or when the
   * wait ran out: the caller then fetches it itself.
   */
  async waitFor(provider: string, lookupKeys: readonly string[], maxMs: number): Promise<CachedAnswer[]> {
    const out: CachedAnswer[] = lookupKeys.map(() => undefined);
    let open = lookupKeys.map((_, i) => i);
    const until = Date.now() + maxMs;
    while (open.length > 0) {
      // Claims first: a claim is released only after its answer is cached, so a claim gone
      // before the cache read and no answer in it means the fetch failed.
      const claims = await this.#opts.redis.mget(...open.map((i) => this.claimKey(provider, lookupKeys[i] as string)));
      const got = await this.getMany(provider, open.map((i) => lookupKeys[i] as string));
      const still: number[] = [];
      open.forEach((i, j) => {
        if (got[j] !== undefined) out[i] = got[j];
        else if (claims[j] !== null) still.push(i);
      });
      open = still;
      if (open.length === 0 || Date.now() >= until) break;
      await sleep(WAIT_POLL_MS);
    }
    return out;
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
