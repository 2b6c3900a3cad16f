/**
 * A sample of real CRM records per object type, for what-if previews (issue 12). Read in the
 * background through the connector's listing (pages of 100–200 records under the shared rate
 * limiter, never one call per record), kept in Redis with its time so that every process of the
 * console sees the same sample, and read again on demand.
 */
import type { Redis } from 'ioredis';
import type { CrmConnector, CrmRecord } from '../connectors/port.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { hashTagPrefix } from '../pipeline/keys.ts';

/** Records per sample unless asked otherwise (issue 12). */
export const DEFAULT_SAMPLE_SIZE = 1000;
/** Largest sample: a preview scores it twice in memory. */
export const MAX_SAMPLE_SIZE = 20_000;
/** A read that stopped reporting (its process died) is taken over after this long, ms. */
const READ_LEASE_MS = 10 * 60_000;

export type SampleState = 'empty' | 'reading' | 'ready' | 'failed';

export interface SampleStatus {
  crm: CrmName;
  objectType: string;
  state: SampleState;
  /** Records in the cached sample (while reading: read so far). */
  count: number;
  /** Records asked for. */
  size: number;
  /** ISO time the current or last read started. */
  startedAt?: string;
  /** ISO time the cached sample was read (finished). */
  readAt?: string;
  /** Why the last read failed. */
  error?: string;
}

export interface SampleSource {
  connector: CrmConnector;
  /** CRM fields to read: the object type's mapped input fields. */
  fields: readonly string[];
}

export interface SampleCache {
  status(crm: CrmName, objectType: string): Promise<SampleStatus>;
  /**
   * Starts reading a new sample in the background (unless a read is under way anywhere) and
   * resolves at once with the status (`reading`). The previous sample stays usable meanwhile.
   * @param options.size records wanted (default `DEFAULT_SAMPLE_SIZE`, at most `MAX_SAMPLE_SIZE`).
   * @param options.fields CRM fields to read besides the mapped ones (a mapping edit's new fields).
   */
  refresh(crm: CrmName, objectType: string, options?: { size?: number; fields?: readonly string[] }): Promise<SampleStatus>;
  /** The cached records (raw CRM fields); undefined before a first read finished. */
  records(crm: CrmName, objectType: string): Promise<{ records: CrmRecord[]; readAt: string } | undefined>;
  /** Resolves when this process's read of that type (if any) ends; for tests and the CLI. */
  settled(crm: CrmName, objectType: string): Promise<void>;
}

export interface SampleCacheOptions {
  redis: Redis;
  /** `REDIS_PREFIX`. */
  prefix: string;
  /** The connector and fields of a synced object type; throws when it is not synced. */
  source(crm: CrmName, objectType: string): SampleSource;
  logger: Logger;
  now?: () => Date;
}

export function createSampleCache(o: SampleCacheOptions): SampleCache {
  const p = hashTagPrefix(o.prefix);
  const statusKey = (crm: CrmName, t: string): string => `${p}:preview:sample-status:${crm}:${t}`;
  const dataKey = (crm: CrmName, t: string): string => `${p}:preview:sample:${crm}:${t}`;
  const now = o.now ?? (() => new Date());
  const reads = new Map<string, Promise<void>>();

  async function status(crm: CrmName, objectType: string): Promise<SampleStatus> {
    const h = await o.redis.hgetall(statusKey(crm, objectType));
    const state = (h['state'] as SampleState | undefined) ?? 'empty';
    const leaseOver = state === 'reading' && Number(h['heartbeat'] ?? 0) + READ_LEASE_MS < now().getTime();
    return {
      crm,
      objectType,
      state: leaseOver ? 'failed' : state,
      count: Number(h['count'] ?? 0),
      size: Number(h['size'] ?? DEFAULT_SAMPLE_SIZE),
      ...(h['startedAt'] ? { startedAt: h['startedAt'] } : {}),
      ...(h['readAt'] ? { readAt: h['readAt'] } : {}),
      ...(leaseOver ? { error: 'the read stopped without finishing (its process ended)' } : h['error'] ? { error: h['error'] } : {}),
    };
  }

  async function read(crm: CrmName, objectType: string, size: number, source: SampleSource): Promise<void> {
    const sk = statusKey(crm, objectType);
    const records: CrmRecord[] = [];
    try {
      let cursor: string | undefined;
      do {
        const page = await source.connector.listAll(objectType, source.fields, cursor);
        for (const r of page.records) if (records.length < size) records.push({ id: r.id, fields: r.fields, ...(r.accountId === undefined ? {} : { accountId: r.accountId }) });
        cursor = page.next;
        await o.redis.hset(sk, { count: records.length, heartbeat: now().getTime() });
      } while (cursor !== undefined && records.length < size);
      const readAt = now().toISOString();
      await o.redis.multi().set(dataKey(crm, objectType), JSON.stringify({ readAt, records })).hset(sk, { state: 'ready', count: records.length, readAt, error: '' }).exec();
      o.logger.info({ crm, objectType, records: records.length }, 'preview sample read');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      o.logger.warn({ crm, objectType, err: message }, 'preview sample could not be read');
      try {
        const previous = await o.redis.get(dataKey(crm, objectType));
        const count = previous === null ? 0 : (JSON.parse(previous) as { records: unknown[] }).records.length;
        await o.redis.hset(sk, { state: 'failed', error: message, count });
      } catch (stateErr) {
        // Redis closed under the read (the process is stopping): the lease lets the next read take over.
        o.logger.debug({ crm, objectType, err: (stateErr as Error).message }, 'preview sample state not recorded');
      }
    }
  }

  return {
    status,
    async refresh(crm, objectType, options = {}) {
      const base = o.source(crm, objectType);
      const source = { ...base, fields: [...new Set([...base.fields, ...(options.fields ?? [])])] };
      const size = Math.max(1, Math.min(MAX_SAMPLE_SIZE, Math.floor(options.size ?? DEFAULT_SAMPLE_SIZE)));
      const current = await status(crm, objectType);
      if (current.state === 'reading') return current;
      const sk = statusKey(crm, objectType);
      // One reader across processes: the first to flip the state to `reading` reads.
      const lock = `${sk}:lock`;
      const won = await o.redis.set(lock, '1', 'PX', READ_LEASE_MS, 'NX');
      if (won === null) return status(crm, objectType);
      await o.redis.hset(sk, { state: 'reading', size, count: 0, startedAt: now().toISOString(), heartbeat: now().getTime(), error: '' });
      const key = `${crm}:${objectType}`;
      const run = read(crm, objectType, size, source).finally(async () => {
        reads.delete(key);
        await o.redis.del(lock).catch(() => undefined);
      });
      reads.set(key, run);
      return status(crm, objectType);
    },
    async records(crm, objectType) {
      const raw = await o.redis.get(dataKey(crm, objectType));
      if (raw === null) return undefined;
      return JSON.parse(raw) as { records: CrmRecord[]; readAt: string };
    },
    async settled(crm, objectType) {
      await reads.get(`${crm}:${objectType}`);
    },
  };
}
