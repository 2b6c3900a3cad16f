import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter, RedisSemaphore } from '../../src/rate-limit/index.ts';
import { holdersKey, pauseKey, windowKey } from '../../src/rate-limit/keys.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-rl-${randomBytes(6).toString('hex')}`;
const connections: Redis[] = [];

function connect(): Redis {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(r);
  return r;
}

/** Largest number of grants inside any window of `windowMs` (grants are server times, ms). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi += 1) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

beforeAll(() => {
  connect();
});

afterAll(async () => {
  const admin = connections[0] as Redis;
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await Promise.all(connections.map((c) => c.quit()));
});

describe('RedisRateLimiter', () => {
  it('never lets several processes exceed the limit in any window', async () => {
    const rule = { limit: 8, windowMs: 300 };
    const limiters = [0, 1, 2, 3].map(() => new RedisRateLimiter(connect(), { prefix, ...rule }));
    const grants: number[] = [];
    await Promise.all(
      limiters.flatMap((l) =>
        Array.from({ length: 6 }, async () => {
          grants.push(await l.acquire('shared'));
        }),
      ),
    );
    expect(grants).toHaveLength(24);
    expect(maxInAnyWindow(grants, rule.windowMs)).toBeLessThanOrEqual(rule.limit);
    // 24 grants at 8 per window need at least two full windows after the first grant.
    expect(Math.max(...grants) - Math.min(...grants)).toBeGreaterThanOrEqual(2 * rule.windowMs);
  });

  it('counts a cost of several units and refuses a cost above the limit', async () => {
    const l = new RedisRateLimiter(connections[0] as Redis, { prefix, limit: 5, windowMs: 60_000 });
    expect(await l.tryAcquire('cost', 3)).toBe(0);
    expect(await l.tryAcquire('cost', 3)).toBeGreaterThan(0);
    expect(await l.tryAcquire('cost', 2)).toBe(0);
    await expect(l.acquire('cost', 6)).rejects.toBeInstanceOf(RangeError);
  });

  it('shares a pause between instances and never shortens it', async () => {
    const a = new RedisRateLimiter(connect(), { prefix, limit: 100, windowMs: 1000 });
    const b = new RedisRateLimiter(connect(), { prefix, limit: 100, windowMs: 1000 });
    await a.pauseFor('paused', 5_000);
    await a.pauseFor('paused', 10);
    const wait = await b.tryAcquire('paused');
    expect(wait).toBeGreaterThan(4_000);
    expect(await b.pausedFor('paused')).toBeGreaterThan(4_000);
    expect(await b.pausedFor('not-paused')).toBe(0);
  });

  it('keeps the keys of one limiter in one Redis Cluster slot', () => {
    const tag = (k: string) => /\{([^}]*)\}/.exec(k)?.[1];
    expect(tag(windowKey('icp', 'hubspot:burst'))).toBe(tag(pauseKey('icp', 'hubspot:burst')));
    expect(tag(windowKey('{icp}', 'x'))).toBe('icp');
    expect(holdersKey('icp', 'a{b}')).toBe('icp:sem:{a_b_}:h');
  });
});

describe('MemoryRateLimiter', () => {
  it('applies the same window in one process', async () => {
    const l = new MemoryRateLimiter({ limit: 2, windowMs: 50_000 });
    expect(await l.tryAcquire('k')).toBe(0);
    expect(await l.tryAcquire('k')).toBe(0);
    expect(await l.tryAcquire('k')).toBeGreaterThan(0);
    await l.pauseFor('j', 1_000);
    expect(await l.tryAcquire('j')).toBeGreaterThan(0);
  });
});

describe('RedisSemaphore', () => {
  it('caps concurrent holders across instances', async () => {
    const sems = [0, 1, 2].map(() => new RedisSemaphore(connect(), { prefix, max: 2, leaseMs: 2_000 }));
    let active = 0;
    let peak = 0;
    let done = 0;
    await Promise.all(
      sems.flatMap((s) =>
        Array.from({ length: 4 }, () =>
          s.withPermit('cap', async () => {
            active += 1;
            peak = Math.max(peak, active);
            await new Promise((r) => setTimeout(r, 15));
            active -= 1;
            done += 1;
          }),
        ),
      ),
    );
    expect(done).toBe(12);
    expect(peak).toBe(2);
    expect(await sems[0]!.holders('cap')).toBe(0);
  });

  it('frees the permit of a holder that stopped renewing once its lease expires', async () => {
    const s = new RedisSemaphore(connect(), { prefix, max: 1, leaseMs: 150, maxPollMs: 20 });
    expect(await s.tryTake('lease', 'crashed-holder')).toBe(true);
    expect(await s.tryTake('lease')).toBe(false);
    const permit = await s.acquire('lease');
    expect(permit.lost).toBe(false);
    await permit.release();
    expect(await s.holders('lease')).toBe(0);
  });

  it('releases the permit when the work throws', async () => {
    const s = new RedisSemaphore(connect(), { prefix, max: 1 });
    await expect(s.withPermit('throws', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await s.tryTake('throws')).toBe(true);
  });
});
