/**
 * Mapping hot reload across runtimes sharing one Redis (as processes on several machines do): the
 * mappings file is registered at start, a save in one runtime reaches a worker runtime within
 * seconds through pub/sub, its pipelines read the new fields, and the mapping-change backfill runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from '../pipeline/fake-connector.ts';
import { cleanRedis, MODEL_YAML, silentLogger, testEnv, until } from '../pipeline/helpers.ts';

const FILE = `version: 1
hubspot:
  companies:
    attributes:
      employees: { field: numberofemployees, transform: number }
`;
/** Employees read from another property: 20 instead of 120, half the size points. */
const HEADCOUNT = FILE.replace('field: numberofemployees', 'field: headcount');

let dir: string;
let env: Env;
let crm: FakeConnector;
const runtimes: Runtime[] = [];

async function runtime(workers: boolean): Promise<Runtime> {
  const rt = await createRuntime({
    env,
    logger: silentLogger,
    connectors: new Map([['hubspot', crm]]),
    dispatchPollMs: 20,
    // Long: passing proves the pub/sub message did the work.
    modelPollMs: 60_000,
    mappingsPollMs: 60_000,
  });
  runtimes.push(rt);
  if (workers) await rt.startWorkers();
  return rt;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-map-hot-'));
  writeFileSync(join(dir, 'icp.yaml'), MODEL_YAML);
  writeFileSync(join(dir, 'mappings.yaml'), FILE);
  env = testEnv({ ICP_MODEL_PATH: join(dir, 'icp.yaml'), ICP_MAPPINGS_PATH: join(dir, 'mappings.yaml'), AUTO_BACKFILL_ON_MODEL_CHANGE: 'true' });
  crm = createFakeConnector();
  for (let i = 1; i <= 12; i++) crm.records.set(String(i), { industry: 'Software', numberofemployees: '120', headcount: '20', country: 'France' });
});

afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
  await cleanRedis(env);
  rmSync(dir, { recursive: true, force: true });
});

describe('mapping hot reload across runtimes', () => {
  it('a save in one runtime reaches a worker runtime within seconds, which reads the new field and backfills once', async () => {
    const worker = await runtime(true);
    const console = await runtime(false);
    expect(worker.activeMappings?.().entry).toMatchObject({ revision: 1, source: 'file', path: join(dir, 'mappings.yaml') });
    await until(async () => (await worker.backfillStatus('hubspot'))[0]?.status === 'done' && crm.records.get('3')?.['icp_fit_score'] === 100, 10_000, 'first backfill');
    const firstRun = (await worker.backfillStatus('hubspot'))[0]?.run;
    const setups = crm.setupSpecs.length;

    const saved = await console.mappings?.save({ yaml: HEADCOUNT, author: 'ana@example.com', note: 'headcount is kept up to date' });
    expect(saved).toMatchObject({ revision: 2, changes: ['~ hubspot.companies.employees: fields numberofemployees → headcount'] });
    expect(console.activeMappings?.().entry?.revision).toBe(2);
    const t0 = Date.now();
    await until(() => worker.activeMappings?.().entry?.revision === 2, 5000, 'the reload in the worker');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(worker.fields('hubspot', 'companies').input).toContain('headcount');

    await until(
      async () => {
        const [s] = await worker.backfillStatus('hubspot');
        return s !== undefined && s.run !== firstRun && s.trigger === 'model-change' && s.status === 'done' && crm.records.get('3')?.['icp_fit_score'] === 85;
      },
      10_000,
      'the mapping-change backfill',
    );
    // Industry 50 + size 15 (20 people: half the points) + country 20.
    expect(crm.records.get('12')?.['icp_fit_score']).toBe(85);
    expect(crm.setupSpecs.length).toBe(setups + 1);

    // A restart with the same file keeps the console's save; another worker starts on it.
    const restarted = await runtime(true);
    expect(restarted.activeMappings?.().entry?.revision).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.setupSpecs.length).toBe(setups + 1);
  });

  it('without the automatic backfill, a save is followed but nothing is rescored', async () => {
    env = { ...env, AUTO_BACKFILL_ON_MODEL_CHANGE: false };
    const worker = await runtime(true);
    const console = await runtime(false);
    await console.mappings?.save({ yaml: HEADCOUNT, author: 'ana' });
    await until(() => worker.activeMappings?.().entry?.revision === 2, 5000, 'the reload');
    await new Promise((r) => setTimeout(r, 300));
    expect(await worker.backfillStatus('hubspot')).toEqual([]);
    await console.rescore('hubspot', 'companies', ['5']);
    await until(() => crm.records.get('5')?.['icp_fit_score'] === 85, 10_000, 'a rescore with the new field');
  });
});
