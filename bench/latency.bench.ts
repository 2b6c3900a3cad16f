/**
 * End-to-end latency under steady load: a company edited in the HubSpot sandbox → signed webhook →
 * `icp-sync start` (its own process: receiver, debounce, dispatcher, batch worker) → the new score
 * written back to the sandbox. Measured from the edit to the write, for a steady stream of edits on
 * distinct companies. The debounce window (SYNC_DEBOUNCE_MS, default 1 s) is part of the figure.
 *
 * `node bench/latency.bench.ts [edits-per-second] [seconds] [requests-per-10s] [debounce-ms]`
 * (default 20/s for 20 s, 1,000 requests per 10 s, debounce 1,000 ms). HubSpot's own ceilings are
 * 100 (Free/Starter) and 190 (Pro/Enterprise) requests per 10 s: `40 120 100` is the load.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseBackfillState } from '../src/pipeline/backfill.ts';
import { pipelineKeys } from '../src/pipeline/keys.ts';
import { startHubSpotSandbox, type ChangeEvent } from '../src/sandbox/hubspot/server.ts';
import { deleteKeys } from '../src/redis/delete-keys.ts';
import { BENCH_WEBHOOK_SECRET, percentile, startBenchService } from './hubspot-service.ts';

const RATE = Number(process.argv[2] ?? 20);
const SECONDS = Number(process.argv[3] ?? 20);
const PER_10S = Number(process.argv[4] ?? 1000);
const DEBOUNCE_MS = Number(process.argv[5] ?? 1000);
const COMPANIES = Math.max(2000, RATE * SECONDS * 2);

const sandbox = await startHubSpotSandbox({ seed: COMPANIES, limits: { per10s: PER_10S, searchPerSecond: 100 } });
const dir = await mkdtemp(join(tmpdir(), 'icp-bench-'));
await writeFile(
  join(dir, 'icp.yaml'),
  `version: "lat-${Date.now()}"
tiers: [{ name: A, min: 50 }, { name: B, min: 0 }]
criteria:
  - { id: size, attribute: employees, weight: 1, tag: cible, match: { kind: range, bands: [{ min: 50, points: 1 }] } }
`,
);
const service = await startBenchService({ sandbox, modelPath: join(dir, 'icp.yaml'), prefix: 'icplat', per10s: PER_10S, debounceMs: DEBOUNCE_MS });
const port = service.port;
const redis = new Redis('redis://127.0.0.1:6379');
const keys = pipelineKeys(service.prefix);


try {
  // The service sees a new model version: it sets up the properties and scores everything first.
  for (;;) {
    const s = parseBackfillState(await redis.hgetall(keys.backfill('hubspot', 'companies')));
    if (s?.status === 'done') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  sandbox.setWebhookTarget(`http://127.0.0.1:${port}/webhooks/hubspot`, { clientSecret: BENCH_WEBHOOK_SECRET, appId: sandbox.appId, portalId: sandbox.portalId, properties: ['numberofemployees'] });

  // The backfill's calls leave the 10-second window before the edits start.
  await new Promise((r) => setTimeout(r, 10_500));
  sandbox.store.resetStats();
  const editedAt = new Map<string, number>();
  const latencies: number[] = [];
  sandbox.store.events.on('change', (ev: ChangeEvent) => {
    if (ev.changeSource !== 'INTEGRATION' || ev.propertyName !== 'icp_fit_score') return;
    const at = editedAt.get(ev.objectId);
    if (at === undefined) return;
    latencies.push(Date.now() - at);
    editedAt.delete(ev.objectId);
  });

  const ids = sandbox.store.list().map((c) => c.id);
  const total = RATE * SECONDS;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = ids[i % ids.length] ?? '';
    const current = Number(sandbox.store.get(id)?.properties['numberofemployees'] ?? '0');
    editedAt.set(id, Date.now());
    // Crossing the 50-employee line flips the score, so every edit must end in a write.
    sandbox.store.update(id, { numberofemployees: String(current >= 50 ? 10 : 200) });
  }
  const deadline = Date.now() + 30_000;
  while (editedAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  const sorted = [...latencies].sort((a, b) => a - b);
  const calls = sandbox.store.stats();
  console.log(`end-to-end latency, ${RATE} edits/s for ${SECONDS} s on distinct companies, debounce ${DEBOUNCE_MS} ms, limit ${PER_10S} requests/10 s`);
  console.log(`  API calls ${calls.total} = ${(calls.total / total).toFixed(3)} per edit (target ≤ 0.3 under load); 429s ${calls.rateLimited}`);
  console.log(`  edits ${total}, written ${latencies.length}, not written within 30 s ${editedAt.size}`);
  console.log(`  p50 ${percentile(sorted, 50)} ms · p95 ${percentile(sorted, 95)} ms · p99 ${percentile(sorted, 99)} ms · max ${sorted[sorted.length - 1] ?? NaN} ms`);
  console.log(`  p95 beyond the debounce window: ${percentile(sorted, 95) - DEBOUNCE_MS} ms (targets: < 2000 ms at light load, < 3000 ms at 40 edits/s and 100 requests/10 s)`);
} finally {
  await service.stop();
  await sandbox.close();
  await deleteKeys(redis, `${keys.bullPrefix}*`);
  redis.disconnect();
}
