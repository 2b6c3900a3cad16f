/**
 * Turns due pending ids into batch jobs, adaptively: while a CRM's workers keep up (fewer than two
 * batch jobs active or waiting in its queue), whatever is due leaves at once, so a lone edit is written within the poll
 * period; once jobs pile up (the CRM's rate limit or the workers are the bottleneck), due ids are held
 * until they fill a batch or the oldest has waited `holdMs`, so a burst of edits costs a few full
 * batches instead of one read and one write per id. The same holds, whatever the workers do, once half
 * of the CRM's daily API allocation is spent (as the connector last read it): Salesforce has no short
 * rate window to slow the workers down, only its 24-hour allocation, which batches of a few ids
 * spend several times faster than full ones. A Lua script atomically takes up to one batch of due ids
 * off the pending set and records them as a claim; the claim is deleted only once the batch job is
 * in its queue. A process that dies in between leaves the claim behind, and any dispatcher re-queues
 * it under the same job id (BullMQ ignores a duplicate id): nothing is lost, at worst done twice.
 * Every worker process runs one; they share the work through Redis.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { BatchJobData } from './batch-job.ts';
import type { PipelineKeys } from './keys.ts';

// ARGV: now, batch size, claim id, crm, object type, fewest ids worth a batch, hold-until time
// (a smaller batch leaves only once its oldest id was due at or before it).
const CLAIM_SCRIPT = `
local due = redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1])
if due == 0 then return false end
if due < tonumber(ARGV[6]) then
  local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, 1)
  if tonumber(oldest[2]) > tonumber(ARGV[7]) then return false end
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids == 0 then return false end
redis.call('ZREM', KEYS[1], unpack(ids))
local ats = redis.call('HMGET', KEYS[2], unpack(ids))
redis.call('HDEL', KEYS[2], unpack(ids))
local claim = cjson.encode({crm = ARGV[4], objectType = ARGV[5], ids = ids, at = ats, claimedAt = tonumber(ARGV[1])})
redis.call('HSET', KEYS[3], ARGV[3], claim)
return claim
`;

const claimSchema = z.object({
  crm: z.enum(['hubspot', 'salesforce']),
  objectType: z.string(),
  ids: z.array(z.string()),
  // cjson turns an absent hash value into `false`, and an empty Lua table into `{}`.
  at: z.union([z.array(z.union([z.string(), z.literal(false), z.null()])), z.object({})]),
  claimedAt: z.number(),
});
type Claim = z.infer<typeof claimSchema>;

/** Batch jobs active or waiting in a CRM's queue from which its workers count as behind. */
export const BEHIND_JOBS = 2;

/** Share of the CRM's daily API allocation used from which due ids are held to fill batches. */
export const HOLD_FROM_DAILY_USAGE = 0.5;

export interface DispatcherOptions {
  redis: Redis;
  keys: PipelineKeys;
  /** The batch queue of each CRM that has a connector. */
  queues: ReadonlyMap<CrmName, Queue>;
  /** Largest batch per CRM (the connector's read batch size: HubSpot 100, Salesforce 200). */
  batchSize: (crm: CrmName) => number;
  logger: Logger;
  /** How often to look for due ids, ms. Default 200. */
  pollMs?: number;
  /** A claim older than this is considered orphaned and re-queued, ms. Default 15000. */
  claimTimeoutMs?: number;
  /**
   * While batch jobs wait in a CRM's queue, how long due ids may be held to fill a batch, ms. Default
   * 1000. 0 turns adaptive batching off (every due id leaves at the next poll).
   */
  holdMs?: number;
  /**
   * The CRM's daily API allocation as last reported (`CrmConnector.dailyUsage`); from
   * `HOLD_FROM_DAILY_USAGE` of it used, due ids are held as when the workers are behind. Absent or
   * undefined: only the queue decides.
   */
  dailyUsage?: (crm: CrmName) => Promise<{ used: number; limit: number } | undefined>;
  now?: () => number;
}

export interface Dispatcher {
  /** One pass: queues every due batch; returns the number of jobs queued. */
  tick(): Promise<number>;
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

function jobData(claim: Claim): BatchJobData {
  const occurredAt: Record<string, number> = {};
  if (Array.isArray(claim.at)) {
    claim.at.forEach((at, i) => {
      const id = claim.ids[i];
      if (typeof at === 'string' && id !== undefined && Number.isFinite(Number(at))) occurredAt[id] = Number(at);
    });
  }
  return { crm: claim.crm, objectType: claim.objectType, ids: claim.ids, occurredAt };
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { redis, keys, queues, logger } = options;
  const pollMs = options.pollMs ?? 200;
  const claimTimeoutMs = options.claimTimeoutMs ?? 15_000;
  const holdMs = options.holdMs ?? 1000;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function queueClaim(claimId: string, claim: Claim): Promise<void> {
    const queue = queues.get(claim.crm);
    // Claims are only taken for CRMs this process serves (see `tick`); an orphan of another CRM
    // stays for a process that serves it.
    if (!queue) return;
    await queue.add('changes', jobData(claim), { jobId: claimId });
    await redis.hdel(keys.claims, claimId);
  }

  async function recoverOrphans(): Promise<number> {
    const all = await redis.hgetall(keys.claims);
    let n = 0;
    for (const [claimId, json] of Object.entries(all)) {
      const parsed = claimSchema.safeParse(JSON.parse(json));
      if (!parsed.success) {
        logger.error({ claimId }, 'unreadable pending claim left in Redis');
        continue;
      }
      if (parsed.data.claimedAt > now() - claimTimeoutMs) continue;
      await queueClaim(claimId, parsed.data);
      n += 1;
    }
    if (n > 0) logger.warn({ claims: n }, 're-queued batches claimed by a process that did not finish');
    return n;
  }

  async function tick(): Promise<number> {
    let queued = await recoverOrphans();
    const objects = await redis.smembers(keys.pendingIndex);
    // Whether each CRM's workers are behind: batch jobs waiting for a worker (read once per pass).
    const behind = new Map<CrmName, boolean>();
    const isBehind = async (crm: CrmName): Promise<boolean> => {
      let b = behind.get(crm);
      if (b === undefined) {
        const queue = queues.get(crm);
        // Two jobs at once never happen at a trickle of edits; under load the workers sit in the
        // CRM's rate limiter (active) or the queue grows (waiting).
        b = holdMs > 0 && queue !== undefined && (await queue.getActiveCount()) + (await queue.getWaitingCount()) + (await queue.getPrioritizedCount()) >= BEHIND_JOBS;
        if (!b && holdMs > 0 && options.dailyUsage) {
          const usage = await options.dailyUsage(crm);
          b = usage !== undefined && usage.limit > 0 && usage.used >= usage.limit * HOLD_FROM_DAILY_USAGE;
        }
        behind.set(crm, b);
      }
      return b;
    };
    for (const entry of objects) {
      const sep = entry.indexOf(':');
      const crm = entry.slice(0, sep);
      const objectType = entry.slice(sep + 1);
      // Ids of a CRM this process does not serve stay pending for a process that does.
      if ((crm !== 'hubspot' && crm !== 'salesforce') || !queues.has(crm)) continue;
      const size = options.batchSize(crm);
      const fewest = (await isBehind(crm)) ? size : 1;
      for (;;) {
        const claimId = `c-${randomUUID()}`;
        const t = now();
        const raw = (await redis.eval(
          CLAIM_SCRIPT,
          3,
          keys.pending(crm, objectType),
          keys.pendingAt(crm, objectType),
          keys.claims,
          String(t),
          String(size),
          claimId,
          crm,
          objectType,
          String(fewest),
          String(t - holdMs),
        )) as string | null;
        if (raw === null) break;
        await queueClaim(claimId, claimSchema.parse(JSON.parse(raw)));
        queued += 1;
      }
    }
    return queued;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'dispatcher pass failed; retrying'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, pollMs);
  }

  return {
    tick,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
