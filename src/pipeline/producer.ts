/**
 * The rescore producer behind webhooks, `rescore` and the admin API. A request only lands in a
 * per-object sorted set of pending ids (one member per record: a burst of 20 edits on one company is
 * one entry), due after the debounce window; the dispatcher later coalesces due ids into batch jobs.
 * Calls made together share one script call: `enqueue` resolves once Redis has its requests, and
 * fails fast when Redis is away.
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
 * their first-seen times (the first time recorded for a pending id is kept), and SADD to the index.
 * An id named several times (by deliveries written together, or within one call) is written once,
 * with its earliest due time and its first recorded first-seen time: the state applying each request
 * in turn would leave. The HSETNX part is one HMGET and one HSET of the missing fields, since a call
 * per id was most of Redis's time.
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
local objects = {}
for k = 1, m do objects[k] = { z = {}, zn = 0, slot = {}, timed = {}, names = {}, times = {}, tn = 0 } end
local i = m + 2
while i <= #ARGV do
  local o = objects[tonumber(ARGV[i])]
  local dueText = ARGV[i + 1]
  local due = tonumber(dueText)
  local nextTime = nil
  if ARGV[i + 4] ~= '' then nextTime = string.gmatch(ARGV[i + 4], '([^,]*),') end
  local z, slot, timed, names, times = o.z, o.slot, o.timed, o.names, o.times
  local zn, tn = o.zn, o.tn
  -- slot[id]: the id's place p (its due time is z[2p - 1]); timed[p]: its first-seen time is taken.
  local function add(id)
    local t = nextTime and nextTime() or ''
    local p = slot[id]
    if p == nil then
      z[zn + 1] = dueText
      z[zn + 2] = id
      zn = zn + 2
      p = zn / 2
      slot[id] = p
    elseif due < tonumber(z[2 * p - 1]) then
      z[2 * p - 1] = dueText
    end
    if t ~= '' and not timed[p] then
      timed[p] = true
      tn = tn + 1
      names[tn] = id
      times[tn] = t
    end
  end
  if ARGV[i + 3] == '' then
    for id in string.gmatch(ARGV[i + 2], '([^\n]*)\n') do add(id) end
  else
    local packed = ARGV[i + 2]
    local pos = 1
    for len in string.gmatch(ARGV[i + 3], '%d+') do
      local stop = pos + tonumber(len)
      add(string.sub(packed, pos, stop - 1))
      pos = stop
    end
  end
  o.zn, o.tn = zn, tn
  i = i + 5
end
for k = 1, m do
  local o = objects[k]
  for from = 1, o.zn, 1000 do
    redis.call('ZADD', KEYS[2 * k], 'LT', unpack(o.z, from, math.min(from + 999, o.zn)))
  end
  for from = 1, o.tn, 500 do
    local to = math.min(from + 499, o.tn)
    local known = redis.call('HMGET', KEYS[2 * k + 1], unpack(o.names, from, to))
    local hargs = {}
    local h = 0
    for x = from, to do
      if not known[x - from + 1] then
        hargs[h + 1] = o.names[x]
        hargs[h + 2] = o.times[x]
        h = h + 2
      end
    end
    if h > 0 then redis.call('HSET', KEYS[2 * k + 1], unpack(hargs, 1, h)) end
  end
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

/**
 * Writes awaiting Redis's reply before further calls wait for one to finish (and group). One: under
 * load, calls then gather into larger writes, which cost Redis less per request.
 */
const MAX_IN_FLIGHT = 1;

type WriteCommand = (numKeys: number, ...args: Array<string | number>) => Promise<unknown>;

export function createRescoreProducer(options: ProducerOptions): RescoreProducer {
  const { redis, keys, debounceMs } = options;
  const now = options.now ?? Date.now;
  if (typeof (redis as unknown as { icpEnqueue?: unknown }).icpEnqueue !== 'function') {
    // EVALSHA, with EVAL when Redis does not know the script yet.
    redis.defineCommand('icpEnqueue', { lua: WRITE_SCRIPT });
  }
  const writeCommand = (redis as unknown as { icpEnqueue: WriteCommand }).icpEnqueue.bind(redis);

  // Calls made in the same turn of the event loop (deliveries that arrive together) share one write,
  // sent once the turn is over; each caller still resolves only once Redis holds its changes. While
  // MAX_IN_FLIGHT writes await their reply, further calls wait and group into the next write; writes
  // go out in call order on the one connection, so Redis applies them in that order.
  let waiting: Waiting[] = [];
  let scheduled = false;
  let inFlight = 0;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  function flush(): void {
    scheduled = false;
    if (waiting.length === 0 || inFlight >= MAX_IN_FLIGHT) return;
    const batch = waiting;
    waiting = [];
    inFlight += 1;
    write(batch).then(
      () => {
        inFlight -= 1;
        for (const w of batch) w.resolve();
        if (waiting.length > 0) schedule();
      },
      (err: unknown) => {
        inFlight -= 1;
        for (const w of batch) w.reject(err);
        if (waiting.length > 0) schedule();
      },
    );
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
        schedule();
      });
    },
  };
}
