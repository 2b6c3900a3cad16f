/**
 * One worker process for `shared-limit-measurement.ts`: reads companies through its own HubSpot
 * connector (its own Redis connection) as fast as the shared limiter lets it, for DURATION_MS.
 */
import { Redis } from 'ioredis';
import { parseEnv } from '../../src/config/env.ts';
import { createHubSpotConnector } from '../../src/connectors/hubspot/connector.ts';
import { createLogger } from '../../src/logging.ts';

const env = parseEnv(process.env);
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const connector = createHubSpotConnector({ env, redis, logger: createLogger({ level: 'silent' }) });
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
