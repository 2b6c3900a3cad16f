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

export function createRescoreProducer(options: ProducerOptions): RescoreProducer {
  const { redis, keys, debounceMs } = options;
  const now = options.now ?? Date.now;
  return {
    async enqueue(requests: readonly RescoreRequest[]): Promise<void> {
      if (requests.length === 0) return;
      const t = now();
      const multi = redis.multi();
      const objects = new Set<string>();
      for (const r of requests) {
        const due = r.trigger === 'rescore' ? t : t + debounceMs;
        // LT: a new id is added; a pending one only moves earlier, so a burst never postpones it.
        multi.zadd(keys.pending(r.crm, r.objectType), 'LT', due, r.id);
        if (r.occurredAt !== undefined) multi.hsetnx(keys.pendingAt(r.crm, r.objectType), r.id, String(r.occurredAt));
        objects.add(`${r.crm}:${r.objectType}`);
      }
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
    },
  };
}
