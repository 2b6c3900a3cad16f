/**
 * The failed set that `icp-sync failed list|retry` and the admin API show and replay. Two kinds of
 * entries: records the CRM refused for good (kept in a Redis hash, one entry per record, with the
 * vendor's message), and batch or listing jobs that used up their attempts (BullMQ's failed jobs).
 */
import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RecordFailure } from '../connectors/port.ts';
import type { CrmName } from '../errors.ts';
import type { PipelineKeys } from './keys.ts';
import type { RescoreProducer } from './requests.ts';

export interface FailedEntry {
  /** `record:<crm>:<objectType>:<recordId>` or `job:<queue>:<jobId>`. */
  id: string;
  kind: 'record' | 'job';
  crm?: CrmName;
  objectType?: string;
  /** The records concerned (one for a record entry; a job's ids). */
  recordIds: string[];
  /** Vendor error code (record entries) or the error class (job entries). */
  code: string;
  /** The vendor's or the error's message. */
  message: string;
  /** ISO 8601 */
  failedAt: string;
  attempts: number;
}

export interface FailedPage {
  total: number;
  entries: FailedEntry[];
}

export interface FailedSet {
  /** Records the CRM refused for good. */
  add(crm: CrmName, objectType: string, failures: readonly RecordFailure[], attempts: number): Promise<void>;
  list(options?: { limit?: number; offset?: number }): Promise<FailedPage>;
  /** Replays entries (or every entry); returns how many were handed back to the queues. */
  retry(ids: readonly string[] | 'all'): Promise<number>;
}

const storedSchema = z.object({
  crm: z.enum(['hubspot', 'salesforce']),
  objectType: z.string(),
  recordId: z.string(),
  code: z.string(),
  message: z.string(),
  failedAt: z.string(),
  attempts: z.number(),
});

const jobIdsSchema = z.object({ crm: z.enum(['hubspot', 'salesforce']).optional(), objectType: z.string().optional(), ids: z.array(z.string()).optional() });

export interface FailedSetOptions {
  redis: Redis;
  keys: PipelineKeys;
  /** Queues whose failed jobs are part of the set. */
  queues: () => readonly Queue[];
  producer: RescoreProducer;
}

function jobEntry(queue: Queue, job: Job): FailedEntry {
  const data = jobIdsSchema.safeParse(job.data);
  const d = data.success ? data.data : {};
  return {
    id: `job:${queue.name}:${job.id ?? ''}`,
    kind: 'job',
    ...(d.crm ? { crm: d.crm } : {}),
    ...(d.objectType ? { objectType: d.objectType } : {}),
    recordIds: d.ids ?? [],
    code: job.name,
    message: job.failedReason,
    failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
    attempts: job.attemptsMade,
  };
}

export function createFailedSet(options: FailedSetOptions): FailedSet {
  const { redis, keys } = options;

  async function recordEntries(offset: number, limit: number): Promise<FailedEntry[]> {
    if (limit <= 0) return [];
    const ids = await redis.zrevrange(keys.failedIndex, offset, offset + limit - 1);
    if (ids.length === 0) return [];
    const raws = await redis.hmget(keys.failed, ...ids);
    const out: FailedEntry[] = [];
    ids.forEach((id, i) => {
      const raw = raws[i];
      if (raw === null || raw === undefined) return;
      const e = storedSchema.parse(JSON.parse(raw));
      out.push({ id, kind: 'record', crm: e.crm, objectType: e.objectType, recordIds: [e.recordId], code: e.code, message: e.message, failedAt: e.failedAt, attempts: e.attempts });
    });
    return out;
  }

  async function retryRecords(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const raws = await redis.hmget(keys.failed, ...ids);
    const entries = raws.flatMap((raw) => (raw ? [storedSchema.parse(JSON.parse(raw))] : []));
    if (entries.length > 0) {
      await options.producer.enqueue(entries.map((e) => ({ crm: e.crm, objectType: e.objectType, id: e.recordId, trigger: 'rescore' as const })));
    }
    // Removed only once re-queued; ids without an entry are dropped from the index too.
    await redis.multi().hdel(keys.failed, ...ids).zrem(keys.failedIndex, ...ids).exec();
    return entries.length;
  }

  return {
    async add(crm, objectType, failures, attempts) {
      if (failures.length === 0) return;
      const multi = redis.multi();
      const at = new Date();
      for (const f of failures) {
        const id = `record:${crm}:${objectType}:${f.id}`;
        const entry = { crm, objectType, recordId: f.id, code: f.code, message: f.message, failedAt: at.toISOString(), attempts };
        multi.hset(keys.failed, id, JSON.stringify(entry)).zadd(keys.failedIndex, at.getTime(), id);
      }
      await multi.exec();
    },

    async list({ limit = 50, offset = 0 } = {}) {
      const recordTotal = await redis.zcard(keys.failedIndex);
      const queues = options.queues();
      const jobCounts = await Promise.all(queues.map((q) => q.getFailedCount()));
      const total = recordTotal + jobCounts.reduce((a, b) => a + b, 0);
      const entries = await recordEntries(offset, Math.min(limit, recordTotal - offset));
      let skip = Math.max(0, offset - recordTotal);
      for (const [i, queue] of queues.entries()) {
        const count = jobCounts[i] ?? 0;
        if (entries.length >= limit) break;
        if (skip >= count) {
          skip -= count;
          continue;
        }
        const jobs = await queue.getFailed(skip, skip + (limit - entries.length) - 1);
        skip = 0;
        entries.push(...jobs.map((j) => jobEntry(queue, j)));
      }
      return { total, entries };
    },

    async retry(ids) {
      let n = 0;
      if (ids === 'all') {
        for (;;) {
          const batch = await redis.zrange(keys.failedIndex, 0, 499);
          if (batch.length === 0) break;
          n += await retryRecords(batch);
        }
        for (const queue of options.queues()) {
          const count = await queue.getFailedCount();
          if (count > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
          n += count;
        }
        return n;
      }
      n += await retryRecords(ids.filter((id) => id.startsWith('record:')));
      const queues = new Map(options.queues().map((q) => [q.name, q]));
      for (const id of ids.filter((x) => x.startsWith('job:'))) {
        const [, queueName = '', ...rest] = id.split(':');
        const queue = queues.get(queueName);
        const job = queue ? await Job.fromId(queue, rest.join(':')) : undefined;
        if (!job || !(await job.isFailed())) continue;
        await job.retry('failed');
        n += 1;
      }
      return n;
    },
  };
}

/**
 * The ids among `ids` that name no entry of the failed set (a record entry, or a failed job of one
 * of `queues`), in their order: `failed retry` names them instead of silently retrying nothing.
 */
export async function unknownFailedIds(
  options: { redis: Pick<Redis, 'hexists'>; keys: Pick<PipelineKeys, 'failed'>; queues: readonly Queue[] },
  ids: readonly string[],
): Promise<string[]> {
  const queues = new Map(options.queues.map((q) => [q.name, q]));
  const unknown: string[] = [];
  for (const id of ids) {
    if (id.startsWith('record:')) {
      if ((await options.redis.hexists(options.keys.failed, id)) === 0) unknown.push(id);
      continue;
    }
    if (id.startsWith('job:')) {
      const [, queueName = '', ...rest] = id.split(':');
      const queue = queues.get(queueName);
      const job = queue ? await Job.fromId(queue, rest.join(':')) : undefined;
      if (job && (await job.isFailed())) continue;
    }
    unknown.push(id);
  }
  return unknown;
}
