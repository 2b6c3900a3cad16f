/**
 * A sliding-window rate limiter shared by every process through Redis. One atomic Lua script checks
 * the shared pause, drops units older than the window and takes units only if the total stays within
 * the limit, using the Redis server clock so that process clocks never disagree.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { pauseKey, windowKey } from './keys.ts';
import { checkCost, jitter, type RateLimiter, type RateLimitRule } from './limiter.ts';
import { defineScript, runScript } from './lua.ts';

// KEYS: window zset, pause key. ARGV: limit, windowMs, cost, unique member id.
// Returns {1, now} when taken, {0, waitMs} otherwise.
const TAKE = defineScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {0, paused} end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count + cost <= limit then
  for i = 1, cost do redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i) end
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return {1, now}
end
local oldest = redis.call('ZRANGE', KEYS[1], count + cost - limit - 1, count + cost - limit - 1, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return {0, wait}
`,
  2,
);

// KEYS: pause key. ARGV: ms. Extends the pause, never shortens it.
const PAUSE = defineScript(
  `
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
`,
  1,
);

export interface RedisRateLimiterOptions extends RateLimitRule {
  /** Key prefix (REDIS_PREFIX); see `keys.ts` for the layout. */
  prefix: string;
  /** Longest single sleep between attempts, in ms (default 1000): waits are re-checked at least this often. */
  maxSleepMs?: number;
}

/** See the file comment; one instance per rule, any number of keys. */
export class RedisRateLimiter implements RateLimiter {
  readonly rule: RateLimitRule;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly maxSleepMs: number;

  /** `redis` is shared, not owned: the caller closes it. */
  constructor(redis: Redis, options: RedisRateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be an integer ≥ 1');
    if (!Number.isInteger(options.windowMs) || options.windowMs < 1) throw new RangeError('windowMs must be an integer ≥ 1');
    this.redis = redis;
    this.rule = { limit: options.limit, windowMs: options.windowMs };
    this.prefix = options.prefix;
    this.maxSleepMs = options.maxSleepMs ?? 1000;
  }

  async acquire(key: string, cost = 1): Promise<number> {
    checkCost(this.rule, cost);
    for (;;) {
      const [taken, value] = await this.take(key, cost);
      if (taken) return value;
      await sleep(Math.min(value, this.maxSleepMs) + jitter());
    }
  }

  async tryAcquire(key: string, cost = 1): Promise<number> {
    checkCost(this.rule, cost);
    const [taken, value] = await this.take(key, cost);
    return taken ? 0 : value;
  }

  async pauseFor(key: string, ms: number): Promise<void> {
    const whole = Math.ceil(ms);
    if (whole <= 0) return;
    await runScript(this.redis, PAUSE, [pauseKey(this.prefix, key)], [whole]);
  }

  async pausedFor(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(pauseKey(this.prefix, key)));
  }

  private async take(key: string, cost: number): Promise<[boolean, number]> {
    const res = (await runScript(
      this.redis,
      TAKE,
      [windowKey(this.prefix, key), pauseKey(this.prefix, key)],
      [this.rule.limit, this.rule.windowMs, cost, randomUUID()],
    )) as [number, number];
    return [res[0] === 1, Number(res[1])];
  }
}
