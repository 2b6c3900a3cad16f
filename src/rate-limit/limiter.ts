/**
 * The rate-limiter contract shared by the Redis implementation (every worker process) and the
 * in-process fallback (a single CLI run when Redis is unreachable).
 */

/** A budget: at most `limit` units in any window of `windowMs` milliseconds. */
export interface RateLimitRule {
  /** Units allowed per window (requests, usually). Must be ≥ 1. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

export interface RateLimiter {
  readonly rule: RateLimitRule;
  /**
   * Waits until `cost` units fit in the window for `key`, then takes them. Resolves with the time
   * (ms epoch, from the limiter's clock) at which they were taken.
   * @param cost units to take at once, 1 by default; more than `rule.limit` is a `RangeError`.
   */
  acquire(key: string, cost?: number): Promise<number>;
  /**
   * Takes `cost` units if they fit now. Returns 0 when taken, else how many milliseconds to wait
   * (the remaining pause, or until enough old units leave the window).
   */
  tryAcquire(key: string, cost?: number): Promise<number>;
  /** Stops every holder of `key` from acquiring for `ms` (a vendor 429). Never shortens a longer pause. */
  pauseFor(key: string, ms: number): Promise<void>;
  /** Milliseconds left on the pause of `key` (0 when not paused). */
  pausedFor(key: string): Promise<number>;
}

/** Small random delay added to waits, so that waiting processes do not all retry at once. */
export function jitter(maxMs = 15): number {
  return Math.floor(Math.random() * maxMs);
}

export function checkCost(rule: RateLimitRule, cost: number): void {
  if (!Number.isInteger(cost) || cost < 1 || cost > rule.limit) {
    throw new RangeError(`cost must be an integer between 1 and ${rule.limit}, got ${cost}`);
  }
}
