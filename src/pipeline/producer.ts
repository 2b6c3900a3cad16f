/**
 * The rescore producer behind webhooks, `rescore` and the admin API. A request only lands in a
 * per-object sorted set of pending ids (one member per record: a burst of 20 edits on one company is
 * one entry), due after the debounce window; the dispatcher later coalesces due ids into batch jobs.
 * One MULTI per call: `enqueue` resolves once Redis has it, and fails fast when Redis is away.
 */
import type { Redis } from 'ioredis';
import { QueueUnavailableError } from '../errors.ts';
import type { PipelineKeys } from './keys.ts';
import type { RescoreProducer, RescoreRequest } from './requests.ts';

export interface ProducerOptions {
  /**
   * A connection that fails fast: `enableOfflineQueue: false` and a short `commandTimeout`, so a dead
   * Redis makes `enqueue` reject at once (webhooks answer 503) instead of hanging.
   */
  redis: Redis;
  keys: PipelineKeys;
  /** Debounce window in ms (`SYNC_DEBOUNCE_MS`, default 1000). Explicit rescores skip it. */
  debounceMs: number;
  now?: () => number;
}

/** HSETNX for every (field, value) pair in ARGV: the first time recorded for a pending id is kept. */
const HSETNX_ALL = `for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end return 0`;

interface Waiting {
  requests: readonly RescoreRequest[];
  at: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createRescoreProducer(options: ProducerOptions): RescoreProducer {
  const { redis, keys, debounceMs } = options;
  const now = options.now ?? Date.now;

  // Calls that arrive while a transaction is on its way share the next one: deliveries that come
  // together cost one round trip, and each caller still resolves only once Redis holds its changes.
  let waiting: Waiting[] = [];
  let writing = false;
  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await write(batch);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    writing = false;
  }

  async function write(batch: readonly Waiting[]): Promise<void> {
    // Grouped per object type: one ZADD with every id and one script for the HSETNX part, rather
    // than two commands per id — a 100-event webhook costs a handful of Redis commands.
    const groups = new Map<string, { crm: RescoreRequest['crm']; objectType: string; due: (string | number)[]; at: string[] }>();
    for (const { requests, at: t } of batch) {
      for (const r of requests) {
        const name = `${r.crm}:${r.objectType}`;
        let g = groups.get(name);
        if (g === undefined) {
          g = { crm: r.crm, objectType: r.objectType, due: [], at: [] };
          groups.set(name, g);
        }
        g.due.push(r.trigger === 'rescore' ? t : t + debounceMs, r.id);
        if (r.occurredAt !== undefined) g.at.push(r.id, String(r.occurredAt));
      }
    }
    const multi = redis.multi();
    for (const g of groups.values()) {
      // LT: a new id is added; a pending one only moves earlier, so a burst never postpones it.
      multi.zadd(keys.pending(g.crm, g.objectType), 'LT', ...g.due);
      if (g.at.length > 0) multi.eval(HSETNX_ALL, 1, keys.pendingAt(g.crm, g.objectType), ...g.at);
    }
    const objects = groups.keys();
    multi.sadd(keys.pendingIndex, ...objects);
    let results: [Error | null, unknown][] | null;
    try {
      results = await multi.exec();
    } catch (err) {
      throw new QueueUnavailableError(`Redis cannot take the changes: ${(err as Error).message}`, { cause: err });
    }
    if (results === null) throw new QueueUnavailableError('Redis discarded the transaction');
    const failed = results.find(([e]) => e !== null);
    if (failed?.[0]) throw new QueueUnavailableError(`Redis refused the changes: ${failed[0].message}`, { cause: failed[0] });
  }

  return {
    enqueue(requests: readonly RescoreRequest[]): Promise<void> {
      if (requests.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ requests, at: now(), resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
