/**
 * A concurrency cap shared by every process through Redis: at most `max` holders of `key` at once.
 * Each permit is a lease that its holder renews while it works; a crashed holder's permit frees
 * itself when its lease expires, so a dead worker never blocks the others for longer than one lease.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { holdersKey } from './keys.ts';
import { jitter } from './limiter.ts';
import { defineScript, runScript } from './lua.ts';

// KEYS: holders zset. ARGV: max, leaseMs, token. Returns 1 when the permit was taken.
const TAKE = defineScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
`,
  1,
);

// KEYS: holders zset. ARGV: leaseMs, token. Returns 0 when the lease was already lost.
const RENEW = defineScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not score or tonumber(score) <= now then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1
`,
  1,
);

export interface SemaphoreOptions {
  /** Key prefix (REDIS_PREFIX); see `keys.ts`. */
  prefix: string;
  /** Holders allowed at once across all processes (e.g. Salesforce's concurrent long-request cap). */
  max: number;
  /** Lease length in ms, renewed every third of it while the holder works (default 30,000). */
  leaseMs?: number;
  /** Longest sleep between attempts to take a permit, in ms (default 250). */
  maxPollMs?: number;
}

/** A held permit; `release()` is idempotent. */
export interface Permit {
  readonly token: string;
  /** `true` once a renewal found the lease gone (the holder stalled longer than a lease). */
  readonly lost: boolean;
  release(): Promise<void>;
}

/** See the file comment; one instance per cap, any number of keys. */
export class RedisSemaphore {
  private readonly redis: Redis;
  private readonly opts: Required<SemaphoreOptions>;

  /** `redis` is shared, not owned: the caller closes it. */
  constructor(redis: Redis, options: SemaphoreOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) throw new RangeError('max must be an integer ≥ 1');
    this.redis = redis;
    this.opts = { leaseMs: 30_000, maxPollMs: 250, ...options };
  }

  /** Takes a permit now if one is free. `token` identifies the holder (random by default). */
  async tryTake(key: string, token: string = randomUUID()): Promise<boolean> {
    const res = await runScript(this.redis, TAKE, [holdersKey(this.opts.prefix, key)], [this.opts.max, this.opts.leaseMs, token]);
    return Number(res) === 1;
  }

  /** Waits for a permit and keeps its lease alive until `release()`. */
  async acquire(key: string): Promise<Permit> {
    const token = randomUUID();
    let delay = 10;
    while (!(await this.tryTake(key, token))) {
      await sleep(delay + jitter());
      delay = Math.min(delay * 2, this.opts.maxPollMs);
    }
    const hkey = holdersKey(this.opts.prefix, key);
    let lost = false;
    const timer = setInterval(() => {
      runScript(this.redis, RENEW, [hkey], [this.opts.leaseMs, token])
        .then((r) => {
          if (Number(r) === 0) lost = true;
        })
        .catch(() => {
          // A failed renewal is retried at the next tick; the lease covers the gap.
        });
    }, Math.max(10, Math.floor(this.opts.leaseMs / 3)));
    timer.unref();
    let released = false;
    return {
      token,
      get lost() {
        return lost;
      },
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.redis.zrem(hkey, token);
      },
    };
  }

  /** Runs `fn` while holding a permit of `key`; releases it however `fn` ends. */
  async withPermit<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const permit = await this.acquire(key);
    try {
      return await fn();
    } finally {
      await permit.release();
    }
  }

  /** Permits held right now (expired leases excluded). */
  async holders(key: string): Promise<number> {
    const now = Date.now();
    return this.redis.zcount(holdersKey(this.opts.prefix, key), `(${now}`, '+inf');
  }
}
