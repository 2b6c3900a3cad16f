/** Shared fixtures for the Salesforce tests: env pointed at a sandbox, a silent logger, a prefixed Redis. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseEnv, type Env } from '../../../src/config/env.ts';
import { createLogger, type Logger } from '../../../src/logging.ts';
import { removeTestKeys } from '../../redis-keys.ts';

export const quietLogger = (): Logger => createLogger({ level: 'silent' });

export function sandboxEnv(url: string, extra: Record<string, string> = {}): Env {
  return parseEnv({
    SALESFORCE_LOGIN_URL: url,
    SALESFORCE_CLIENT_ID: 'sandbox-client-id',
    SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
    SALESFORCE_API_VERSION: '65.0',
    SALESFORCE_OBJECTS: 'Account,Lead',
    REDIS_PREFIX: `test-sf-${randomUUID().slice(0, 8)}`,
    ...extra,
  });
}

export interface TestRedis {
  redis: Redis;
  cleanup(prefix: string): Promise<void>;
}

export function testRedis(): TestRedis {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 2 });
  return {
    redis,
    async cleanup(prefix: string) {
      await removeTestKeys(redis, prefix);
      await redis.quit();
    },
  };
}

/** Fast retries and polling so failure paths take milliseconds. */
export const FAST = {
  retry: { attempts: 3, baseMs: 5, maxMs: 20 },
  collections: { lockRetryBaseMs: 5 },
  bulk: { poll: { initialMs: 20, factor: 1.5, maxMs: 100, timeoutMs: 20_000 } },
} as const;

/** A describe answer (`GET /sobjects/{type}/describe`) listing `fields`, the part the connector reads. */
export function describeBody(type: string, fields: readonly string[]): { name: string; fields: Array<{ name: string; type: string }> } {
  return { name: type, fields: ['Id', 'SystemModstamp', ...fields].map((name) => ({ name, type: name === 'Id' ? 'id' : 'string' })) };
}
