/**
 * Backfill changes gathered for one bulk write (Salesforce Bulk API 2.0), durably in Redis.
 *
 * A backfill batch job on a connector with `bulkWriteThreshold` scores its records as usual but,
 * instead of writing, adds the changed records to the run's stage (one hash: record id → fields).
 * Once the stage holds more than the threshold, or once the listing is over and every listed record
 * is either processed or staged, a `bulk-flush` job takes the stage (RENAME, atomic) into a key of
 * its own and writes it with one `writeChanges(…, { mode: 'bulk' })`; below the threshold the
 * connector's synchronous batch calls are used.
 *
 * Why nothing is lost: a record is counted as processed only when its flush job is done, and the
 * run is `done` only when every listed record was processed, so a run never ends with changes left
 * in Redis. Each step is durable before the next: staging happens before the batch job completes
 * (a crash repeats the job, which stages the same ids again: a hash keeps one entry per record),
 * and the flush key lives until its write is counted (a crash repeats the flush job, which finds
 * its key and writes the same values again: an idempotent update). Should Redis lose them anyway,
 * the records are still in the CRM and a new backfill lists them again.
 *
 * The trade-off: a record is written up to one stage later than with live writes. A webhook change
 * in between is scored and written live at once; the bulk write that follows may then carry the
 * older values, and bumps the record's modification time, so the next incremental sync scores it
 * again from its current fields.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RecordChange } from '../connectors/port.ts';
import type { CrmName } from '../errors.ts';
import type { PipelineKeys } from './keys.ts';

/** Name of the batch-queue job that writes a backfill's staged changes. */
export const BULK_FLUSH_JOB = 'bulk-flush';

export const bulkFlushJobSchema = z.object({
  crm: z.enum(['hubspot', 'salesforce']),
  objectType: z.string().min(1),
  run: z.string().min(1),
  /** `threshold`: take the stage only when it is over the threshold; `final`: whatever it holds. */
  reason: z.enum(['threshold', 'final']),
});
export type BulkFlushJobData = z.infer<typeof bulkFlushJobSchema>;

// Adds changes to a running run's stage; counts only ids new to the stage. -1: the run is over.
const STAGE = `
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= 'running' then return -1 end
local added = 0
for i = 2, #ARGV, 2 do added = added + redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('HINCRBY', KEYS[1], 'staged', added)
return redis.call('HLEN', KEYS[2])
`;

// Gives a flush job its changes: the ones it took before (a retry), or the stage when big enough.
const CLAIM = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 1 end
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] then return 0 end
local n = redis.call('HLEN', KEYS[2])
if n == 0 or n < tonumber(ARGV[2]) then return 0 end
redis.call('RENAME', KEYS[2], KEYS[3])
return 1
`;

// The listing is over and each listed record is processed or staged: the rest of the stage is due.
const FINAL_DUE = `
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
if redis.call('HGET', KEYS[1], 'listingDone') ~= '1' then return 0 end
if redis.call('HLEN', KEYS[2]) == 0 then return 0 end
local listed = tonumber(redis.call('HGET', KEYS[1], 'listed') or '0')
local done = tonumber(redis.call('HGET', KEYS[1], 'processed') or '0') + tonumber(redis.call('HGET', KEYS[1], 'staged') or '0')
if done < listed then return 0 end
return 1
`;

const fieldsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export interface BulkStage {
  /** Stages changes; the stage's size after, or `undefined` when the run is no longer running. */
  stage(crm: CrmName, objectType: string, run: string, changes: readonly RecordChange[]): Promise<number | undefined>;
  /** The changes of flush job `jobId`: taken now from the stage (when it holds at least `min`), or before. */
  claim(crm: CrmName, objectType: string, run: string, jobId: string, min: number): Promise<RecordChange[]>;
  /** Drops a flush job's changes once their write is counted. */
  release(crm: CrmName, objectType: string, run: string, jobId: string): Promise<void>;
  /** True when the listing is over and only staged changes are left to write. */
  finalDue(crm: CrmName, objectType: string, run: string): Promise<boolean>;
}

export function createBulkStage(redis: Redis, keys: PipelineKeys): BulkStage {
  return {
    async stage(crm, objectType, run, changes) {
      if (changes.length === 0) return 0;
      const args = changes.flatMap((c) => [c.id, JSON.stringify(c.fields)]);
      const n = Number(await redis.eval(STAGE, 2, keys.backfill(crm, objectType), keys.bulkStage(crm, objectType, run), run, ...args));
      return n < 0 ? undefined : n;
    },
    async claim(crm, objectType, run, jobId, min) {
      const flushKey = keys.bulkFlush(crm, objectType, run, jobId);
      const got = Number(await redis.eval(CLAIM, 3, keys.backfill(crm, objectType), keys.bulkStage(crm, objectType, run), flushKey, run, Math.max(1, min)));
      if (got !== 1) return [];
      const all = await redis.hgetall(flushKey);
      return Object.entries(all).map(([id, json]) => ({ id, fields: fieldsSchema.parse(JSON.parse(json)) }));
    },
    async release(crm, objectType, run, jobId) {
      await redis.del(keys.bulkFlush(crm, objectType, run, jobId));
    },
    async finalDue(crm, objectType, run) {
      return Number(await redis.eval(FINAL_DUE, 2, keys.backfill(crm, objectType), keys.bulkStage(crm, objectType, run), run)) === 1;
    },
  };
}

/** Queues a flush of a backfill's staged changes. Several may be queued: those that find nothing to take do nothing. */
export async function queueBulkFlush(queue: Queue, data: BulkFlushJobData): Promise<void> {
  await queue.add(BULK_FLUSH_JOB, data);
}
