/**
 * Backfill runs: their state lives in one Redis hash per CRM object (cursor, counts, status), so a
 * run resumes from its last listed page after a restart, and any process can report its progress.
 */
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CrmName } from '../errors.ts';
import type { PipelineKeys } from './keys.ts';
import type { RescoreTrigger } from './requests.ts';

export type BackfillStatus = 'running' | 'done';

export interface BackfillState {
  crm: CrmName;
  objectType: string;
  /** Run id. */
  run: string;
  status: BackfillStatus;
  trigger: RescoreTrigger;
  /** Records listed so far, and how many of those were processed (written + unchanged + failed + missing). */
  listed: number;
  processed: number;
  written: number;
  unchanged: number;
  failed: number;
  missing: number;
  /** Changes gathered for a bulk write and not yet written (Salesforce backfills); absent when none. */
  staged?: number;
  /** Listing pages done. */
  pages: number;
  /** True once the last page was listed. */
  listingDone: boolean;
  /** Records in the whole listing, when the CRM tells. */
  total?: number;
  /** ISO 8601 */
  startedAt: string;
  finishedAt?: string;
}

export interface BatchCounts {
  written: number;
  unchanged: number;
  failed: number;
  missing: number;
  /** Gathered changes for a bulk write this job took off the run's `staged` count (bulk flushes only). */
  unstaged?: number;
}

const num = (v: string | undefined): number => (v === undefined ? 0 : Number(v) || 0);

export function parseBackfillState(h: Record<string, string>): BackfillState | undefined {
  if (!h['run'] || (h['crm'] !== 'hubspot' && h['crm'] !== 'salesforce')) return undefined;
  const state: BackfillState = {
    crm: h['crm'],
    objectType: h['objectType'] ?? '',
    run: h['run'],
    status: h['status'] === 'done' ? 'done' : 'running',
    trigger: h['trigger'] === 'model-change' ? 'model-change' : 'backfill',
    listed: num(h['listed']),
    processed: num(h['processed']),
    written: num(h['written']),
    unchanged: num(h['unchanged']),
    failed: num(h['failed']),
    missing: num(h['missing']),
    pages: num(h['pages']),
    listingDone: h['listingDone'] === '1',
    startedAt: h['startedAt'] ?? '',
  };
  if (h['total']) state.total = num(h['total']);
  if (num(h['staged']) > 0) state.staged = num(h['staged']);
  if (h['finishedAt']) state.finishedAt = h['finishedAt'];
  return state;
}

// Marks the run done once the listing is over and every listed record was processed. Atomic, so
// that the last batch and the end of the listing, in any order and any process, agree.
const FINISH_IF_COMPLETE = `
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
if redis.call('HGET', KEYS[1], 'listingDone') ~= '1' then return 0 end
local listed = tonumber(redis.call('HGET', KEYS[1], 'listed') or '0')
local processed = tonumber(redis.call('HGET', KEYS[1], 'processed') or '0')
if processed < listed then return 0 end
redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[2])
return 1
`;

const COUNT_BATCH_ONCE = `
if redis.call('HGET', KEYS[1], 'run') ~= ARGV[1] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'processed', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'written', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'unchanged', ARGV[5])
redis.call('HINCRBY', KEYS[1], 'failed', ARGV[6])
redis.call('HINCRBY', KEYS[1], 'missing', ARGV[7])
if tonumber(ARGV[8]) > 0 then redis.call('HINCRBY', KEYS[1], 'staged', -tonumber(ARGV[8])) end
return 1
`;

export interface BackfillsOptions {
  redis: Redis;
  keys: PipelineKeys;
  listings: Queue;
  objectTypes: (crm: CrmName) => readonly string[];
}

export interface Backfills {
  /** Starts a run per object type, or returns the run already going (resumed if its job died). */
  start(crm: CrmName, objectType: string | undefined, trigger?: RescoreTrigger): Promise<{ id: string; runs: BackfillState[] }>;
  status(crm?: CrmName): Promise<BackfillState[]>;
  state(crm: CrmName, objectType: string): Promise<BackfillState | undefined>;
  /** Counts one finished batch job of a run, once per job id (a job redone after a crash counts once). */
  batchDone(crm: CrmName, objectType: string, run: string, jobId: string, counts: BatchCounts): Promise<void>;
  /** Records a listed page (after its batch jobs are queued). */
  pageListed(crm: CrmName, objectType: string, run: string, count: number, next: string | undefined, total?: number): Promise<void>;
  cursor(crm: CrmName, objectType: string): Promise<string | undefined>;
}

export function listingJobId(crm: CrmName, objectType: string, run: string): string {
  return `backfill-${crm}-${objectType}-${run}`;
}

export function createBackfills(options: BackfillsOptions): Backfills {
  const { redis, keys, listings } = options;

  async function state(crm: CrmName, objectType: string): Promise<BackfillState | undefined> {
    return parseBackfillState(await redis.hgetall(keys.backfill(crm, objectType)));
  }

  async function finishIfComplete(crm: CrmName, objectType: string, run: string): Promise<void> {
    await redis.eval(FINISH_IF_COMPLETE, 1, keys.backfill(crm, objectType), run, new Date().toISOString());
  }

  async function ensureJob(crm: CrmName, objectType: string, run: string): Promise<void> {
    const jobId = listingJobId(crm, objectType, run);
    const existing = await listings.getJob(jobId);
    if (existing) {
      const st = await existing.getState();
      if (st !== 'failed' && st !== 'completed') return;
      await existing.remove();
    }
    await listings.add('backfill', { crm, objectType, run }, { jobId });
  }

  return {
    state,
    async start(crm, objectType, trigger = 'backfill') {
      const types = objectType ? [objectType] : options.objectTypes(crm);
      const fresh = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      const runs: BackfillState[] = [];
      let id = fresh;
      for (const t of types) {
        const current = await state(crm, t);
        if (current?.status === 'running') {
          await ensureJob(crm, t, current.run);
          id = current.run;
          runs.push(current);
          continue;
        }
        const startedAt = new Date().toISOString();
        await redis
          .multi()
          .del(keys.backfill(crm, t), keys.backfillJobs(crm, t))
          .hset(keys.backfill(crm, t), { crm, objectType: t, run: fresh, status: 'running', trigger, startedAt, listingDone: '0' })
          .exec();
        await ensureJob(crm, t, fresh);
        const s = await state(crm, t);
        if (s) runs.push(s);
      }
      return { id, runs };
    },
    async status(crm) {
      const crms: CrmName[] = crm ? [crm] : ['hubspot', 'salesforce'];
      const out: BackfillState[] = [];
      for (const c of crms) {
        for (const t of options.objectTypes(c)) {
          const s = await state(c, t);
          if (s) out.push(s);
        }
      }
      return out;
    },
    async batchDone(crm, objectType, run, jobId, counts) {
      const processed = counts.written + counts.unchanged + counts.failed + counts.missing;
      await redis.eval(
        COUNT_BATCH_ONCE,
        2,
        keys.backfill(crm, objectType),
        keys.backfillJobs(crm, objectType),
        run,
        jobId,
        processed,
        counts.written,
        counts.unchanged,
        counts.failed,
        counts.missing,
        counts.unstaged ?? 0,
      );
      await finishIfComplete(crm, objectType, run);
    },
    async pageListed(crm, objectType, run, count, next, total) {
      const key = keys.backfill(crm, objectType);
      if ((await redis.hget(key, 'run')) !== run) return;
      const multi = redis.multi().hincrby(key, 'listed', count).hincrby(key, 'pages', 1);
      if (next === undefined) multi.hset(key, 'listingDone', '1').hdel(key, 'cursor');
      else multi.hset(key, 'cursor', next);
      if (total !== undefined) multi.hset(key, 'total', String(total));
      await multi.exec();
      if (next === undefined) await finishIfComplete(crm, objectType, run);
    },
    async cursor(crm, objectType) {
      return (await redis.hget(keys.backfill(crm, objectType), 'cursor')) ?? undefined;
    },
  };
}
