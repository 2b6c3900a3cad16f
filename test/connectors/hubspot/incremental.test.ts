import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubSpotConnectorWith, type HubSpotConnector } from '../../../src/connectors/hubspot/connector.ts';
import { createDailyBudget } from '../../../src/connectors/hubspot/daily-budget.ts';
import { MemoryRateLimiter } from '../../../src/rate-limit/memory-limiter.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { silentLogger, testEnv } from './helpers.ts';

// More records than one search query may return (10,000), to prove the re-windowing.
const COUNT = 10_250;
let sandbox: HubSpotSandbox;
let connector: HubSpotConnector;

async function drain(since: string): Promise<{ ids: Map<string, number>; pages: number; watermark?: string }> {
  const ids = new Map<string, number>();
  let cursor: string | undefined;
  let pages = 0;
  let watermark: string | undefined;
  do {
    const page = await connector.listModifiedSince('companies', ['name'], since, cursor);
    for (const r of page.records) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
    watermark = page.watermark ?? watermark;
    cursor = page.next;
    pages += 1;
  } while (cursor !== undefined && pages < 500);
  return { ids, pages, ...(watermark ? { watermark } : {}) };
}

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: COUNT, limits: { searchPerSecond: 10_000, per10s: 100_000 } });
  const env = testEnv({ HUBSPOT_BASE_URL: sandbox.url });
  // Generous in-process budgets: this test is about paging, not pacing.
  connector = createHubSpotConnectorWith({
    env,
    logger: silentLogger,
    limiters: { burst: new MemoryRateLimiter({ limit: 10_000, windowMs: 1000 }), search: new MemoryRateLimiter({ limit: 10_000, windowMs: 1000 }) },
    daily: createDailyBudget(0.1, undefined, 'unused'),
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe('HubSpot incremental listing past the 10,000-result search cap', () => {
  it('returns every company modified since a time, with no request past the cap', async () => {
    const since = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const { ids, watermark } = await drain(since);
    expect(ids.size).toBe(COUNT);
    const newest = Math.max(...sandbox.store.list().map((c) => Date.parse(c.properties.hs_lastmodifieddate ?? '')));
    expect(Date.parse(watermark!)).toBe(newest);
  });

  it('walks more than 10,000 companies sharing one timestamp by id', async () => {
    const same = '2026-11-01T08:00:00.000Z';
    const all = sandbox.store.list();
    for (const c of all.slice(0, 10_100)) sandbox.store.setModifiedAt(c.id, same);
    for (const c of all.slice(10_100)) sandbox.store.setModifiedAt(c.id, '2026-11-02T08:00:00.000Z');
    const { ids } = await drain('2026-10-31T00:00:00.000Z');
    expect(ids.size).toBe(COUNT);
  });

  it('returns only records at or after `since`', async () => {
    const { ids } = await drain('2026-11-02T08:00:00.000Z');
    expect(ids.size).toBe(COUNT - 10_100);
  });
});
