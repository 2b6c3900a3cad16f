/**
 * Buying roles against the HubSpot sandbox, with `icp-sync start` in its own process:
 *  1. a backfill of companies then contacts (the model has roles): API calls per 100 contacts, by
 *     route, and the request rate as a share of the rate-limit ceiling;
 *  2. job-title edits → signed contact webhook → the person's new role and priority in the CRM:
 *     latency from the edit to the write (the debounce window is part of the figure).
 *
 * `node bench/people.bench.ts [contacts] [edits] [edits-per-second]` (default 50,000 contacts, 200
 * edits at 10/s).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parseBackfillState } from '../src/pipeline/backfill.ts';
import { pipelineKeys } from '../src/pipeline/keys.ts';
import { deletePrefixKeys } from '../src/redis/delete-keys.ts';
import { BENCH_WEBHOOK_SECRET, percentile, startBenchService } from './hubspot-service.ts';
import { startHubSpotSandbox, type ChangeEvent } from '../src/sandbox/hubspot/server.ts';

const CONTACTS = Number(process.argv[2] ?? 50_000);
const EDITS = Number(process.argv[3] ?? 200);
const EDIT_RATE = Number(process.argv[4] ?? 10);
const PER_COMPANY = 3;
const PER_10S = 190;
const DEBOUNCE_MS = 1000;

const sandbox = await startHubSpotSandbox({
  seed: Math.ceil(CONTACTS / PER_COMPANY),
  contactsPerCompany: PER_COMPANY,
  limits: { per10s: PER_10S, searchPerSecond: 10, daily: 5_000_000, dailyRemaining: 5_000_000 },
});
sandbox.store.recordTimes = true;
const contactCount = sandbox.store.listOf('contacts').length;
const companyCount = sandbox.store.list().length;
const dir = await mkdtemp(join(tmpdir(), 'icp-bench-'));
// The example model (its roles included), under a version of its own so that `start` backfills.
const example = await readFile(fileURLToPath(new URL('../config/icp.example.yaml', import.meta.url)), 'utf8');
await writeFile(join(dir, 'icp.yaml'), example.replace(/^version: .*$/m, `version: "people-${Date.now()}"`));
const service = await startBenchService({ sandbox, modelPath: join(dir, 'icp.yaml'), prefix: 'icppeople', per10s: PER_10S, debounceMs: DEBOUNCE_MS });
const port = service.port;
const redis = new Redis('redis://127.0.0.1:6379');
const keys = pipelineKeys(service.prefix);

async function backfillDone(objectType: string): Promise<boolean> {
  return parseBackfillState(await redis.hgetall(keys.backfill('hubspot', objectType)))?.status === 'done';
}

/** Nothing pending in the debounce sets and no batch job waiting or running, twice in a row. */
async function settle(): Promise<void> {
  let quiet = 0;
  while (quiet < 3) {
    const pending = (await redis.zcard(keys.pending('hubspot', 'companies'))) + (await redis.zcard(keys.pending('hubspot', 'contacts')));
    const queued = (await redis.llen(`${keys.bullPrefix}:batches-hubspot:wait`)) + (await redis.llen(`${keys.bullPrefix}:batches-hubspot:active`));
    quiet = pending + queued === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 300));
  }
}


try {
  const started = Date.now();
  while (!((await backfillDone('companies')) && (await backfillDone('contacts')))) await new Promise((r) => setTimeout(r, 250));
  await settle();
  const seconds = (Date.now() - started) / 1000;
  const stats = sandbox.store.stats();
  // Setup (properties, groups, token check) is a one-off; per-record figures count record calls only.
  const recordRoutes = (p: string) => ['list', 'batchRead', 'batchUpdate', 'search'].reduce((n, r) => n + (stats.byRoute[`${p}.${r}`] ?? 0), 0);
  const contactCalls = recordRoutes('contacts') + recordRoutes('associations');
  const companyCalls = recordRoutes('companies');
  // Peak use of the 10-second window, from the request timestamps.
  const times = sandbox.store.requestTimes;
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 10_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  console.log(`backfill of ${companyCount} companies then ${contactCount} contacts (example model with roles), ${PER_10S} requests per 10 s allowed`);
  console.log(`  by route: ${JSON.stringify(stats.byRoute)}`);
  console.log(`  contact and association calls: ${contactCalls} = ${((100 * contactCalls) / contactCount).toFixed(2)} per 100 contacts (target ≤ 3)`);
  console.log(`  company calls: ${companyCalls} = ${((100 * companyCalls) / companyCount).toFixed(2)} per 100 companies (fit pass, then committee pass)`);
  console.log(`  ${stats.total} calls in ${seconds.toFixed(1)} s (from the start of the service): ${((10 * stats.total) / seconds).toFixed(1)} per 10 s on average = ${((1000 * stats.total) / seconds / PER_10S).toFixed(1)} % of the ceiling (meaningful over runs of many 10 s windows); busiest 10 s window ${peak} calls = ${((100 * peak) / PER_10S).toFixed(0)} %; 429s ${stats.rateLimited}`);

  // 2. Title edits by a "sales rep", each flipping the person's role, delivered as signed webhooks.
  // The backfill's calls leave the 10-second window first: this measures the live path, not the
  // rate limiter holding calls back behind a backfill that just used the window.
  await new Promise((r) => setTimeout(r, 10_500));
  sandbox.setWebhookTarget(`http://127.0.0.1:${port}/webhooks/hubspot`, {
    clientSecret: BENCH_WEBHOOK_SECRET,
    appId: sandbox.appId,
    portalId: sandbox.portalId,
    properties: ['numberofemployees'],
    contactProperties: ['jobtitle', 'hs_buying_role'],
  });
  sandbox.store.resetStats();
  const editedAt = new Map<string, number>();
  const latencies: number[] = [];
  sandbox.store.events.on('change', (ev: ChangeEvent) => {
    if (ev.objectType !== 'contacts' || ev.changeSource !== 'INTEGRATION' || ev.propertyName !== 'icp_buying_role') return;
    const at = editedAt.get(ev.objectId);
    if (at === undefined) return;
    latencies.push(Date.now() - at);
    editedAt.delete(ev.objectId);
  });
  // People at accounts, without an explicit CRM role, so that the title decides.
  const candidates = sandbox.store
    .listOf('contacts')
    .filter((c) => !c.properties['hs_buying_role'] && sandbox.store.companiesOfContact(c.id).length > 0)
    .map((c) => c.id);
  const t0 = Date.now();
  for (let i = 0; i < Math.min(EDITS, candidates.length); i++) {
    const wait = t0 + (i * 1000) / EDIT_RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = candidates[i] ?? '';
    const role = sandbox.store.getOf('contacts', id)?.properties['icp_buying_role'];
    editedAt.set(id, Date.now());
    sandbox.store.updateOf('contacts', id, { jobtitle: role === 'decision_maker' ? 'Office manager' : 'Directeur Général' }, { changeSource: 'CRM_UI', sourceId: 'userId:1001' });
  }
  const deadline = Date.now() + 30_000;
  while (editedAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(`job-title edit → contact webhook → new role and priority in HubSpot, ${EDIT_RATE} edits/s, debounce ${DEBOUNCE_MS} ms`);
  console.log(`  calls by route: ${JSON.stringify(sandbox.store.stats().byRoute)}`);
  console.log(`  edits ${latencies.length + editedAt.size}, written ${latencies.length}, not written within 30 s ${editedAt.size}`);
  console.log(`  p50 ${percentile(sorted, 50)} ms · p95 ${percentile(sorted, 95)} ms · max ${sorted.at(-1) ?? NaN} ms; p95 beyond the debounce ${percentile(sorted, 95) - DEBOUNCE_MS} ms (target < 2000 ms)`);
} finally {
  await service.stop();
  await sandbox.close();
  await deletePrefixKeys(redis, service.prefix);
  redis.disconnect();
}
