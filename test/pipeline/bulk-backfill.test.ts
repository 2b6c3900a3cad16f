/**
 * Backfills on a connector with a bulk write API gather their changes in Redis and write them in
 * bulk calls over the threshold; what is left at the end goes in synchronous batches. Refused
 * records land in the failed set, retryable ones are written again, and the counts add up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { recordsTotal } from '../../src/observability/metrics.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

let env: Env | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (env) await cleanRedis(env);
  runtime = undefined;
  env = undefined;
});

async function writtenMetric(): Promise<number> {
  return (await recordsTotal.get()).values.find((v) => v.labels['crm'] === 'hubspot' && v.labels['outcome'] === 'written')?.value ?? 0;
}

async function open(crm: FakeConnector): Promise<Runtime> {
  env = testEnv();
  runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS, dispatchPollMs: 20 });
  return runtime;
}

function seeded(n: number, bulkWriteThreshold: number): FakeConnector {
  const crm = createFakeConnector({ bulkWriteThreshold });
  for (let i = 1; i <= n; i++) crm.records.set(String(i), { industry: i % 2 ? 'Software' : 'Retail', numberofemployees: '120', country: 'France' });
  return crm;
}

describe('backfill through a bulk write API', () => {
  it('writes every change, in bulk calls over the threshold and batches for the rest', async () => {
    const crm = seeded(520, 150);
    crm.records.set('3', { ...crm.records.get('3'), icp_fit_score: 999 });
    const rt = await open(crm);
    await rt.startWorkers();
    const writtenBefore = await writtenMetric();
    const { id } = await rt.startBackfill('hubspot');
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 15_000, 'the bulk backfill');
    const [state] = await rt.backfillStatus('hubspot');
    expect(state).toMatchObject({ run: id, listed: 520, processed: 520, written: 520, failed: 0 });
    expect(state?.staged).toBeUndefined();
    expect((await writtenMetric()) - writtenBefore).toBe(520);
    expect(crm.bulkWrites.every((n) => n > 150)).toBe(true);
    const bulkTotal = crm.bulkWrites.reduce((a, b) => a + b, 0);
    expect(bulkTotal).toBeGreaterThan(150);
    // Each record is written once: by a bulk call or by one of the batches of the rest.
    expect(crm.writes.flat().sort()).toEqual([...crm.records.keys()].sort());
    expect(crm.writes.filter((w) => w.length <= 100).flat().length).toBe(520 - bulkTotal);
    for (const [rid, r] of crm.records) expect(r['icp_fit_score'], rid).toBe(Number(rid) % 2 ? 100 : 50);

    // Nothing changed: a second run stages nothing and writes nothing.
    const writes = crm.calls.write;
    await rt.startBackfill('hubspot');
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 15_000, 'the second backfill');
    expect(crm.calls.write).toBe(writes);
    expect((await rt.backfillStatus('hubspot'))[0]).toMatchObject({ unchanged: 520, written: 0 });
  });

  it('puts refused records in the failed set and writes retryable ones again', async () => {
    const crm = seeded(400, 150);
    crm.refuse.set('7', { id: '7', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'refused by a validation rule', retryable: false });
    crm.refuse.set('8', { id: '8', code: 'UNABLE_TO_LOCK_ROW', message: 'row locked', retryable: true });
    const writeChanges = crm.writeChanges.bind(crm);
    crm.writeChanges = async (t, changes, o) => {
      const out = await writeChanges(t, changes, o);
      // The lock is gone after the first attempt.
      if (changes.some((c) => c.id === '8')) crm.refuse.delete('8');
      return out;
    };
    const rt = await open(crm);
    await rt.startWorkers();
    await rt.startBackfill('hubspot');
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 15_000, 'the bulk backfill');
    expect((await rt.backfillStatus('hubspot'))[0]).toMatchObject({ listed: 400, processed: 400, written: 399, failed: 1 });
    const failed = await rt.failed.list();
    expect(failed.entries.map((e) => e.id)).toEqual(['record:hubspot:companies:7']);
    expect(crm.records.get('8')?.['icp_fit_score']).toBe(50);
    expect(crm.records.get('7')?.['icp_fit_score']).toBeUndefined();
  });

  it('a bulk write whose job dies after the CRM took it is written again with the same changes, and counted once', async () => {
    const crm = seeded(320, 150);
    const writeChanges = crm.writeChanges.bind(crm);
    let crashed = false;
    crm.writeChanges = async (t, changes, o) => {
      const out = await writeChanges(t, changes, o);
      if (o?.mode === 'bulk' && changes.length > 150 && !crashed) {
        crashed = true;
        throw new Error('connection reset after the ingest job was sent');
      }
      return out;
    };
    const rt = await open(crm);
    await rt.startWorkers();
    await rt.startBackfill('hubspot');
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 15_000, 'the bulk backfill');
    expect(crashed).toBe(true);
    const [first, second] = crm.bulkWrites;
    expect(crm.bulkWrites).toHaveLength(2);
    expect(second).toBe(first);
    expect((await rt.backfillStatus('hubspot'))[0]).toMatchObject({ listed: 320, processed: 320, written: 320 });
    for (const [rid, r] of crm.records) expect(r['icp_fit_score'], rid).toBe(Number(rid) % 2 ? 100 : 50);
  });
});
