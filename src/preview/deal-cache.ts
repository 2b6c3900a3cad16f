/**
 * The CRM's closed deals for the what-if preview (issue 12: "when closed deals are available, the AUC
 * and top-tier win rate of the draft against the current model"). Like the record sample: read in the
 * background through the calibration reader (batched, under the shared rate limiter), kept in Redis
 * with its time so every console process sees the same deals, read again on demand. One read per CRM
 * at a time across processes.
 */
import type { Redis } from 'ioredis';
import { rowsToDeals } from '../domain/calibration/account-row.ts';
import type { ClosedDeal } from '../domain/calibration/deal.ts';
import { sinceDate } from '../calibration/since.ts';
import { CONSOLE_DEALS_SINCE, type ClosedDealReader } from '../calibration/deal-source.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { hashTagPrefix } from '../pipeline/keys.ts';

/** A read that stopped reporting (its process died) is taken over after this long, ms. */
const READ_LEASE_MS = 15 * 60_000;

export type DealCacheState = 'empty' | 'reading' | 'ready' | 'failed';

export interface DealCacheStatus {
  crm: CrmName;
  state: DealCacheState;
  /** Deals in the cache (while reading: read so far). */
  count: number;
  /** Won deals in the cache. */
  won: number;
  /** First close date read (`YYYY-MM-DD`) of the cached or current read. */
  since?: string;
  startedAt?: string;
  /** ISO time the cached deals were read. */
  readAt?: string;
  error?: string;
}

export interface CachedDeals {
  deals: ClosedDeal[];
  readAt: string;
  since: string;
}

export interface DealCache {
  status(crm: CrmName): Promise<DealCacheStatus>;
  /** Starts a read in the background unless one runs anywhere; resolves at once. The previous deals stay usable. */
  refresh(crm: CrmName): Promise<DealCacheStatus>;
  deals(crm: CrmName): Promise<CachedDeals | undefined>;
  /** Resolves when this process's read of that CRM (if any) ends; for tests. */
  settled(crm: CrmName): Promise<void>;
}

export interface DealCacheOptions {
  redis: Redis;
  /** `REDIS_PREFIX`. */
  prefix: string;
  read: ClosedDealReader;
  logger: Logger;
  now?: () => Date;
}

export function dealCacheKeys(prefix: string): { status(crm: string): string; data(crm: string): string } {
  const p = hashTagPrefix(prefix);
  return { status: (crm) => `${p}:preview:deals-status:${crm}`, data: (crm) => `${p}:preview:deals:${crm}` };
}

export function createDealCache(o: DealCacheOptions): DealCache {
  const keys = dealCacheKeys(o.prefix);
  const now = o.now ?? (() => new Date());
  const reads = new Map<CrmName, Promise<void>>();

  async function status(crm: CrmName): Promise<DealCacheStatus> {
    const h = await o.redis.hgetall(keys.status(crm));
    const state = (h['state'] as DealCacheState | undefined) ?? 'empty';
    const leaseOver = state === 'reading' && Number(h['heartbeat'] ?? 0) + READ_LEASE_MS < now().getTime();
    return {
      crm,
      state: leaseOver ? 'failed' : state,
      count: Number(h['count'] ?? 0),
      won: Number(h['won'] ?? 0),
      ...(h['since'] ? { since: h['since'] } : {}),
      ...(h['startedAt'] ? { startedAt: h['startedAt'] } : {}),
      ...(h['readAt'] ? { readAt: h['readAt'] } : {}),
      ...(leaseOver ? { error: 'the read stopped without finishing (its process ended)' } : h['error'] ? { error: h['error'] } : {}),
    };
  }

  async function read(crm: CrmName, since: string): Promise<void> {
    const sk = keys.status(crm);
    try {
      const result = await o.read(crm, since, (n) => void o.redis.hset(sk, { count: n, heartbeat: now().getTime() }).catch(() => undefined));
      const deals = rowsToDeals(result.rows);
      const readAt = now().toISOString();
      const won = deals.filter((d) => d.won).length;
      const doc: CachedDeals = { deals, readAt, since };
      await o.redis.multi().set(keys.data(crm), JSON.stringify(doc)).hset(sk, { state: 'ready', count: deals.length, won, readAt, since, error: '' }).exec();
      o.logger.info({ crm, deals: deals.length }, 'preview deals read');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const previous = await o.redis.get(keys.data(crm));
      const prev = previous === null ? undefined : (JSON.parse(previous) as CachedDeals);
      await o.redis.hset(sk, {
        state: 'failed',
        error: message,
        count: prev?.deals.length ?? 0,
        won: prev?.deals.filter((d) => d.won).length ?? 0,
        ...(prev === undefined ? {} : { since: prev.since }),
      });
      o.logger.warn({ crm, err: message }, 'preview deals could not be read');
    }
  }

  return {
    status,
    async refresh(crm) {
      const current = await status(crm);
      if (current.state === 'reading') return current;
      const lock = `${keys.status(crm)}:lock`;
      if ((await o.redis.set(lock, '1', 'PX', READ_LEASE_MS, 'NX')) === null) return status(crm);
      const since = sinceDate(CONSOLE_DEALS_SINCE, now()) as string;
      await o.redis.hset(keys.status(crm), { state: 'reading', count: 0, startedAt: now().toISOString(), heartbeat: now().getTime(), error: '' });
      const run = read(crm, since)
        .catch((err: unknown) => o.logger.warn({ crm, err: err instanceof Error ? err.message : String(err) }, 'preview deals state could not be saved'))
        .finally(async () => {
        reads.delete(crm);
        await o.redis.del(lock).catch(() => undefined);
      });
      reads.set(crm, run);
      return status(crm);
    },
    async deals(crm) {
      const raw = await o.redis.get(keys.data(crm));
      return raw === null ? undefined : (JSON.parse(raw) as CachedDeals);
    },
    async settled(crm) {
      await reads.get(crm);
    },
  };
}
