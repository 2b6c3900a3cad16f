/**
 * Per-provider monthly lookup budgets, shared by every worker through one Redis counter per
 * provider and calendar month (UTC). A reservation is atomic: concurrent workers can never spend
 * more than the budget together. A spent budget stops provider calls, never scoring.
 */
import type { Redis } from 'ioredis';

// Grants min(want, limit - used) and adds it to the counter; limit 0 = no cap (usage still counted).
const RESERVE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local grant = want
if limit > 0 then grant = math.max(0, math.min(want, limit - used)) end
if grant > 0 then
  redis.call('INCRBY', KEYS[1], grant)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
end
return grant
`;

/** Counters outlive their month a little so usage can still be read early the next month. */
const COUNTER_TTL_SECONDS = 40 * 86_400;

export interface BudgetOptions {
  redis: Redis;
  prefix: string;
  /** Provider name → lookups allowed per month (0 = no cap). Providers not listed have no cap. */
  monthly: Readonly<Record<string, number>>;
  now?: () => Date;
}

export class MonthlyBudget {
  readonly #opts: BudgetOptions;

  constructor(opts: BudgetOptions) {
    this.#opts = opts;
  }

  #key(provider: string): string {
    const month = (this.#opts.now?.() ?? new Date()).toISOString().slice(0, 7);
    return `${this.#opts.prefix}:enrich:budget:${provider}:${month}`;
  }

  /** Reserves up to `want` lookups this month; resolves with how many were granted (0..want). */
  async reserve(provider: string, want: number): Promise<number> {
    if (want <= 0) return 0;
    const limit = this.#opts.monthly[provider] ?? 0;
    const granted = await this.#opts.redis.eval(RESERVE, 1, this.#key(provider), limit, want, COUNTER_TTL_SECONDS);
    return Number(granted);
  }

  /** Lookups spent this month. */
  async used(provider: string): Promise<number> {
    return Number((await this.#opts.redis.get(this.#key(provider))) ?? 0);
  }
}
