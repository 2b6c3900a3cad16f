/**
 * The rescore producer behind webhooks, `rescore` and the admin API. A request only lands in a
 * per-object sorted set of pending ids (one member per record: a burst of 20 edits on one company is
 * one entry), due after the debounce window; the dispatcher later coalesces due ids into batch jobs.
 * One script call per write: `enqueue` resolves once Redis has it, and fails fast when Redis is away.
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

/**
 * The whole write as one script, atomic like the MULTI it replaces. Per object type: ZADD LT of its
 * ids (a new id is added; a pending one only moves earlier, so a burst never postpones it), HSETNX of
 * their first-seen times (the first time recorded for a pending id is kept; done as one HMGET and one
 * HSET of the missing ones, since a call per id was most of Redis's time), and SADD to the index.
 *
 * KEYS[1] is the pending index; object k has KEYS[2k] (pending set) and KEYS[2k+1] (first-seen hash).
 * ARGV[1] = m objects, ARGV[2..m+1] their index members, then runs of 5 arguments: k, the due time,
 * the run's ids each followed by a newline, `''` (or, when an id holds a newline, the ids concatenated
 * and their byte lengths joined by `,`), and their first-seen times each followed by `,` (empty for
 * an id without one; the whole field empty when none has one).
 * Ids travel packed because building and writing thousands of small arguments was most of the
 * producer's CPU.
 */
const WRITE_SCRIPT = String.raw`
local m = tonumber(ARGV[1])
local i = m + 2
while i <= #ARGV do
  local k = tonumber(ARGV[i])
  local due = ARGV[i + 1]
  local packed = ARGV[i + 2]
  local lengths = ARGV[i + 3]
  local ats = ARGV[i + 4]
  local zkey = KEYS[2 * k]
  local hkey = KEYS[2 * k + 1]
  local ids = {}
  local n = 0
  if lengths == '' then
    for id in string.gmatch(packed, '([^\n]*)\n') do
      n = n + 1
      ids[n] = id
    end
  else
    local pos = 1
    for len in string.gmatch(lengths, '%d+') do
      local stop = pos + tonumber(len)
      n = n + 1
      ids[n] = string.sub(packed, pos, stop - 1)
      pos = stop
    end
  end
  local times = {}
  if ats ~= '' then
    local t = 0
    for at in string.gmatch(ats, '([^,]*),') do
      t = t + 1
      times[t] = at
    end
  end
  for from = 1, n, 500 do
    local to = math.min(from + 499, n)
    local zargs = { 'LT' }
    local z = 1
    for j = from, to do
      zargs[z + 1] = due
      zargs[z + 2] = ids[j]
      z = z + 2
    end
    redis.call('ZADD', zkey, unpack(zargs, 1, z))
    if ats ~= '' then
      -- HSETNX for many fields: the ones the hash lacks, each id's first time in this chunk.
      local known = redis.call('HMGET', hkey, unpack(ids, from, to))
      local hargs = {}
      local h = 0
      local seen = {}
      for j = from, to do
        local id = ids[j]
        local at = times[j]
        if at ~= '' and not known[j - from + 1] and not seen[id] then
          seen[id] = true
          hargs[h + 1] = id
          hargs[h + 2] = at
          h = h + 2
        end
      end
      if h > 0 then redis.call('HSET', hkey, unpack(hargs, 1, h)) end
    end
  end
  i = i + 5
end
redis.call('SADD', KEYS[1], unpack(ARGV, 2, m + 1))
return 0
`;

interface Waiting {
  requests: readonly RescoreRequest[];
  at: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The ids of one object type that share a due time, as they will travel. */
interface Run {
  object: number;
  due: number;
  ids: string[];
  ats: Array<number | string>;
  /** Whether any id has a first-seen time. */
  anyAt: boolean;
  /** Whether an id holds a newline (the ids then travel with their lengths). */
  newline: boolean;
}

type WriteCommand = (numKeys: number, ...args: Array<string | number>) => Promise<unknown>;

export function createRescoreProducer(options: ProducerOptions): RescoreProducer {
  const { redis, keys, debounceMs } = options;
  const now = options.now ?? Date.now;
  if (typeof (redis as unknown as { icpEnqueue?: unknown }).icpEnqueue !== 'function') {
    // EVALSHA, with EVAL when Redis does not know the script yet.
    redis.defineCommand('icpEnqueue', { lua: WRITE_SCRIPT });
  }
  const writeCommand = (redis as unknown as { icpEnqueue: WriteCommand }).icpEnqueue.bind(redis);

  // Calls that arrive while a write is on its way share the next one: deliveries that come together
  // cost one round trip, and each caller still resolves only once Redis holds its changes.
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
    const objects = new Map<string, number>();
    const objectKeys: string[] = [];
    const runs: Run[] = [];
    // Consecutive requests of one object and due time (the usual delivery) extend the same run.
    let run: Run | undefined;
    let runCrm = '';
    let runType = '';
    for (const { requests, at: t } of batch) {
      for (const r of requests) {
        const due = r.trigger === 'rescore' ? t : t + debounceMs;
        if (run === undefined || r.crm !== runCrm || r.objectType !== runType || due !== run.due) {
          const name = `${r.crm}:${r.objectType}`;
          let object = objects.get(name);
          if (object === undefined) {
            object = objects.size + 1;
            objects.set(name, object);
            objectKeys.push(keys.pending(r.crm, r.objectType), keys.pendingAt(r.crm, r.objectType));
          }
          run = { object, due, ids: [], ats: [], anyAt: false, newline: false };
          runs.push(run);
          runCrm = r.crm;
          runType = r.objectType;
        }
        run.ids.push(r.id);
        if (r.id.includes('\n')) run.newline = true;
        if (r.occurredAt === undefined) {
          run.ats.push('');
        } else {
          run.ats.push(r.occurredAt);
          run.anyAt = true;
        }
      }
    }
    if (runs.length === 0) return;
    const args: Array<string | number> = [keys.pendingIndex, ...objectKeys, objects.size, ...objects.keys()];
    for (const r of runs) {
      const [ids, lengths] = r.newline ? [r.ids.join(''), r.ids.map((id) => Buffer.byteLength(id, 'utf8')).join(',')] : [`${r.ids.join('\n')}\n`, ''];
      args.push(r.object, r.due, ids, lengths, r.anyAt ? `${r.ats.join(',')},` : '');
    }
    try {
      await writeCommand(1 + objectKeys.length, ...args);
    } catch (err) {
      throw new QueueUnavailableError(`Redis cannot take the changes: ${(err as Error).message}`, { cause: err });
    }
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
