import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

describe('runtime on real Redis with a fake CRM', () => {
  let env: Env;
  let crm: FakeConnector;
  let runtime: Runtime;

  beforeEach(async () => {
    env = testEnv();
    crm = createFakeConnector();
    for (let i = 1; i <= 250; i++) crm.records.set(String(i), { industry: i % 2 ? 'Software' : 'Retail', numberofemployees: '120', country: 'France' });
    runtime = await createRuntime({
      env,
      logger: silentLogger,
      connectors: new Map([['hubspot', crm]]),
      scorer: testScorer(),
      mappings: DEFAULT_MAPPINGS,
      dispatchPollMs: 20,
    });
    await runtime.startWorkers();
  });

  afterEach(async () => {
    await runtime.close();
    await cleanRedis(env);
  });

  it('debounces a burst of edits on one record into one read and one write', async () => {
    const reqs = Array.from({ length: 20 }, () => ({ crm: 'hubspot' as const, objectType: 'companies', id: '7', trigger: 'webhook' as const, occurredAt: Date.now() }));
    await runtime.producer.enqueue(reqs);
    await until(() => crm.calls.write === 1, 10_000, 'the write');
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.calls.read).toBe(1);
    expect(crm.writes).toEqual([['7']]);
    expect(crm.records.get('7')?.['icp_fit_score']).toBe(100);
    expect(crm.records.get('7')?.['icp_tags']).toBe('saas;france');
  });

  it('backfills every record in batches, then a second pass writes nothing', async () => {
    const { id } = await runtime.startBackfill('hubspot');
    await until(async () => (await runtime.backfillStatus('hubspot'))[0]?.status === 'done', 20_000, 'backfill');
    const [state] = await runtime.backfillStatus('hubspot');
    expect(state).toMatchObject({ run: id, listed: 250, processed: 250, written: 250, unchanged: 0 });
    expect(crm.calls.list).toBe(3);
    expect(crm.calls.write).toBe(3);
    expect(crm.calls.read).toBe(0);
    expect(crm.records.get('2')?.['icp_tier']).toBe('B');

    const writesBefore = crm.calls.write;
    await runtime.startBackfill('hubspot');
    await until(async () => (await runtime.backfillStatus('hubspot'))[0]?.status === 'done', 20_000, 'second backfill');
    expect(crm.calls.write).toBe(writesBefore);
    expect((await runtime.backfillStatus('hubspot'))[0]).toMatchObject({ unchanged: 250, written: 0 });
  });
});
