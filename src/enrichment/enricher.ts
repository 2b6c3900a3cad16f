/**
 * Runs the configured providers over a batch of records: one lookup per distinct (provider,
 * lookup key), answers from the Redis cache first, calls only within the monthly budget, bulk
 * calls where the provider has them, then merges (see merge.ts). A lookup already being fetched
 * is shared: within the process through its promise, across processes through a short claim in
 * Redis (the other worker waits for the answer in the cache). Never throws for a provider,
 * cache or budget failure: the record keeps what is known and is marked `incomplete`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Attributes } from '../domain/types.ts';
import { ProviderError } from '../errors.ts';
import type { MonthlyBudget } from './budget.ts';
import type { CachedAnswer, EnrichmentCache } from './cache.ts';
import { mergeEnrichment } from './merge.ts';
import { enrichmentLookupsTotal } from './metrics.ts';
import type { EnrichedAttributes, Enricher, EnrichInput, EnrichmentOutcome, EnrichmentProvider, EnrichmentStatus } from './port.ts';
import { defaultLookupKey, isCacheable, type LookupOutcome } from './provider.ts';
import type { EnrichmentRetry } from './retry.ts';

export interface EnricherDeps {
  providers: readonly EnrichmentProvider[];
  cache: EnrichmentCache;
  budget: MonthlyBudget;
  logger: Logger;
  preferEnriched: ReadonlySet<string>;
  /** Single lookups in flight per provider within one `enrich` call (the rate gate sets the pace). */
  concurrency?: number;
  /** Schedules a later rescore of records whose enrichment failed. */
  retry?: EnrichmentRetry;
  /**
   * How long a worker's claim on a lookup lasts, and how long another worker waits for its answer
   * in the cache before fetching it itself (ms, default 30 s).
   */
  claimMs?: number;
}

interface ProviderAnswer {
  value: EnrichedAttributes | null;
  outcome: EnrichmentOutcome;
}

/** What one in-flight lookup ended with, shared with the batches that joined it. */
interface Shared {
  value: EnrichedAttributes | null;
  status: EnrichmentStatus;
  httpStatus?: number;
}

const flightKey = (provider: string, key: string): string => `${provider}\u0000${key}`;

interface PendingLookup {
  key: string;
  known: Attributes;
  records: number[];
}

function asProviderError(provider: string, err: unknown): ProviderError {
  return err instanceof ProviderError ? err : new ProviderError(provider, err instanceof Error ? err.message : 'lookup failed', { cause: err });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class CachingEnricher implements Enricher {
  readonly #deps: EnricherDeps;
  /** Lookups being fetched by this process, by provider and lookup key. */
  readonly #inFlight = new Map<string, Promise<Shared>>();

  constructor(deps: EnricherDeps) {
    this.#deps = deps;
  }

  get #claimMs(): number {
    return this.#deps.claimMs ?? 30_000;
  }

  async enrich(records: readonly EnrichInput[]): Promise<EnrichedAttributes[]> {
    if (records.length === 0) return [];
    const perProvider = await Promise.all(this.#deps.providers.map((p) => this.#runProvider(p, records)));
    const out = records.map((input, r) => {
      const answers = perProvider.map((answers) => answers[r] as ProviderAnswer);
      const merged = mergeEnrichment(input, answers.map((a) => a.value), this.#deps.preferEnriched);
      const outcomes = answers.map((a) => a.outcome);
      return { ...merged, incomplete: outcomes.some((o) => o.status === 'error'), outcomes };
    });
    await this.#scheduleRetries(records, out);
    return out;
  }

  async #scheduleRetries(records: readonly EnrichInput[], out: readonly EnrichedAttributes[]): Promise<void> {
    const retry = this.#deps.retry;
    if (!retry || this.#deps.providers.length === 0) return;
    const failed = records.filter((_, i) => out[i]?.incomplete).map((r) => r.key);
    const fine = records.filter((_, i) => !out[i]?.incomplete).map((r) => r.key);
    try {
      await retry.schedule(failed);
      await retry.clear(fine);
    } catch (err) {
      this.#deps.logger.warn({ records: failed.length, err: err instanceof Error ? err.message : String(err) }, 'enrichment: could not schedule retries');
    }
  }

  async #runProvider(provider: EnrichmentProvider, records: readonly EnrichInput[]): Promise<ProviderAnswer[]> {
    const name = provider.name;
    const answers = new Array<ProviderAnswer>(records.length);
    const set = (recordIdx: readonly number[], value: EnrichedAttributes | null, status: EnrichmentStatus, httpStatus?: number) => {
      for (const r of recordIdx) answers[r] = { value, outcome: { provider: name, status, ...(httpStatus === undefined ? {} : { httpStatus }) } };
      enrichmentLookupsTotal.inc({ provider: name, status }, recordIdx.length);
    };

    const pending = new Map<string, PendingLookup>();
    records.forEach((rec, r) => {
      let key: string | null;
      try {
        key = isCacheable(provider) ? provider.lookupKey(rec.attributes) : defaultLookupKey(rec.attributes);
      } catch (err) {
        this.#deps.logger.warn({ provider: name, err: asProviderError(name, err).message }, 'enrichment: cannot build a lookup key');
        key = null;
      }
      if (key === null) return set([r], null, 'skipped');
      const p = pending.get(key);
      if (p) p.records.push(r);
      else pending.set(key, { key, known: rec.attributes, records: [r] });
    });
    const lookups = [...pending.values()];
    if (lookups.length === 0) return answers;

    let cached: CachedAnswer[];
    try {
      cached = await this.#deps.cache.getMany(name, lookups.map((l) => l.key));
    } catch (err) {
      this.#deps.logger.error({ provider: name, err: err instanceof Error ? err.message : String(err) }, 'enrichment: cache or budget unavailable');
      for (const l of lookups) set(l.records, null, 'error');
      return answers;
    }
    const misses: PendingLookup[] = [];
    lookups.forEach((l, i) => {
      const c = cached[i];
      if (c === undefined) misses.push(l);
      else set(l.records, c, c === null ? 'cached_miss' : 'cached_hit');
    });
    if (misses.length === 0) return answers;

    // A lookup another batch of this process is already fetching is shared, not fetched again.
    const joined: { lookup: PendingLookup; shared: Promise<Shared> }[] = [];
    const own: PendingLookup[] = [];
    const settlers = new Map<string, (s: Shared) => void>();
    for (const l of misses) {
      const shared = this.#inFlight.get(flightKey(name, l.key));
      if (shared) {
        joined.push({ lookup: l, shared });
        continue;
      }
      own.push(l);
      const { promise, resolve } = Promise.withResolvers<Shared>();
      this.#inFlight.set(flightKey(name, l.key), promise);
      settlers.set(l.key, resolve);
    }
    const settle = (l: PendingLookup, value: EnrichedAttributes | null, status: EnrichmentStatus, httpStatus?: number) => {
      set(l.records, value, status, httpStatus);
      const resolve = settlers.get(l.key);
      settlers.delete(l.key);
      resolve?.({ value, status, ...(httpStatus === undefined ? {} : { httpStatus }) });
    };

    const token = randomUUID();
    let claimed: string[] = [];
    try {
      let toCall = own;
      if (own.length > 0) {
        // Across processes: a lookup another worker claimed is waited for in the cache.
        const mine = await this.#deps.cache.claim(name, own.map((l) => l.key), token, this.#claimMs);
        claimed = own.filter((_, i) => mine[i]).map((l) => l.key);
        const others = own.filter((_, i) => !mine[i]);
        toCall = own.filter((_, i) => mine[i]);
        if (others.length > 0) {
          const waited = await this.#deps.cache.waitFor(name, others.map((l) => l.key), this.#claimMs);
          others.forEach((l, i) => {
            const c = waited[i];
            if (c === undefined) toCall.push(l);
            else settle(l, c, c === null ? 'cached_miss' : 'cached_hit');
          });
        }
      }
      const granted = await this.#deps.budget.reserve(name, toCall.length);
      if (granted < toCall.length) {
        const refused = toCall.slice(granted);
        this.#deps.logger.warn({ provider: name, refused: refused.length }, 'enrichment: monthly budget spent, lookups skipped');
        for (const l of refused) settle(l, null, 'budget');
        toCall = toCall.slice(0, granted);
      }
      if (toCall.length > 0) await this.#fetch(provider, toCall, settle);
    } catch (err) {
      this.#deps.logger.error({ provider: name, err: err instanceof Error ? err.message : String(err) }, 'enrichment: cache or budget unavailable');
      for (const l of own) if (settlers.has(l.key)) settle(l, null, 'error');
    } finally {
      for (const l of own) {
        if (settlers.has(l.key)) settle(l, null, 'error');
        this.#inFlight.delete(flightKey(name, l.key));
      }
      if (claimed.length > 0) {
        try {
          await this.#deps.cache.release(name, claimed, token);
        } catch {
          // The claims expire by themselves.
        }
      }
    }
    for (const { lookup, shared } of joined) {
      const s = await shared;
      set(lookup.records, s.value, s.status, s.httpStatus);
    }
    return answers;
  }

  /** Calls the provider for `toCall`, settles each lookup, and caches the answers. */
  async #fetch(
    provider: EnrichmentProvider,
    toCall: readonly PendingLookup[],
    settle: (l: PendingLookup, value: EnrichedAttributes | null, status: EnrichmentStatus, httpStatus?: number) => void,
  ): Promise<void> {
    const name = provider.name;
    const results = await this.#call(provider, toCall);
    const toCache: { lookupKey: string; value: EnrichedAttributes | null }[] = [];
    const outcomes: { l: PendingLookup; value: EnrichedAttributes | null; status: EnrichmentStatus; httpStatus?: number }[] = [];
    let failures = 0;
    toCall.forEach((l, i) => {
      const res = results[i] as LookupOutcome;
      if (res.ok) {
        outcomes.push({ l, value: res.value, status: res.value === null ? 'miss' : 'hit' });
        toCache.push({ lookupKey: l.key, value: res.value });
      } else {
        failures++;
        outcomes.push({ l, value: null, status: 'error', ...(res.error.status === undefined ? {} : { httpStatus: res.error.status }) });
      }
    });
    if (failures > 0) {
      const first = results.find((x): x is Extract<LookupOutcome, { ok: false }> => !x.ok);
      this.#deps.logger.warn(
        { provider: name, failed: failures, of: toCall.length, status: first?.error.status, err: first?.error.message },
        'enrichment: provider failed, records scored without it and retried later',
      );
    }
    try {
      await this.#deps.cache.setMany(name, toCache);
    } catch (err) {
      this.#deps.logger.warn({ provider: name, err: err instanceof Error ? err.message : String(err) }, 'enrichment: could not cache answers');
    }
    // Settled once cached, so a worker waiting on the claim finds the answer in the cache.
    for (const o of outcomes) settle(o.l, o.value, o.status, o.httpStatus);
  }

  async #call(provider: EnrichmentProvider, lookups: readonly PendingLookup[]): Promise<LookupOutcome[]> {
    const name = provider.name;
    if (isCacheable(provider) && provider.lookupMany && provider.maxBatch > 1) {
      const many = provider.lookupMany.bind(provider);
      const chunks: PendingLookup[][] = [];
      for (let i = 0; i < lookups.length; i += provider.maxBatch) chunks.push(lookups.slice(i, i + provider.maxBatch));
      const out = await mapLimit(chunks, 2, async (chunk): Promise<LookupOutcome[]> => {
        try {
          return await many(chunk.map((l) => l.known));
        } catch (err) {
          const error = asProviderError(name, err);
          return chunk.map(() => ({ ok: false, error }));
        }
      });
      return out.flat();
    }
    return mapLimit(lookups, this.#deps.concurrency ?? 4, async (l): Promise<LookupOutcome> => {
      try {
        return { ok: true, value: await provider.lookup(l.known) };
      } catch (err) {
        return { ok: false, error: asProviderError(name, err) };
      }
    });
  }
}
