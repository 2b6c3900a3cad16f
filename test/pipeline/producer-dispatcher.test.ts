import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { QueueUnavailableError } from '../../src/errors.ts';
import { createDispatcher } from '../../src/pipeline/dispatcher.ts';
import { pipelineKeys, type PipelineKeys } from '../../src/pipeline/keys.ts';
import { createRescoreProducer } from '../../src/pipeline/producer.ts';
import { cleanRedis, silentLogger, testEnv } from './helpers.ts';

describe('producer and dispatcher on real Redis', () => {
  let env: Env;
  let redis: Redis;
  let keys: PipelineKeys;
  let queue: Queue;
  let now: number;

  beforeEach(() => {
    env = testEnv();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    keys = pipelineKeys(env.REDIS_PREFIX);
    queue = new Queue('batches-hubspot', { connection: redis, prefix: keys.bullPrefix });
    now = 1_000_000;
  });

  afterEach(async () => {
    await queue.close();
    redis.disconnect();
    await cleanRedis(env);
  });

  const dispatcher = () =>
    createDispatcher({ redis, keys, queues: new Map([['hubspot', queue]]), batchSize: () => 100, logger: silentLogger, now: () => now, claimTimeoutMs: 1000 });

  it('keeps one pending entry per record; a burst never postpones it; rescores skip the window', async () => {
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => now });
    await producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'a', trigger: 'webhook', occurredAt: 5 }]);
    now += 500;
    await producer.enqueue(Array.from({ length: 19 }, () => ({ crm: 'hubspot' as const, objectType: 'companies', id: 'a', trigger: 'webhook' as const, occurredAt: 9 })));
    await producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'b', trigger: 'rescore' }]);
    const pending = await redis.zrange(keys.pending('hubspot', 'companies'), 0, -1, 'WITHSCORES');
    expect(pending).toEqual(['b', String(now), 'a', String(now + 500)]);
    expect(await redis.hget(keys.pendingAt('hubspot', 'companies'), 'a')).toBe('5');
  });

  it('takes a mixed delivery in one call: each object type gets its own ids, earliest time and index entry', async () => {
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => now });
    await producer.enqueue([
      { crm: 'salesforce', objectType: 'Account', id: 'A1', trigger: 'webhook', occurredAt: 7 },
      { crm: 'salesforce', objectType: 'Lead', id: 'L1', trigger: 'webhook' },
      { crm: 'salesforce', objectType: 'Account', id: 'A1', trigger: 'webhook', occurredAt: 3 },
      { crm: 'salesforce', objectType: 'Account', id: 'A2', trigger: 'rescore', occurredAt: 4 },
    ]);
    expect(await redis.zrange(keys.pending('salesforce', 'Account'), 0, -1, 'WITHSCORES')).toEqual(['A2', String(now), 'A1', String(now + 1000)]);
    expect(await redis.zrange(keys.pending('salesforce', 'Lead'), 0, -1)).toEqual(['L1']);
    expect(await redis.hgetall(keys.pendingAt('salesforce', 'Account'))).toEqual({ A1: '7', A2: '4' });
    expect(await redis.exists(keys.pendingAt('salesforce', 'Lead'))).toBe(0);
    expect((await redis.smembers(keys.pendingIndex)).sort()).toEqual(['salesforce:Account', 'salesforce:Lead']);
  });

  it('coalesces due ids into batch jobs of at most the batch size, carrying their ids', async () => {
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => now });
    await producer.enqueue(Array.from({ length: 250 }, (_, i) => ({ crm: 'hubspot' as const, objectType: 'companies', id: String(i), trigger: 'webhook' as const })));
    expect(await dispatcher().tick()).toBe(0);
    now += 1000;
    expect(await dispatcher().tick()).toBe(3);
    const jobs = await queue.getWaiting();
    expect(jobs.map((j) => (j.data as { ids: string[] }).ids.length).sort()).toEqual([100, 100, 50]);
    expect(new Set(jobs.flatMap((j) => (j.data as { ids: string[] }).ids)).size).toBe(250);
    expect(await redis.zcard(keys.pending('hubspot', 'companies'))).toBe(0);
    expect(await redis.hlen(keys.claims)).toBe(0);
  });

  it('holds due ids to fill a batch while jobs wait for a worker, at most the hold time', async () => {
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => now });
    await queue.add('changes', { crm: 'hubspot', objectType: 'companies', ids: ['busy'] });
    await queue.add('changes', { crm: 'hubspot', objectType: 'companies', ids: ['busy-too'] });
    await producer.enqueue(Array.from({ length: 130 }, (_, i) => ({ crm: 'hubspot' as const, objectType: 'companies', id: String(i), trigger: 'webhook' as const })));
    now += 1000;
    // Workers are behind: one full batch leaves, the 30 left wait for more company.
    expect(await dispatcher().tick()).toBe(1);
    expect(await redis.zcard(keys.pending('hubspot', 'companies'))).toBe(30);
    now += 999;
    expect(await dispatcher().tick()).toBe(0);
    now += 1;
    expect(await dispatcher().tick()).toBe(1);
    const sizes = (await queue.getWaiting()).map((j) => (j.data as { ids: string[] }).ids.length).sort((a, b) => a - b);
    expect(sizes).toEqual([1, 1, 30, 100]);
  });

  it('sends a lone due id at once when the workers keep up', async () => {
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => now });
    await queue.add('changes', { crm: 'hubspot', objectType: 'companies', ids: ['one-job-in-flight'] });
    await producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'solo', trigger: 'webhook' }]);
    now += 1000;
    expect(await dispatcher().tick()).toBe(1);
  });

  it('holds due ids to fill a batch once half the daily API allocation is spent, even with idle workers', async () => {
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => now });
    let usage: { used: number; limit: number } | undefined = { used: 50_000, limit: 100_000 };
    const asked: string[] = [];
    const d = createDispatcher({
      redis,
      keys,
      queues: new Map([['hubspot', queue]]),
      batchSize: () => 100,
      logger: silentLogger,
      now: () => now,
      dailyUsage: async (crm) => {
        asked.push(crm);
        return usage;
      },
    });
    await producer.enqueue(Array.from({ length: 8 }, (_, i) => ({ crm: 'hubspot' as const, objectType: 'companies', id: `a${i}`, trigger: 'webhook' as const })));
    now += 1000;
    // No job in the queue, but half the allocation is used: the 8 ids wait for company.
    expect(await d.tick()).toBe(0);
    expect(asked).toEqual(['hubspot']);
    now += 999;
    expect(await d.tick()).toBe(0);
    now += 1;
    expect(await d.tick()).toBe(1);
    expect((await queue.getWaiting()).map((j) => (j.data as { ids: string[] }).ids.length)).toEqual([8]);

    // Under half, or no reading yet: a due id leaves at once, as before.
    for (const reading of [{ used: 49_999, limit: 100_000 }, undefined]) {
      usage = reading;
      await queue.drain(); // the workers took the jobs: they keep up
      await producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: `solo-${String(reading?.used)}`, trigger: 'webhook' }]);
      now += 1000;
      expect(await d.tick()).toBe(1);
    }
  });

  it('re-queues a claim left by a process that died before queueing it, under the same job id', async () => {
    const claim = { crm: 'hubspot', objectType: 'companies', ids: ['x', 'y'], at: ['7', false], claimedAt: now - 5000 };
    await redis.hset(keys.claims, 'c-orphan', JSON.stringify(claim));
    expect(await dispatcher().tick()).toBe(1);
    const job = await queue.getJob('c-orphan');
    expect(job?.data).toMatchObject({ ids: ['x', 'y'], occurredAt: { x: 7 } });
    expect(await redis.hlen(keys.claims)).toBe(0);
  });

  it('rejects with QueueUnavailableError at once when Redis is unreachable', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => {});
    const producer = createRescoreProducer({ redis: dead, keys, debounceMs: 1000 });
    await expect(producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'a', trigger: 'webhook' }])).rejects.toBeInstanceOf(QueueUnavailableError);
    dead.disconnect();
  });
});
