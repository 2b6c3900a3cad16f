/**
 * Hot reload across runtimes sharing one Redis (as processes on several machines do): a publish in
 * one reaches the others' workers within seconds, its model-change work runs once, a rollback too,
 * and a batch under way finishes with the model it started with.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from '../pipeline/fake-connector.ts';
import { cleanRedis, MODEL_YAML, silentLogger, testEnv, until } from '../pipeline/helpers.ts';

/** The test model with another version and Pays weighing 80 instead of 20 (a French software company still scores 100; a German one moves). */
const V2 = MODEL_YAML.replace('version: "t-1"', 'version: "t-2"').replace('weight: 20', 'weight: 80');

let dir: string;
let env: Env;
let crm: FakeConnector;
const runtimes: Runtime[] = [];

async function runtime(o: { workers: boolean; modelPollMs?: number; connector?: FakeConnector }): Promise<Runtime> {
  const rt = await createRuntime({
    env,
    logger: silentLogger,
    connectors: new Map([['hubspot', o.connector ?? crm]]),
    mappings: DEFAULT_MAPPINGS,
    dispatchPollMs: 20,
    // Long by default: a test passing with it proves the pub/sub message did the work.
    modelPollMs: o.modelPollMs ?? 60_000,
  });
  runtimes.push(rt);
  if (o.workers) await rt.startWorkers();
  return rt;
}

async function rescoreAndRead(rt: Runtime, id: string, version: string): Promise<Record<string, unknown>> {
  await rt.rescore('hubspot', 'companies', [id]);
  await until(() => crm.records.get(id)?.['icp_model_version'] === version, 10_000, `${id} scored with ${version}`);
  return crm.records.get(id) ?? {};
}

/** The same Redis prefix, without the model-change backfill (its writes would race the test's own). */
function withoutAutoBackfill(): void {
  env = { ...env, AUTO_BACKFILL_ON_MODEL_CHANGE: false };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-hot-'));
  writeFileSync(join(dir, 'icp.yaml'), MODEL_YAML);
  env = testEnv({ ICP_MODEL_PATH: join(dir, 'icp.yaml'), AUTO_BACKFILL_ON_MODEL_CHANGE: 'true' });
  crm = createFakeConnector();
  for (let i = 1; i <= 30; i++) crm.records.set(String(i), { industry: 'Software', numberofemployees: '120', country: i % 2 ? 'France' : 'Germany' });
});

afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
  await cleanRedis(env);
  rmSync(dir, { recursive: true, force: true });
});

describe('model hot reload across runtimes', () => {
  it('registers the file at start; a publish in one runtime reaches the other within seconds, with one model-change run', async () => {
    const worker = await runtime({ workers: true });
    const otherWorker = await runtime({ workers: true });
    const console = await runtime({ workers: false });
    expect(worker.activeModel()).toMatchObject({ version: 't-1', revision: 1, entry: { source: 'file' } });
    await until(async () => (await worker.backfillStatus('hubspot'))[0]?.status === 'done', 10_000, 'first backfill');
    expect(crm.records.get('2')?.['icp_fit_score']).toBe(80);
    expect(crm.setupSpecs).toHaveLength(1);

    const published = await console.models.publish({ yaml: V2, author: 'ana@example.com', note: 'country matters more' });
    expect(published.revision).toBe(2);
    expect(console.activeModel().version).toBe('t-2');
    const t0 = Date.now();
    await until(() => worker.activeModel().version === 't-2' && otherWorker.activeModel().version === 't-2', 5000, 'the reload in both workers');
    expect(Date.now() - t0).toBeLessThan(5000);

    await until(async () => {
      const [s] = await worker.backfillStatus('hubspot');
      return s?.trigger === 'model-change' && s.status === 'done' && crm.records.get('2')?.['icp_model_version'] === 't-2';
    }, 10_000, 'the model-change backfill');
    // 50 + 30 points of 160 for a German software company of 120 people.
    expect(crm.records.get('2')?.['icp_fit_score']).toBe(50);
    expect(crm.records.get('1')?.['icp_fit_score']).toBe(100);
    // The CRM options were set up once for the publish, though two worker runtimes saw it.
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.setupSpecs).toHaveLength(2);
    expect((await console.status()).syncedModelVersion).toEqual({ hubspot: 't-2' });
  });

  it('rolls back: every runtime scores with the earlier model again', async () => {
    withoutAutoBackfill();
    const worker = await runtime({ workers: true });
    const console = await runtime({ workers: false });
    await console.models.publish({ yaml: V2, author: 'ana' });
    await until(() => worker.activeModel().version === 't-2', 5000, 'the publish');
    expect(await rescoreAndRead(console, '4', 't-2')).toMatchObject({ icp_fit_score: 50 });

    const back = await console.models.rollback(1, { author: 'bo', note: 'too strict on country' });
    expect(back).toMatchObject({ revision: 3, version: 't-1', source: 'rollback', rollbackOf: 1 });
    await until(() => worker.activeModel().revision === 3, 5000, 'the rollback');
    expect(await rescoreAndRead(console, '6', 't-1')).toMatchObject({ icp_fit_score: 80 });
    expect((await console.models.history()).map((h) => [h.revision, h.version, h.source])).toEqual([
      [3, 't-1', 'rollback'],
      [2, 't-2', 'console'],
      [1, 't-1', 'file'],
    ]);
  });

  it('a batch under way finishes with the model it started with; the next batch uses the new one', async () => {
    withoutAutoBackfill();
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const inRead = new Promise<void>((r) => (entered = r));
    let held = false;
    const slow: FakeConnector = {
      ...crm,
      async readByIds(t, ids, fields) {
        if (!held) {
          held = true;
          entered();
          await gate;
        }
        return crm.readByIds(t, ids, fields);
      },
    };
    const worker = await runtime({ workers: true, connector: slow });
    const console = await runtime({ workers: false, connector: slow });
    const writes = crm.calls.write;
    await console.rescore('hubspot', 'companies', ['8']);
    await inRead;
    await console.models.publish({ yaml: V2, author: 'ana' });
    await until(() => worker.activeModel().version === 't-2', 5000, 'the reload during the batch');
    release();
    await until(() => crm.calls.write > writes, 10_000, 'the batch write');
    expect(crm.records.get('8')).toMatchObject({ icp_model_version: 't-1', icp_fit_score: 80 });
    expect(await rescoreAndRead(console, '8', 't-2')).toMatchObject({ icp_fit_score: 50 });
  });

  it('a file whose version is already in the history does not replace a newer publish', async () => {
    const first = await runtime({ workers: false });
    await first.models.publish({ yaml: V2, author: 'ana' });
    const restarted = await runtime({ workers: false });
    expect(restarted.activeModel()).toMatchObject({ version: 't-2', revision: 2 });
    writeFileSync(join(dir, 'icp.yaml'), MODEL_YAML.replace('version: "t-1"', 'version: "t-3"'));
    const deployed = await runtime({ workers: false });
    expect(deployed.activeModel()).toMatchObject({ version: 't-3', revision: 3, entry: { source: 'file' } });
    await until(() => first.activeModel().version === 't-3', 5000, 'the deployed file reaching the first runtime');
  });
});
