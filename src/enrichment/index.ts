/**
 * Builds the enricher the pipeline's enrich step calls: the providers named in
 * `ENRICHMENT_PROVIDERS`, in that order, with the Redis cache, the monthly budgets and the
 * shared rate limits. See docs/providers.md.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../config/env.ts';
import { ConfigError } from '../errors.ts';
import { hashTagPrefix, pipelineKeys } from '../pipeline/keys.ts';
import { createRescoreProducer } from '../pipeline/producer.ts';
import { RedisRateLimiter, type RateLimiter, type RateLimitRule } from '../rate-limit/index.ts';
import { MonthlyBudget } from './budget.ts';
import { EnrichmentCache } from './cache.ts';
import { CachingEnricher } from './enricher.ts';
import { enrichmentCallsTotal } from './metrics.ts';
import { createPdlProvider, PDL, PDL_DEFAULT_URL } from './pdl/provider.ts';
import type { Enricher, EnrichmentProvider } from './port.ts';
import type { RateGate } from './rate-gate.ts';
import { EnrichmentRetry } from './retry.ts';
import { createRechercheEntreprisesProvider, RECHERCHE_ENTREPRISES, RECHERCHE_ENTREPRISES_DEFAULT_URL } from './recherche-entreprises/provider.ts';

export type { Enricher, EnrichedAttributes, EnrichInput, EnrichmentProvider, Provenance } from './port.ts';

/** Provider names `ENRICHMENT_PROVIDERS` accepts. */
export const PROVIDER_NAMES = [RECHERCHE_ENTREPRISES, PDL] as const;

export interface CreateEnricherOptions {
  env: Env;
  redis: Redis;
  logger: Logger;
  /** Replaces the providers built from `ENRICHMENT_PROVIDERS` (tests). */
  providers?: EnrichmentProvider[];
  /** Attributes where an enriched value wins over the CRM's (from the field mappings). */
  preferEnriched?: ReadonlySet<string>;
  /**
   * Makes the limiter for one provider's rule. Default: the shared Redis sliding-window limiter
   * (`src/rate-limit/`), so the pace holds across every worker.
   */
  createLimiter?: (rule: RateLimitRule) => RateLimiter;
  now?: () => Date;
}

/** Rate-limiter keys of the providers. */
export const LIMITER_KEYS = { [RECHERCHE_ENTREPRISES]: 'enrich:recherche-entreprises', [PDL]: 'enrich:pdl' } as const;

/**
 * Share of a per-second limit the registry pace uses: a call leaves at most every
 * `1000 / (rate × REGISTRY_PACE_MARGIN)` ms. The margin absorbs the jitter between the moment a
 * worker takes its turn and the moment the request reaches the registry.
 */
export const REGISTRY_PACE_MARGIN = 0.85;

/**
 * The registry's rule for `ratePerSecond`: one call at a time, evenly spaced with a margin
 * (`ceil(1000 / (rate × 0.85))` ms: 169 ms for 7/s, about 5.9 calls per second), never a burst.
 * A window of 7 per second let 7 calls leave at once; with network jitter the registry then saw 8
 * within its own second and answered 429 (bench/registry-rate.bench.ts).
 */
export function registryRule(ratePerSecond: number): RateLimitRule {
  return { limit: 1, windowMs: Math.ceil(1000 / (ratePerSecond * REGISTRY_PACE_MARGIN)) };
}

/**
 * The documented limits: the registry accepts at most 7 requests/s per IP
 * (https://recherche-entreprises.api.gouv.fr/docs/, "Limite des requêtes"), paced as
 * `registryRule` says; PDL limits each key per endpoint in one-minute fixed windows, the number
 * depending on the plan.
 */
export function rateRules(env: Env): Record<keyof typeof LIMITER_KEYS, RateLimitRule> {
  return {
    [RECHERCHE_ENTREPRISES]: registryRule(env.RECHERCHE_ENTREPRISES_RATE_PER_SECOND),
    [PDL]: { limit: env.PDL_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
  };
}

/** Adapts the shared limiter to the gate providers use, for one key. */
export function gateFor(limiter: RateLimiter, key: string): RateGate {
  return {
    acquire: async () => {
      await limiter.acquire(key);
    },
    pauseFor: (ms) => limiter.pauseFor(key, ms),
  };
}

/** Checks `ENRICHMENT_PROVIDERS`: known names, no repeats. Throws `ConfigError`. */
export function checkProviderNames(names: readonly string[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    if (!(PROVIDER_NAMES as readonly string[]).includes(n)) problems.push(`env: ENRICHMENT_PROVIDERS: unknown provider "${n}" (valid: ${PROVIDER_NAMES.join(', ')})`);
    else if (seen.has(n)) problems.push(`env: ENRICHMENT_PROVIDERS: "${n}" is listed twice`);
    seen.add(n);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The providers named in `ENRICHMENT_PROVIDERS`, in order; `pdl` without a key is left out with a warning. */
export function buildProviders(opts: Pick<CreateEnricherOptions, 'env' | 'logger' | 'createLimiter' | 'now'>): EnrichmentProvider[] {
  const { env, logger } = opts;
  checkProviderNames(env.ENRICHMENT_PROVIDERS);
  const common = { timeoutMs: env.ENRICHMENT_TIMEOUT_MS, ...(opts.now ? { now: opts.now } : {}) };
  const rules = rateRules(env);
  const providers: EnrichmentProvider[] = [];
  for (const name of env.ENRICHMENT_PROVIDERS as readonly (typeof PROVIDER_NAMES)[number][]) {
    const onCall = (status: string) => enrichmentCallsTotal.inc({ provider: name, status });
    const gate = opts.createLimiter ? { gate: gateFor(opts.createLimiter(rules[name]), LIMITER_KEYS[name]) } : {};
    if (name === RECHERCHE_ENTREPRISES) {
      providers.push(
        createRechercheEntreprisesProvider({ ...common, ...gate, onCall, logger, baseUrl: env.RECHERCHE_ENTREPRISES_BASE_URL ?? RECHERCHE_ENTREPRISES_DEFAULT_URL, threshold: env.ENRICHMENT_MATCH_THRESHOLD }),
      );
    } else if (name === PDL) {
      if (env.PDL_API_KEY === undefined) {
        logger.warn({ provider: PDL }, 'enrichment: pdl is listed in ENRICHMENT_PROVIDERS but PDL_API_KEY is not set; pdl is off');
        continue;
      }
      providers.push(createPdlProvider({ ...common, ...gate, onCall, apiKey: env.PDL_API_KEY, baseUrl: env.PDL_BASE_URL ?? PDL_DEFAULT_URL, minLikelihood: env.PDL_MIN_LIKELIHOOD }));
    }
  }
  return providers;
}

/** Monthly budgets per provider from the environment. */
export function monthlyBudgets(env: Env): Record<string, number> {
  return { [RECHERCHE_ENTREPRISES]: env.RECHERCHE_ENTREPRISES_MONTHLY_BUDGET, [PDL]: env.PDL_MONTHLY_BUDGET };
}

export function createEnricher(opts: CreateEnricherOptions): Enricher {
  const { env, redis, logger } = opts;
  const createLimiter = opts.createLimiter ?? ((rule: RateLimitRule) => new RedisRateLimiter(redis, { ...rule, prefix: env.REDIS_PREFIX }));
  const providers = opts.providers ?? buildProviders({ ...opts, createLimiter });
  // Cache and budget keys carry the deployment's hash tag like the pipeline's keys, so the cache's
  // multi-key MGET works on Redis Cluster.
  const prefix = hashTagPrefix(env.REDIS_PREFIX);
  const cache = new EnrichmentCache({
    redis,
    prefix,
    hitTtlSeconds: env.ENRICHMENT_CACHE_TTL_SECONDS,
    missTtlSeconds: env.ENRICHMENT_MISS_TTL_SECONDS,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const budget = new MonthlyBudget({ redis, prefix, monthly: monthlyBudgets(env), ...(opts.now ? { now: opts.now } : {}) });
  // Failed records go back to the pipeline's pending set, due after the retry delay.
  const retry = new EnrichmentRetry({
    redis,
    prefix,
    producer: createRescoreProducer({ redis, keys: pipelineKeys(env.REDIS_PREFIX), debounceMs: env.ENRICHMENT_RETRY_DELAY_MS }),
    maxAttempts: env.ENRICHMENT_RETRY_MAX_ATTEMPTS,
    logger,
  });
  return new CachingEnricher({ providers, cache, budget, logger, retry, preferEnriched: opts.preferEnriched ?? new Set() });
}
