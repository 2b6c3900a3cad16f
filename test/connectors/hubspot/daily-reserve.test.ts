import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CrmRateLimitError } from '../../../src/errors.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { redisConnector, testEnv, type RedisConnector } from './helpers.ts';

let sandbox: HubSpotSandbox;
let a: RedisConnector;
let b: RedisConnector;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 3, limits: { daily: 10_000, dailyRemaining: 900 } });
  const env = testEnv({ HUBSPOT_BASE_URL: sandbox.url });
  // Two "processes": separate Redis connections, same prefix.
  a = redisConnector(env);
  b = redisConnector(env);
});

afterAll(async () => {
  await b.redis.quit();
  await a.close();
  await sandbox.close();
});

describe('the daily reserve is shared by every process', () => {
  it("stops another process's background writes once one process has seen the budget under the reserve", async () => {
    const id = sandbox.store.list()[0]!.id;
    await a.connector.listAll('companies', ['name']);
    await vi.waitFor(async () => {
      const err = await b.connector.writeChanges('companies', [{ id, fields: { city: 'Albi' } }], { background: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmRateLimitError);
      expect((err as CrmRateLimitError).daily).toBe(true);
    });
    expect(sandbox.store.stats().byRoute['companies.batchUpdate']).toBeUndefined();
    // The same shared reading tells the dispatcher how much of the day's allocation is spent.
    const usage = await b.connector.dailyUsage?.();
    expect(usage?.limit).toBe(10_000);
    expect(usage?.used).toBeGreaterThanOrEqual(9_100);
    const live = await b.connector.writeChanges('companies', [{ id, fields: { city: 'Albi' } }]);
    expect(live.written).toEqual([id]);
  });

  it('stops with daily: true when HubSpot answers a DAILY 429', async () => {
    sandbox.store.setLimits({ dailyRemaining: 0 });
    const err = await a.connector.listAll('companies', ['name']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmRateLimitError);
    expect((err as CrmRateLimitError).daily).toBe(true);
  });
});
