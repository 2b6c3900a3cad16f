/** Builds a HubSpot connector against a sandbox (or nock) with a real Redis and a random key prefix. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseEnv, type Env } from '../../../src/config/env.ts';
import { createHubSpotConnector, createHubSpotConnectorWith, memoryLimiters, type HubSpotConnector } from '../../../src/connectors/hubspot/connector.ts';
import { createDailyBudget } from '../../../src/connectors/hubspot/daily-budget.ts';
import { createLogger } from '../../../src/logging.ts';
import { removeTestKeys } from '../../redis-keys.ts';

export const silentLogger = createLogger({ level: 'silent' });

export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    HUBSPOT_ACCESS_TOKEN: 'sandbox-token',
    HUBSPOT_BASE_URL: 'https://api.hubapi.com',
    REDIS_PREFIX: `test-hs-${randomBytes(5).toString('hex')}`,
    ...overrides,
  });
}

export interface RedisConnector {
  connector: HubSpotConnector;
  redis: Redis;
  env: Env;
  close(): Promise<void>;
}

/** A connector sharing its limits through a real Redis; `close()` deletes the test's keys. */
export function redisConnector(env: Env): RedisConnector {
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const connector = createHubSpotConnector({ env, redis, logger: silentLogger });
  return {
    connector,
    redis,
    env,
    close: async () => {
      await removeTestKeys(redis, env.REDIS_PREFIX);
      await connector.close();
      await redis.quit();
    },
  };
}

/** A connector with in-process limiters and millisecond backoffs, for nock tests. */
export function fastConnector(env: Env): HubSpotConnector {
  return createHubSpotConnectorWith({
    env,
    logger: silentLogger,
    limiters: memoryLimiters(env),
    daily: createDailyBudget(env.HUBSPOT_DAILY_RESERVE_PERCENT / 100, undefined, 'unused'),
    http: { baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 4, max429Attempts: 4 },
  });
}

export const SPEC = { tiers: ['A', 'B', 'C', 'D', 'X'], tags: ['saas', 'fintech', 'secteur-cible'] };
