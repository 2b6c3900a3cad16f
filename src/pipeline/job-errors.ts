/**
 * Turns our typed errors into what BullMQ understands (STYLE.md §8): configuration, auth and
 * validation failures never succeed on retry (`UnrecoverableError`); a vendor 429 pauses the CRM's
 * queue for the time the vendor asked and hands the job back without spending an attempt; anything
 * else is retried with exponential backoff and jitter.
 */
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import { ConfigError, CrmAuthError, CrmRateLimitError, CrmValidationError } from '../errors.ts';
import { jobsTotal } from '../observability/metrics.ts';

/** Pause when a 429 carries no Retry-After: HubSpot's burst window is 10 s. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 10_000;

/** Backoff between attempts (BullMQ `backoff` option): 1 s, 2 s, 4 s… with ±50% jitter. */
export const JOB_BACKOFF = { type: 'exponential', delay: 1000, jitter: 0.5 } as const;

export async function withJobErrorPolicy<T>(queue: Queue, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CrmRateLimitError) {
      await queue.rateLimit(err.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS);
      jobsTotal.inc({ queue: queue.name, outcome: 'rate_limited' });
      throw Worker.RateLimitError();
    }
    if (err instanceof CrmAuthError || err instanceof CrmValidationError || err instanceof ConfigError) {
      throw new UnrecoverableError(`${err.name}: ${err.message}`);
    }
    throw err;
  }
}

/** Delay before per-record retryable failures are tried again, ms (round 0 → ~2 s, doubling, max 5 min). */
export function retryDelayMs(round: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 2000 * 2 ** round);
  return Math.round(base * (0.5 + random()));
}

/** Delay before records whose enrichment failed are scored again, ms (1 min, doubling, max 1 h). */
export function enrichRetryDelayMs(round: number): number {
  return Math.min(3_600_000, 60_000 * 2 ** round);
}
