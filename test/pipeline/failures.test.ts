/**
 * How the pipeline handles CRM failures, on real Redis with a fake CRM: 429 pauses and hands the
 * job back, auth errors fail the job for good (then replayed), per-record refusals land in the
 * failed set with the vendor's message, retryable ones are tried again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { CrmAuthError, CrmRateLimitError, CrmError } from '../../src/errors.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

describe('failures', () => {
  let env: Env;
  let crm: FakeConnector;
  let runtime: Runtime;

  beforeEach(async () => {
    env = testEnv({ JOB_ATTEMPTS: '2' });
    crm = createFakeConnector();
    for (let i = 1; i <= 10; i++) crm.records.set(String(i), { industry: 'Software', numberofemployees: '120', country: 'FR' });
    runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS, dispatchPollMs: 20 });
    await runtime.startWorkers();
  });

  afterEach(async () => {
    await runtime.close();
    await cleanRedis(env);
  });

  const rescore = (ids: string[]) => runtime.rescore('hubspot', 'companies', ids);
  const scored = (id: string) => crm.records.get(id)?.['icp_fit_score'] === 100;

  it('a 429 pauses the queue and hands the job back without spending an attempt', async () => {
    // Three 429s in a row with only two attempts allowed: the job still completes.
    for (let i = 0; i < 3; i++) crm.failNext.push(new CrmRateLimitError('slow down', { crm: 'hubspot', status: 429, retryAfterMs: 50 }));
    await rescore(['1']);
    await until(() => scored('1'), 10_000, 'the write after the pauses');
    expect(crm.calls.read).toBe(4);
    expect((await runtime.failed.list()).total).toBe(0);
  });

  it('transient errors are retried with backoff', async () => {
    crm.failNext.push(new CrmError('503 from vendor', { crm: 'hubspot', status: 503 }));
    await rescore(['2']);
    await until(() => scored('2'), 10_000, 'the retried write');
  });

  it('an auth error fails the job for good; it shows in the failed set and replays', async () => {
    crm.failNext.push(new CrmAuthError('token revoked', { crm: 'hubspot', status: 401 }));
    await rescore(['3', '4']);
    await until(async () => (await runtime.failed.list()).total === 1, 10_000, 'the failed job');
    const { entries } = await runtime.failed.list();
    expect(entries[0]).toMatchObject({ kind: 'job', crm: 'hubspot', recordIds: expect.arrayContaining(['3', '4']) });
    expect(entries[0]?.message).toContain('token revoked');
    expect(crm.calls.read).toBe(1);
    expect(await runtime.failed.retry([entries[0]?.id ?? ''])).toBe(1);
    await until(() => scored('3') && scored('4'), 10_000, 'the replayed job');
    expect((await runtime.failed.list()).total).toBe(0);
  });

  it('a record the CRM refuses goes to the failed set with its message; the others are written', async () => {
    crm.refuse.set('5', { id: '5', code: 'INVALID_OPTION', message: 'icp_tier: "B" is not a valid option', retryable: false });
    await rescore(['5', '6']);
    await until(async () => (await runtime.failed.list()).total === 1, 10_000, 'the refused record');
    expect(scored('6')).toBe(true);
    const [entry] = (await runtime.failed.list()).entries;
    expect(entry).toMatchObject({ id: 'record:hubspot:companies:5', kind: 'record', code: 'INVALID_OPTION', message: 'icp_tier: "B" is not a valid option', recordIds: ['5'] });
    crm.refuse.delete('5');
    expect(await runtime.failed.retry('all')).toBe(1);
    await until(() => scored('5'), 10_000, 'the replayed record');
    expect((await runtime.failed.list()).total).toBe(0);
  });

  it('a retryable per-record failure is tried again alone, then lands in the failed set when it keeps failing', async () => {
    crm.refuse.set('7', { id: '7', code: 'UNABLE_TO_LOCK_ROW', message: 'row locked', retryable: true });
    await rescore(['7', '8']);
    await until(async () => (await runtime.failed.list()).total === 1, 20_000, 'the record to use up its attempts');
    expect(crm.writes).toEqual([['7', '8'], ['7']]);
    expect((await runtime.failed.list()).entries[0]).toMatchObject({ code: 'UNABLE_TO_LOCK_ROW', attempts: 2 });
  }, 30_000);
});
