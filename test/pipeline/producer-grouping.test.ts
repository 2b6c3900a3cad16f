/**
 * The producer's grouped writes on a real Redis: calls made in one turn of the event loop share one
 * script call; each call resolves only once Redis holds its requests; a failed write rejects every
 * call of its group with the same error, and the other groups go through. And the packed script leaves Redis in
 * exactly the state the per-request MULTI it replaced left (kept here as a frozen reference), on
 * random requests including duplicate, empty, comma, newline and non-ASCII ids.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueueUnavailableError } from '../../src/errors.ts';
import { pipelineKeys, type PipelineKeys } from '../../src/pipeline/keys.ts';
import { createRescoreProducer } from '../../src/pipeline/producer.ts';
import type { RescoreRequest } from '../../src/pipeline/requests.ts';
import { removeTestKeys } from '../redis-keys.ts';

const URL = 'redis://127.0.0.1:6379';
const prefixes: string[] = [];
const newPrefix = () => {
  const p = `icp-test-grouping-${randomUUID().slice(0, 8)}`;
  prefixes.push(p);
  return p;
};

let redis: Redis;
let reader: Redis;

beforeAll(() => {
  // The runtime's producer connection fails fast rather than queueing offline.
  redis = new Redis(URL, { enableOfflineQueue: false, commandTimeout: 2000 });
  reader = new Redis(URL);
});

afterEach(async () => {
  for (const p of prefixes.splice(0)) await removeTestKeys(reader, p);
});

afterAll(() => {
  redis.disconnect();
  reader.disconnect();
});

async function ready(r: Redis): Promise<void> {
  if (r.status !== 'ready') await new Promise((resolve) => r.once('ready', resolve));
}

/** The write as it was: ZADD LT per object, HSETNX per id, SADD to the index, in one MULTI. */
async function referenceEnqueue(r: Redis, keys: PipelineKeys, debounceMs: number, at: number, requests: readonly RescoreRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const multi = r.multi();
  const objects = new Set<string>();
  for (const q of requests) {
    multi.zadd(keys.pending(q.crm, q.objectType), 'LT', q.trigger === 'rescore' ? at : at + debounceMs, q.id);
    if (q.occurredAt !== undefined) multi.hsetnx(keys.pendingAt(q.crm, q.objectType), q.id, String(q.occurredAt));
    objects.add(`${q.crm}:${q.objectType}`);
  }
  multi.sadd(keys.pendingIndex, ...objects);
  await multi.exec();
}

/** Everything the producer writes under one prefix, read back. */
async function state(keys: PipelineKeys, objects: ReadonlyArray<[RescoreRequest['crm'], string]>) {
  const out: Record<string, unknown> = { index: (await reader.smembers(keys.pendingIndex)).sort() };
  for (const [crm, type] of objects) {
    out[`${crm}:${type}:pending`] = await reader.zrange(keys.pending(crm, type), 0, -1, 'WITHSCORES');
    out[`${crm}:${type}:at`] = await reader.hgetall(keys.pendingAt(crm, type));
  }
  return out;
}

const OBJECTS: ReadonlyArray<[RescoreRequest['crm'], string]> = [
  ['hubspot', 'companies'],
  ['hubspot', 'contacts'],
  ['salesforce', 'Account'],
];

const request: fc.Arbitrary<RescoreRequest> = fc.record(
  {
    object: fc.constantFrom(...OBJECTS),
    id: fc.oneof(fc.constantFrom('1', '2', '3', '', 'a\nb', 'a', 'b', 'x,y', 'é', '\u{1F600}', ' ', '10'), fc.string({ maxLength: 6 })),
    trigger: fc.constantFrom('webhook' as const, 'rescore' as const),
    occurredAt: fc.option(fc.integer({ min: 0, max: 2_000_000_000_000 }), { nil: undefined }),
  },
  { requiredKeys: ['object', 'id', 'trigger'] },
).map(({ object: [crm, objectType], id, trigger, occurredAt }) => ({ crm, objectType, id, trigger, ...(occurredAt === undefined ? {} : { occurredAt }) }));

describe('producer: grouped writes on real Redis', () => {
  it('leaves exactly the state the per-request MULTI left, whatever the ids and however calls group', async () => {
    await ready(redis);
    await fc.assert(
      fc.asyncProperty(
        // Waves of calls made together (they may share a write), each call with its own time.
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.array(request, { maxLength: 8 })), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (waves) => {
          const [a, b] = [pipelineKeys(newPrefix()), pipelineKeys(newPrefix())];
          let clock = 0;
          const producer = createRescoreProducer({ redis, keys: a, debounceMs: 1000, now: () => clock });
          for (const wave of waves) {
            // The calls of a wave are made in one turn, so they share one write.
            const calls = wave.map(([t, requests]) => {
              clock = t;
              return producer.enqueue(requests);
            });
            await Promise.all(calls);
            for (const [t, requests] of wave) await referenceEnqueue(reader, b, 1000, t, requests);
          }
          expect(await state(a, OBJECTS)).toEqual(await state(b, OBJECTS));
          for (const p of prefixes.splice(0)) await removeTestKeys(reader, p);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes the calls made in one turn of the event loop in one script call, and resolves each once Redis holds it', async () => {
    await ready(redis);
    const keys = pipelineKeys(newPrefix());
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000 });
    // Once, so that Redis knows the script and each write is one EVALSHA.
    await producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'warm-up', trigger: 'webhook' }]);
    const monitor = await new Redis(URL).monitor();
    const writes: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (/^eval(sha)?$/i.test(args[0] ?? '') && args.includes(keys.pendingIndex)) writes.push(args);
    });
    try {
      const deliveries = Array.from({ length: 20 }, (_, d) =>
        Array.from({ length: 100 }, (_, i): RescoreRequest => ({ crm: 'hubspot', objectType: 'companies', id: String(d * 1000 + i), trigger: 'webhook', occurredAt: 7 })),
      );
      // Each call checks, the moment it resolves, that its own ids are in Redis.
      const check = async (requests: readonly RescoreRequest[]) => {
        await producer.enqueue(requests);
        const scores = await reader.zmscore(keys.pending('hubspot', 'companies'), ...requests.map((r) => r.id));
        return scores.filter((s) => s === null).length;
      };
      const together = deliveries.slice(0, 15).map(check);
      // Calls made in a later turn go in a write of their own.
      await new Promise((r) => setImmediate(r));
      const later = deliveries.slice(15).map(check);
      expect(await Promise.all([...together, ...later])).toEqual(deliveries.map(() => 0));
      expect(await reader.zcard(keys.pending('hubspot', 'companies'))).toBe(2001);
      await new Promise((r) => setTimeout(r, 50));
      expect(writes.length).toBe(2);
    } finally {
      monitor.disconnect();
    }
  });

  it('rejects every call of a failed write with the same error, and only those', async () => {
    await ready(redis);
    const keys = pipelineKeys(newPrefix());
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000 });
    // A key of the wrong type makes the script fail inside Redis.
    await reader.set(keys.pending('salesforce', 'Lead'), 'not a sorted set');
    const group = [
      producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'healthy', trigger: 'webhook' }]),
      producer.enqueue([{ crm: 'salesforce', objectType: 'Lead', id: '00Q000000000001', trigger: 'webhook' }]),
      producer.enqueue([{ crm: 'hubspot', objectType: 'contacts', id: 'c1', trigger: 'rescore', occurredAt: 1 }]),
    ];
    await new Promise((r) => setImmediate(r));
    const next = producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'next', trigger: 'webhook' }]);
    const outcomes = await Promise.allSettled(group);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as unknown) : undefined));
    for (const reason of reasons) expect(reason).toBeInstanceOf(QueueUnavailableError);
    expect(new Set(reasons).size).toBe(1);
    await expect(next).resolves.toBeUndefined();

    await reader.del(keys.pending('salesforce', 'Lead'));
    await expect(producer.enqueue([{ crm: 'salesforce', objectType: 'Lead', id: '00Q000000000001', trigger: 'webhook' }])).resolves.toBeUndefined();
    expect(await reader.zrange(keys.pending('salesforce', 'Lead'), 0, -1)).toEqual(['00Q000000000001']);
  });

  it('writes an id named many times once, with its earliest due time and first recorded time', async () => {
    await ready(redis);
    const keys = pipelineKeys(newPrefix());
    let clock = 10_000;
    const producer = createRescoreProducer({ redis, keys, debounceMs: 1000, now: () => clock });
    const calls = [
      producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'a', trigger: 'webhook' }]),
      producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'a', trigger: 'webhook', occurredAt: 5 }]),
    ];
    clock = 10_500;
    calls.push(producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: 'a', trigger: 'rescore', occurredAt: 3 }]));
    await Promise.all(calls);
    expect(await reader.zrange(keys.pending('hubspot', 'companies'), 0, -1, 'WITHSCORES')).toEqual(['a', '10500']);
    expect(await reader.hgetall(keys.pendingAt('hubspot', 'companies'))).toEqual({ a: '5' });
  });

  it('rejects at once with QueueUnavailableError when Redis is away', async () => {
    const down = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const producer = createRescoreProducer({ redis: down, keys: pipelineKeys(newPrefix()), debounceMs: 1000 });
    const calls = [1, 2, 3].map((i) => producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: String(i), trigger: 'webhook' }]));
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(QueueUnavailableError);
    down.disconnect();
  });
});
