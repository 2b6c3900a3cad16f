/**
 * Tracks HubSpot's daily budget from the `X-HubSpot-RateLimit-Daily` / `-Daily-Remaining` response
 * headers and shares the latest reading through Redis, so that every process's background work
 * (backfill) stops when the account's budget falls under the reserve and live rescoring keeps the rest.
 * OAuth apps do not receive these headers; then nothing is known and nothing is refused.
 */
import type { Redis } from 'ioredis';

export interface DailyReading {
  limit: number;
  remaining: number;
  /** ms epoch of the reading. */
  at: number;
}

export interface DailyBudget {
  record(headers: Headers): void;
  /** The latest reading across all processes, if any is recent enough to trust. */
  read(): Promise<DailyReading | undefined>;
  /** `true` when the remaining budget is under `reserve` (a fraction of the daily limit). */
  belowReserve(): Promise<{ below: boolean; reading?: DailyReading }>;
}

/** A reading older than this is ignored: the budget resets daily and other apps use it too. */
const MAX_AGE_MS = 10 * 60_000;
/** How often a process writes its reading to Redis. */
const SHARE_EVERY_MS = 1_000;

export function parseDailyHeaders(headers: Headers, now = Date.now()): DailyReading | undefined {
  const limit = Number(headers.get('x-hubspot-ratelimit-daily'));
  const remainingRaw = headers.get('x-hubspot-ratelimit-daily-remaining');
  const remaining = Number(remainingRaw);
  if (remainingRaw === null || !Number.isFinite(remaining) || !Number.isFinite(limit) || limit <= 0) return undefined;
  return { limit, remaining, at: now };
}

/**
 * @param reserve fraction of the daily limit kept for live work (0.1 = 10%).
 * @param redis shared store, or undefined for a single process.
 * @param key Redis key holding the shared reading.
 */
export function createDailyBudget(reserve: number, redis: Redis | undefined, key: string): DailyBudget {
  let local: DailyReading | undefined;
  let lastShared = 0;
  const fresh = (r: DailyReading | undefined) => (r && Date.now() - r.at < MAX_AGE_MS ? r : undefined);

  return {
    record(headers) {
      const reading = parseDailyHeaders(headers);
      if (!reading) return;
      local = reading;
      if (redis && reading.at - lastShared >= SHARE_EVERY_MS) {
        lastShared = reading.at;
        redis
          .set(key, JSON.stringify(reading), 'PX', MAX_AGE_MS)
          .catch(() => {
            // Sharing is best effort: each process still has its own reading.
          });
      }
    },
    async read() {
      let shared: DailyReading | undefined;
      if (redis) {
        try {
          const raw = await redis.get(key);
          const obj: unknown = raw ? JSON.parse(raw) : undefined;
          if (obj && typeof obj === 'object' && 'remaining' in obj && 'limit' in obj && 'at' in obj) {
            shared = { remaining: Number(obj.remaining), limit: Number(obj.limit), at: Number(obj.at) };
          }
        } catch {
          shared = undefined;
        }
      }
      const candidates = [fresh(local), fresh(shared)].filter((r): r is DailyReading => r !== undefined);
      return candidates.sort((a, b) => b.at - a.at)[0];
    },
    async belowReserve() {
      const reading = await this.read();
      if (!reading) return { below: false };
      return { below: reading.remaining < reading.limit * reserve, reading };
    },
  };
}
