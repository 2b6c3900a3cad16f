/**
 * The slice of the shared Redis rate limiter that enrichment providers need. Providers depend on
 * this interface only; `index.ts` adapts the shared limiter (`src/rate-limit/`) to it.
 */
export interface RateGate {
  /** Resolves when one more call may go out under the limit shared by every worker. */
  acquire(): Promise<void>;
  /** Makes every worker hold its calls for `ms` milliseconds (the provider answered 429). */
  pauseFor(ms: number): Promise<void>;
}
