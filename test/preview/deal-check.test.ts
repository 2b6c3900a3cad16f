/**
 * The console's closed-deal figures end to end against the HubSpot sandbox (real connector, real
 * Redis under an isolated prefix), checked against `icp-sync calibrate --crm hubspot --format json`
 * on the same deals: the what-if preview's AUC and top-tier win rate of the draft and of the model in
 * use, and the Calibration page's background run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadModel } from '../../src/config/model-loader.ts';
import { createLogger } from '../../src/logging.ts';
import { loadMappings } from '../../src/mappings/load.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';

const prefix = `test-dealcheck-${randomBytes(5).toString('hex')}`;
let sandbox: HubSpotSandbox;
let runtime: Runtime;
let dir: string;
const CURRENT = 'config/icp.example.yaml';
let draftPath: string;
let draftYaml: string;

interface FitJson {
  n: number;
  auc: number | null;
  tiers: Array<{ tier: string; n: number; won: number; winRate: number }>;
}

async function calibrateJson(args: string[]): Promise<{ current: { all: FitJson; holdout: FitJson }; unit: string }> {
  let out = '';
  let err = '';
  const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
  const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) });
  const code = await main(['calibrate', '--crm', 'hubspot', '--format', 'json', ...args], { stdout, stderr });
  if (code !== 0 && code !== 3) throw new Error(`calibrate exited ${code}: ${err}`);
  return JSON.parse(out) as { current: { all: FitJson; holdout: FitJson }; unit: string };
}

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 200, contactsPerCompany: 2, deals: true, randomSeed: 3 });
  for (const k of Object.keys(process.env)) if (k.startsWith('SALESFORCE_') || k.startsWith('HUBSPOT_') || k.startsWith('ICP_')) delete process.env[k];
  Object.assign(process.env, { HUBSPOT_ACCESS_TOKEN: sandbox.accessToken, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: `${prefix}-cli`, LOG_LEVEL: 'silent' });
  dir = await mkdtemp(join(tmpdir(), 'icp-dealcheck-'));
  // The draft: the example model with its first weight tripled and lower tier thresholds (its tier A holds deals).
  const text = await readFile(CURRENT, 'utf8');
  draftYaml = text
    .replace(/^version: .*$/m, 'version: "draft-1"')
    .replace(/weight: (\d+)/, (_m, w: string) => `weight: ${Number(w) * 3}`)
    .replace('{ name: A, min: 75', '{ name: A, min: 45')
    .replace('{ name: B, min: 55', '{ name: B, min: 30')
    .replace('{ name: C, min: 35', '{ name: C, min: 15');
  draftPath = join(dir, 'draft.yaml');
  await writeFile(draftPath, draftYaml, 'utf8');
  const env = parseEnv({ HUBSPOT_ACCESS_TOKEN: sandbox.accessToken, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
  runtime = await createRuntime({ env, logger: createLogger({ level: 'silent' }), scorer: (await loadModel(CURRENT)).scorer, mappings: await loadMappings() });
});

afterAll(async () => {
  await runtime.close();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  for (const p of [prefix, `${prefix}-cli`]) {
    await deleteKeys(redis, `{${p}}:*`);
    await deleteKeys(redis, `${p}:*`);
  }
  await redis.quit();
});

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

describe('closed deals in the console, against the calibrate command', () => {
  it('the preview gives the AUC and top-tier win rate calibrate gives for each model on the same deals', async () => {
    const deals = runtime.preview.deals;
    expect(deals).toBeDefined();
    await runtime.preview.samples.refresh('hubspot', 'companies', { size: 100 });
    await runtime.preview.samples.settled('hubspot', 'companies');
    // The first preview starts the background read of the deals and says so.
    const first = await runtime.preview.preview({ crm: 'hubspot', objectType: 'companies', draft: draftYaml });
    expect(first.dealCheck?.state).toMatch(/reading|ready/);
    await deals?.settled('hubspot');
    const status = await deals?.status('hubspot');
    expect(status).toMatchObject({ state: 'ready' });
    const p = await runtime.preview.preview({ crm: 'hubspot', objectType: 'companies', draft: draftYaml });
    expect(p.dealCheck).toMatchObject({ state: 'ready', enough: true, count: status?.count, won: status?.won });
    const d = p.whatIf.deals;
    expect(d).toBeDefined();

    const current = await calibrateJson(['--unit', 'deal', '--model', CURRENT]);
    const draft = await calibrateJson(['--unit', 'deal', '--model', draftPath]);
    expect(d?.count).toBe(current.current.all.n);
    expect(d?.current.auc).toBe(round4(current.current.all.auc));
    expect(d?.draft.auc).toBe(round4(draft.current.all.auc));
    expect(d?.draft.auc).not.toBe(d?.current.auc);
    const top = (fit: FitJson) => fit.tiers[0];
    const rate = (fit: FitJson) => (top(fit)?.n ? round4(top(fit)?.winRate ?? null) : null);
    expect(d?.current.topTier).toBe(top(current.current.all)?.tier);
    expect(d?.current.topTierDeals).toBe(top(current.current.all)?.n);
    expect(d?.current.topTierWinRate).toBe(rate(current.current.all));
    expect(d?.draft.topTierDeals).toBe(top(draft.current.all)?.n);
    expect(d?.draft.topTierDeals).toBeGreaterThan(0);
    expect(d?.draft.topTierWinRate).toBe(rate(draft.current.all));
  });

  it('a background calibration run measures the model in use as the command does', async () => {
    const runs = runtime.calibration;
    expect(runs).toBeDefined();
    const { started } = await runs!.start('hubspot', { by: 'Camille', lang: 'en' });
    expect(started).toBe(true);
    expect((await runs!.start('hubspot', { by: 'Dominique', lang: 'en' })).started).toBe(false);
    await runs!.settled('hubspot');
    const result = await runs!.result('hubspot');
    expect(await runs!.status('hubspot')).toMatchObject({ state: 'done', by: 'Camille' });
    const cli = await calibrateJson(['--model', CURRENT]);
    expect(result?.summary.unit).toBe(cli.unit);
    expect(result?.summary.current?.all.auc).toBe(cli.current.all.auc);
    expect(result?.summary.current?.holdout.auc).toBe(cli.current.holdout.auc);
    expect(result?.summary.current?.all.tiers.map((t) => [t.tier, t.n])).toEqual(cli.current.all.tiers.map((t) => [t.tier, t.n]));
    expect(result?.sheetHtml).toContain('<!DOCTYPE html>');
  });
});
