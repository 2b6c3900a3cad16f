/**
 * Backfill throughput against the HubSpot sandbox with its rate limit scaled up to 100 requests/s
 * (1,000 per 10 s, the connector configured to match). The pipeline runs as the real product does:
 * `icp-sync work` in its own process, started on a new model version, so it sets up the properties
 * and backfills by itself. Then a second pass on unchanged data.
 *
 * Prints records/s, the share of the ceiling (rate limit × batch size of 100), the share of the
 * ceiling the calls actually needed allow (a pass that writes everything needs a list and a write
 * call per 100), and API calls per 100 records.
 *
 * The sandbox's list route filters and sorts every company on each page (about 35 ms at 50,000),
 * where HubSpot reads an index. `BENCH_INDEXED_LIST=1` keeps the sandbox's sorted order between
 * pages so the figures measure icp-sync rather than the stand-in; the output says which was used.
 *
 * `node bench/backfill.bench.ts [companies]` (default 50,000).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parseEnv } from '../src/config/env.ts';
import { createLogger } from '../src/logging.ts';
import { parseBackfillState, type BackfillState } from '../src/pipeline/backfill.ts';
import { pipelineKeys } from '../src/pipeline/keys.ts';
import { createRuntime } from '../src/pipeline/runtime.ts';
import { startHubSpotSandbox } from '../src/sandbox/hubspot/server.ts';
import { deleteKeys } from '../src/redis/delete-keys.ts';

const COMPANIES = Number(process.argv[2] ?? 50_000);
const PER_10S = 1000;
const BATCH = 100;
const CEILING = (PER_10S / 10) * BATCH;

const MODEL = `
version: "bench-${Date.now()}"
tiers: [{ name: A, min: 70 }, { name: B, min: 40 }, { name: C, min: 0 }]
criteria:
  - { id: industry, attribute: industry, weight: 50, tag: logiciel, match: { kind: category, values: { COMPUTER_SOFTWARE: 1, INTERNET: 0.5 } } }
  - { id: size, attribute: employees, weight: 30, match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }] } }
  - { id: country, attribute: country, weight: 20, tag: france, match: { kind: category, values: { FR: 1 } } }
`;

const sandbox = await startHubSpotSandbox({ seed: COMPANIES, limits: { per10s: PER_10S, searchPerSecond: 100, daily: 10_000_000, dailyRemaining: 10_000_000 } });
const INDEXED_LIST = process.env['BENCH_INDEXED_LIST'] === '1';
if (INDEXED_LIST) {
  // Companies are neither created nor archived during the run, so the sorted order stays valid.
  const store = sandbox.store;
  const sortedList = store.list.bind(store);
  let cached: ReturnType<typeof sortedList> | undefined;
  store.list = () => (cached ??= sortedList());
}
const dir = await mkdtemp(join(tmpdir(), 'icp-bench-'));
await writeFile(join(dir, 'icp.yaml'), MODEL);
const envVars: Record<string, string> = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `icpbench-${randomBytes(4).toString('hex')}`,
  ICP_MODEL_PATH: join(dir, 'icp.yaml'),
  HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
  HUBSPOT_BASE_URL: sandbox.url,
  HUBSPOT_RATE_LIMIT_PER_10S: String(PER_10S),
  INCREMENTAL_SYNC_INTERVAL_MS: '0',
  AUTO_BACKFILL_ON_MODEL_CHANGE: 'true',
  LOG_LEVEL: 'warn',
};
const env = parseEnv(envVars);
const keys = pipelineKeys(env.REDIS_PREFIX);
const redis = new Redis('redis://127.0.0.1:6379');

const cli = fileURLToPath(new URL('../bin/icp-sync.js', import.meta.url));
const worker = spawn(process.execPath, [cli, 'work'], { env: { ...process.env, ...envVars }, stdio: ['ignore', 'ignore', 'inherit'] });

let waitingSamples: number[] = [];

/** Waits for the run to end, sampling how many batch jobs wait (≈40: workers are the bottleneck; ≈0: the listing is). */
async function waitDone(run?: string): Promise<BackfillState> {
  waitingSamples = [];
  for (;;) {
    const s = parseBackfillState(await redis.hgetall(keys.backfill('hubspot', 'companies')));
    if (s && s.status === 'done' && (run === undefined || s.run === run)) return s;
    if (s?.status === 'running') waitingSamples.push(await redis.llen(`${keys.bullPrefix}:batches-hubspot:wait`));
    await new Promise((r) => setTimeout(r, 100));
  }
}

function companyCalls(): { total: number; byRoute: Record<string, number> } {
  const byRoute = Object.fromEntries(Object.entries(sandbox.store.stats().byRoute).filter(([k]) => k.startsWith('companies.')));
  return { total: Object.values(byRoute).reduce((a, b) => a + b, 0), byRoute };
}

function report(label: string, s: BackfillState): void {
  const seconds = (Date.parse(s.finishedAt ?? '') - Date.parse(s.startedAt)) / 1000;
  const rate = s.processed / seconds;
  const calls = companyCalls();
  const per100 = (calls.total / s.processed) * 100;
  const callBound = (PER_10S / 10) * (100 / per100);
  console.log(`${label}`);
  console.log(`  records            ${s.processed.toLocaleString('en-US')} (written ${s.written.toLocaleString('en-US')}, unchanged ${s.unchanged.toLocaleString('en-US')}, failed ${s.failed})`);
  console.log(`  time               ${seconds.toFixed(1)} s`);
  console.log(`  records/s          ${Math.round(rate).toLocaleString('en-US')}`);
  console.log(`  ceiling            ${CEILING.toLocaleString('en-US')} records/s (100 req/s × ${BATCH}) → ${((100 * rate) / CEILING).toFixed(1)}%`);
  console.log(`  call-bound ceiling ${Math.round(callBound).toLocaleString('en-US')} records/s at ${per100.toFixed(2)} calls/100 → ${((100 * rate) / callBound).toFixed(1)}%`);
  console.log(`  API calls / 100    ${per100.toFixed(2)}  ${JSON.stringify(calls.byRoute)}`);
  // A rolling 10 s window lets a short run burst: compare this with the limit, not only the ratios.
  console.log(`  API calls/s        ${(calls.total / seconds).toFixed(1)} (limit ${PER_10S / 10}/s over any 10 s)`);
  console.log(`  429s from sandbox  ${sandbox.store.stats().rateLimited}`);
  const avgWaiting = waitingSamples.reduce((a, b) => a + b, 0) / Math.max(1, waitingSamples.length);
  console.log(`  batch jobs waiting ${avgWaiting.toFixed(1)} on average (40 = workers are the bottleneck, 0 = the listing is)`);
}

try {
  console.log(`backfill of ${COMPANIES.toLocaleString('en-US')} companies, sandbox limit ${PER_10S}/10 s, sandbox listing ${INDEXED_LIST ? 'indexed (BENCH_INDEXED_LIST=1)' : 'as is (re-sorts every page)'}`);
  const first = await waitDone();
  report('full pass (new model: every record written)', first);

  sandbox.store.resetStats();
  const control = await createRuntime({ env, logger: createLogger({ level: 'warn' }) });
  const { id } = await control.startBackfill('hubspot', 'companies');
  const second = await waitDone(id);
  report('second pass (nothing changed)', second);
  await control.close();
} finally {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await sandbox.close();
  await deleteKeys(redis, `${keys.bullPrefix}*`);
  redis.disconnect();
}
