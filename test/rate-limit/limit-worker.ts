/**
 * One worker process for `shared-limit-measurement.ts`: reads companies through its own HubSpot
 * connector (its own Redis connection) as fast as the shared limiter lets it, for DURATION_MS.
 */
import { Redis } from 'ioredis';
import { parseEnv } from '../../src/config/env.ts';
import { createHubSpotConnector, createHubSpotConnectorWith } from '../../src/connectors/hubspot/connector.ts';
import { createDailyBudget } from '../../src/connectors/hubspot/daily-budget.ts';
import { BURST_WINDOW_MS, SEARCH_PER_SECOND, SEARCH_WINDOW_MARGIN_MS, SEARCH_WINDOW_MS } from '../../src/connectors/hubspot/limits.ts';
import { RedisRateLimiter } from '../../src/rate-limit/redis-limiter.ts';
import { createLogger } from '../../src/logging.ts';

const env = parseEnv(process.env);
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const logger = createLogger({ level: 'silent' });
// MARGIN_MS: the burst limiter's window is 10 s plus this margin instead of the one in limits.ts
// (to measure which margin keeps every process under the vendor's limit).
const margin = process.env.MARGIN_MS;
const connector =
  margin === undefined
    ? createHubSpotConnector({ env, redis, logger })
    : createHubSpotConnectorWith({
        env,
        logger,
        outputFieldNames: {},
        limiters: {
          burst: new RedisRateLimiter(redis, { prefix: env.REDIS_PREFIX, limit: env.HUBSPOT_RATE_LIMIT_PER_10S, windowMs: BURST_WINDOW_MS + Number(margin) }),
          search: new RedisRateLimiter(redis, { prefix: env.REDIS_PREFIX, limit: SEARCH_PER_SECOND, windowMs: SEARCH_WINDOW_MS + SEARCH_WINDOW_MARGIN_MS }),
        },
        daily: createDailyBudget(env.HUBSPOT_DAILY_RESERVE_PERCENT / 100, redis, `${env.REDIS_PREFIX}:hubspot:daily`),
      });
const ids = (process.env.IDS ?? '').split(',');
const until = Date.now() + Number(process.env.DURATION_MS ?? 25_000);
let calls = 0;
async function lane(): Promise<void> {
  while (Date.now() < until) {
    await connector.readByIds('companies', ids, ['name']);
    calls += 1;
  }
}
await Promise.all(Array.from({ length: Number(process.env.LANES ?? 6) }, lane));
process.stdout.write(`${JSON.stringify({ pid: process.pid, calls })}\n`);
await redis.quit();
