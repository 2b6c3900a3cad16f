/**
 * End-to-end latency under steady load: a company edited in the HubSpot sandbox → signed webhook →
 * `icp-sync start` (its own process: receiver, debounce, dispatcher, batch worker) → the new score
 * written back to the sandbox. Measured from the edit to the write, for a steady stream of edits on
 * distinct companies. The debounce window (SYNC_DEBOUNCE_MS, default 1 s) is part of the figure.
 *
 * `node bench/latency.bench.ts [edits-per-second] [seconds] [requests-per-10s] [debounce-ms]` runs one
 * load. Without arguments it runs the loads the targets are set for: 40 edits/s for 2 minutes at 100
 * requests/10 s (HubSpot's Free/Starter ceiling; Pro/Enterprise allow 190), which one read and one
 * write per edit could never sustain, and 2 edits/s, each with the debounce at 1 s and at 250 ms.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseBackfillState } from '../src/pipeline/backfill.ts';
import { pipelineKeys } from '../src/pipeline/keys.ts';
import { startHubSpotSandbox, type ChangeEvent } from '../src/sandbox/hubspot/server.ts';
import { deletePrefixKeys } from '../src/redis/delete-keys.ts';
import { BENCH_WEBHOOK_SECRET, percentile, startBenchService } from './hubspot-service.ts';

interface Scenario {
  rate: number;
  seconds: number;
  per10s: number;
  debounceMs: number;
}

const DEFAULT_SCENARIOS: Scenario[] = [
  { rate: 40, seconds: 120, per10s: 100, debounceMs: 1000 },
  { rate: 40, seconds: 120, per10s: 100, debounceMs: 250 },
  { rate: 2, seconds: 30, per10s: 100, debounceMs: 1000 },
  { rate: 2, seconds: 30, per10s: 100, debounceMs: 250 },
];
const args = process.argv.slice(2).map(Number);
const scenarios: Scenario[] =
  args.length === 0
    ? DEFAULT_SCENARIOS
    : [{ rate: args[0] ?? 20, seconds: args[1] ?? 20, per10s: args[2] ?? 1000, debounceMs: args[3] ?? 1000 }];
if (scenarios.some((s) => !Object.values(s).every((v) => Number.isFinite(v) && v > 0))) {
  console.error(
    'usage: node bench/latency.bench.ts [edits-per-second] [seconds] [requests-per-10s] [debounce-ms] (positive numbers)',
  );
  process.exit(2);
}

const redis = new Redis('redis://127.0.0.1:6379');
try {
  for (const scenario of scenarios) await runScenario(scenario);
} finally {
  redis.disconnect();
}

async function runScenario({
  rate: RATE,
  seconds: SECONDS,
  per10s: PER_10S,
  debounceMs: DEBOUNCE_MS,
}: Scenario): Promise<void> {
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
  const service = await startBenchService({
    sandbox,
    modelPath: join(dir, 'icp.yaml'),
    prefix: 'icplat',
    per10s: PER_10S,
    debounceMs: DEBOUNCE_MS,
  });
  const port = service.port;
  const keys = pipelineKeys(service.prefix);

  try {
    // The service sees a new model version: it sets up the properties and scores everything first.
    for (;;) {
      const s = parseBackfillState(await redis.hgetall(keys.backfill('hubspot', 'companies')));
      if (s?.status === 'done') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    sandbox.setWebhookTarget(`http://127.0.0.1:${port}/webhooks/hubspot`, {
      clientSecret: BENCH_WEBHOOK_SECRET,
      appId: sandbox.appId,
      portalId: sandbox.portalId,
      properties: ['numberofemployees'],
    });

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
    const budgetPerSecond = PER_10S / 10;
    const p95 = percentile(sorted, 95);
    const underLoad = RATE * 2 * 1 > budgetPerSecond; // one read and one write per edit would pass the limit
    console.log(
      `\nend-to-end latency, ${RATE} edits/s for ${SECONDS} s on distinct companies, debounce ${DEBOUNCE_MS} ms, limit ${PER_10S} requests/10 s`,
    );
    console.log(
      `  API calls ${calls.total} = ${(calls.total / total).toFixed(3)} per edit; ceiling: the limit allows ${budgetPerSecond} calls/s = ${(budgetPerSecond / RATE).toFixed(3)} per edit at this rate, floor 0.020 (a read and a write per 100 ids), one id per batch 2.000; target ≤ 0.3 under load; 429s ${calls.rateLimited}`,
    );
    console.log(`  edits ${total}, written ${latencies.length}, not written within 30 s ${editedAt.size}`);
    console.log(
      `  p50 ${percentile(sorted, 50)} ms · p95 ${p95} ms · p99 ${percentile(sorted, 99)} ms · max ${sorted[sorted.length - 1] ?? NaN} ms`,
    );
    console.log(
      `  p95 beyond the debounce window: ${p95 - DEBOUNCE_MS} ms; target < ${underLoad ? '3000 ms (40 edits/s at 100 requests/10 s)' : '2000 ms at light load; before adaptive batching: p95 1.2 s at 2 edits/s, debounce 1 s'}`,
    );
  } finally {
    await service.stop();
    await sandbox.close();
    await deletePrefixKeys(redis, service.prefix);
  }
}
