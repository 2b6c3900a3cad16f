/**
 * Triggers other than webhooks, on real Redis with a fake CRM: the scheduled incremental sync and
 * its watermark, the model-change backfill, and explain (a dry run that writes nothing).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { RecordNotFoundError } from '../../src/errors.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { pipelineKeys } from '../../src/pipeline/keys.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from './fake-connector.ts';
import { cleanRedis, MODEL_YAML, silentLogger, testEnv, testScorer, until } from './helpers.ts';

let env: Env | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (env) await cleanRedis(env);
  runtime = undefined;
  env = undefined;
});

async function open(crm: FakeConnector, overrides: Record<string, string>, yaml = MODEL_YAML): Promise<Runtime> {
  env = testEnv(overrides);
  runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(yaml), mappings: DEFAULT_MAPPINGS, dispatchPollMs: 20 });
  return runtime;
}

function seeded(n: number): FakeConnector {
  const crm = createFakeConnector();
  for (let i = 1; i <= n; i++) crm.records.set(String(i), { industry: 'Software', numberofemployees: '20', country: 'France' });
  return crm;
}

describe('scheduled incremental sync', () => {
  it('starts watching on its first pass, then rescores what changed since the watermark', async () => {
    const crm = seeded(30);
    const rt = await open(crm, { INCREMENTAL_SYNC_INTERVAL_MS: '200', INCREMENTAL_SYNC_OVERLAP_MS: '1000' });
    await rt.startWorkers();
    const keys = pipelineKeys(env?.REDIS_PREFIX ?? '');
    await until(async () => (await rt.status()).objects[0]?.watermark !== null, 10_000, 'the first watermark');
    expect(crm.calls.write).toBe(0);

    crm.edit('5', { numberofemployees: '200' });
    crm.edit('6', { industry: 'Retail' });
    await until(() => crm.records.get('5')?.['icp_fit_score'] === 100 && crm.records.get('6')?.['icp_tier'] !== undefined, 10_000, 'the changed records');
    expect(crm.records.get('7')?.['icp_fit_score']).toBeUndefined();
    expect(crm.calls.read).toBe(0);
    const watermark = await runtime?.status().then((s) => s.objects[0]?.watermark);
    expect(watermark).not.toBeNull();
    expect(keys.watermark('hubspot', 'companies')).toMatch(/^\{icptest-[0-9a-f]+\}:watermark:hubspot:companies$/);
  });
});

describe('model change', () => {
  it('a version never synced or changed sets up the CRM options and backfills; the same version does nothing', async () => {
    const crm = seeded(120);
    let rt = await open(crm, { AUTO_BACKFILL_ON_MODEL_CHANGE: 'true' });
    await rt.startWorkers();
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 10_000, 'the model-change backfill');
    expect(crm.setupSpecs).toEqual([{ tiers: ['A', 'B', 'C', 'X'], tags: ['saas', 'france'] }]);
    expect((await rt.backfillStatus('hubspot'))[0]).toMatchObject({ trigger: 'model-change', written: 120 });
    expect((await rt.status()).syncedModelVersion).toEqual({ hubspot: 't-1' });
    const prefix = env?.REDIS_PREFIX ?? '';
    await rt.close();

    // Same Redis, same version: nothing to do.
    env = testEnv({ REDIS_PREFIX: prefix, AUTO_BACKFILL_ON_MODEL_CHANGE: 'true' });
    rt = runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS });
    await rt.startWorkers();
    expect(crm.setupSpecs).toHaveLength(1);
    await rt.close();

    // A new version: setup again and a new backfill writes the new version everywhere.
    env = testEnv({ REDIS_PREFIX: prefix, AUTO_BACKFILL_ON_MODEL_CHANGE: 'true' });
    rt = runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(MODEL_YAML.replace('t-1', 't-2')), mappings: DEFAULT_MAPPINGS, dispatchPollMs: 20 });
    await rt.startWorkers();
    await until(async () => [...crm.records.values()].every((r) => r['icp_model_version'] === 't-2'), 10_000, 'the new version written');
    expect(crm.setupSpecs).toHaveLength(2);
  });

  it('with AUTO_BACKFILL_ON_MODEL_CHANGE=false it only reports the pending version', async () => {
    const crm = seeded(5);
    const rt = await open(crm, { AUTO_BACKFILL_ON_MODEL_CHANGE: 'false' });
    await rt.startWorkers();
    expect(crm.setupSpecs).toHaveLength(0);
    expect(await rt.backfillStatus('hubspot')).toEqual([]);
    expect((await rt.status()).syncedModelVersion).toEqual({ hubspot: null });
  });
});

describe('explain', () => {
  it('gives sources, points, values and the exact diff, and writes nothing', async () => {
    const crm = seeded(1);
    crm.records.set('1', { industry: 'IT Services', numberofemployees: '1 200', country: 'Royaume-Uni', icp_fit_score: '25', icp_tier: 'C' });
    const rt = await open(crm, {});
    const e = await rt.explain('hubspot', undefined, '1');
    expect(e.attributes).toEqual([
      { name: 'industry', value: 'IT Services', source: 'crm:industry' },
      { name: 'employees', value: 1200, source: 'crm:numberofemployees' },
      { name: 'country', value: 'GB', source: 'crm:country' },
    ]);
    expect(e.criteria[0]).toMatchObject({ id: 'industry', attribute: 'industry', weight: 50, points: 0.5, contribution: 25, status: 'partial' });
    expect(e.result).toMatchObject({ score: 25, tier: 'C', tags: [] });
    expect(e.diff.map((d) => d.field)).toEqual(['icp_fit_reasons', 'icp_completeness', 'icp_model_version', 'icp_scored_at']);
    expect(e.wouldWrite).toBe(true);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(crm.calls.write).toBe(0);
    await expect(rt.explain('hubspot', 'companies', 'nope')).rejects.toBeInstanceOf(RecordNotFoundError);
    await expect(rt.explain('hubspot', 'deals', '1')).rejects.toThrow(/not synced/);
  });
});

describe('backfill resume', () => {
  it('a listing that fails mid-way resumes from its saved cursor, not from the start', async () => {
    const crm = seeded(500);
    const cursors: (string | undefined)[] = [];
    const listAll = crm.listAll.bind(crm);
    let failed = false;
    crm.listAll = async (t, fields, cursor) => {
      cursors.push(cursor);
      if (cursor === '300' && !failed) {
        failed = true;
        throw new Error('connection reset');
      }
      return listAll(t, fields, cursor);
    };
    const rt = await open(crm, {});
    await rt.startWorkers();
    const { id } = await rt.startBackfill('hubspot');
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 15_000, 'the resumed backfill');
    expect(cursors.filter((c) => c === undefined)).toHaveLength(1);
    expect(cursors.filter((c) => c === '300')).toHaveLength(2);
    expect((await rt.backfillStatus('hubspot'))[0]).toMatchObject({ run: id, listed: 500, processed: 500, written: 500, pages: 5 });
    expect(crm.calls.write).toBe(5);
  });
});
