/**
 * The same sliding window kept in process memory. Only for a single short-lived process (a CLI
 * `setup` run while Redis is unreachable): it does not coordinate with any other process.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { checkCost, type RateLimiter, type RateLimitRule } from './limiter.ts';

export class MemoryRateLimiter implements RateLimiter {
  readonly rule: RateLimitRule;
  private readonly windows = new Map<string, number[]>();
  private readonly pauses = new Map<string, number>();

  constructor(rule: RateLimitRule) {
    this.rule = { ...rule };
  }

  async acquire(key: string, cost = 1): Promise<number> {
    checkCost(this.rule, cost);
    for (;;) {
      const wait = this.takeNow(key, cost);
      if (wait === 0) return Date.now();
      await sleep(wait);
    }
  }

  async tryAcquire(key: string, cost = 1): Promise<number> {
    checkCost(this.rule, cost);
    return this.takeNow(key, cost);
  }

  async pauseFor(key: string, ms: number): Promise<void> {
    const until = Date.now() + Math.ceil(ms);
    if ((this.pauses.get(key) ?? 0) < until) this.pauses.set(key, until);
  }

  async pausedFor(key: string): Promise<number> {
    return Math.max(0, (this.pauses.get(key) ?? 0) - Date.now());
  }

  private takeNow(key: string, cost: number): number {
    const now = Date.now();
    const paused = (this.pauses.get(key) ?? 0) - now;
    if (paused > 0) return paused;
    const log = (this.windows.get(key) ?? []).filter((t) => t > now - this.rule.windowMs);
    this.windows.set(key, log);
    if (log.length + cost <= this.rule.limit) {
      for (let i = 0; i < cost; i += 1) log.push(now);
      return 0;
    }
    const oldest = log[log.length + cost - this.rule.limit - 1] ?? now;
    return Math.max(1, oldest + this.rule.windowMs - now);
  }
}
