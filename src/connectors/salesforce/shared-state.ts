/**
 * What the Salesforce connector shares between workers through Redis: the concurrency cap and the pause
 * (from `src/rate-limit/`), and the last `Sforce-Limit-Info` daily usage.
 */
import type { Redis } from 'ioredis';
import { MemoryRateLimiter, RedisRateLimiter, RedisSemaphore } from '../../rate-limit/index.ts';
import type { ApiUsage, CallGate, UsageStore } from './client.ts';

const KEY = 'salesforce';

/** How long a usage reading stays meaningful; a stale one is dropped rather than trusted (ms). */
const USAGE_TTL_MS = 60 * 60_000;

export function createRedisGate(redis: Redis, opts: { prefix: string; maxConcurrency: number }): CallGate {
  const semaphore = new RedisSemaphore(redis, { prefix: opts.prefix, max: opts.maxConcurrency });
  // Salesforce has no short rate window (only the daily allocation and the concurrency cap), so the limiter
  // serves here only for its shared pause; its window is never acquired.
  const pauses = new RedisRateLimiter(redis, { prefix: opts.prefix, limit: 1, windowMs: 1000 });
  return {
    withPermit: (fn) => semaphore.withPermit(KEY, fn),
    pausedForMs: () => pauses.pausedFor(KEY),
    pauseFor: (ms) => pauses.pauseFor(KEY, ms),
  };
}

export function createRedisUsageStore(redis: Redis, prefix: string): UsageStore {
  const key = `${prefix}:salesforce:api-usage`;
  return {
    async get() {
      const raw = await redis.get(key);
      if (!raw) return undefined;
      const [used, limit] = raw.split('/').map(Number);
      return used !== undefined && limit !== undefined && Number.isFinite(used) && Number.isFinite(limit) ? { used, limit } : undefined;
    },
    async set(u: ApiUsage) {
      await redis.set(key, `${u.used}/${u.limit}`, 'PX', USAGE_TTL_MS);
    },
  };
}

/**
 * For a single short CLI run (setup, check) that must not need Redis: calls run one after the other in this
 * process, so the cap is moot; the pause still holds within the run.
 */
export function createLocalGate(): CallGate {
  const pauses = new MemoryRateLimiter({ limit: 1, windowMs: 1000 });
  return {
    withPermit: (fn) => fn(),
    pausedForMs: () => pauses.pausedFor(KEY),
    pauseFor: (ms) => pauses.pauseFor(KEY, ms),
  };
}

export function createLocalUsageStore(): UsageStore {
  let last: ApiUsage | undefined;
  return {
    get: async () => last,
    set: async (u) => {
      last = u;
    },
  };
}
