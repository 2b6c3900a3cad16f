/**
 * Share of registry calls answered 429 when several worker processes pace their calls through the
 * shared Redis limiter, against a local stand-in that enforces the registry's documented limit: at
 * most 7 requests in any one second per IP (a sliding window on arrival time), 429 with
 * `Retry-After: 1` beyond. Each request reaches the stand-in after a random 0–40 ms, as over a real
 * network, so arrival order and spacing differ a little from the order the limiter gave turns in.
 *
 * Runs the same load twice: with the former rule (a window of 7 calls per 1000 ms, which lets 7
 * calls leave at once) and with the rule icp-sync uses (`registryRule`: one call every 169 ms).
 * Prints, for each, the calls made, the 429s and their share, and the calls per second achieved.
 *
 * `node bench/registry-rate.bench.ts [workers] [calls per worker]` (default 3 workers × 60 calls).
 * Needs Redis (`REDIS_URL`, default redis://127.0.0.1:6379).
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { gateFor, registryRule } from '../src/enrichment/index.ts';
import { providerFetch } from '../src/enrichment/http.ts';
import { ProviderError } from '../src/errors.ts';
import { RedisRateLimiter, type RateLimitRule } from '../src/rate-limit/index.ts';
import { deleteKeys } from '../src/redis/delete-keys.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 7;
const WINDOW_MS = 1000;
const MAX_NETWORK_MS = 40;

interface WorkerTask {
  url: string;
  prefix: string;
  rule: RateLimitRule;
  calls: number;
}

interface WorkerReport {
  ok: number;
  limited: number;
}

/** One worker process: `calls` lookups, 4 in flight, each through the shared gate. */
async function runWorker(task: WorkerTask): Promise<WorkerReport> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const gate = gateFor(new RedisRateLimiter(redis, { ...task.rule, prefix: task.prefix }), 'enrich:recherche-entreprises');
  const report: WorkerReport = { ok: 0, limited: 0 };
  let next = 0;
  const lane = async () => {
    while (next < task.calls) {
      next++;
      try {
        await providerFetch({ provider: 'recherche-entreprises', url: `${task.url}/search?q=x`, timeoutMs: 5000, gate, defaultRetryAfterMs: 1000 });
        report.ok++;
      } catch (err) {
        if (err instanceof ProviderError && err.status === 429) report.limited++;
        else throw err;
      }
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  redis.disconnect();
  return report;
}

/** The stand-in: a sliding window of `LIMIT` requests per `WINDOW_MS` on arrival time. */
function startStandIn(): Promise<Server> {
  const arrivals: number[] = [];
  const server = createServer((_req, res) => {
    void (async () => {
      await sleep(Math.random() * MAX_NETWORK_MS);
      const now = performance.now();
      while (arrivals.length > 0 && (arrivals[0] as number) <= now - WINDOW_MS) arrivals.shift();
      if (arrivals.length >= LIMIT) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"erreur":"Too many requests"}');
        return;
      }
      arrivals.push(now);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[],"total_results":0}');
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function measure(label: string, rule: RateLimitRule, workers: number, calls: number): Promise<void> {
  const server = await startStandIn();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const prefix = `icp-bench-${randomUUID()}`;
  const started = performance.now();
  const reports = await Promise.all(
    Array.from({ length: workers }, () => {
      const child = fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.send({ url, prefix, rule, calls } satisfies WorkerTask);
      return new Promise<WorkerReport>((resolve, reject) => {
        child.once('message', (m) => resolve(m as WorkerReport));
        child.once('exit', (code) => {
          if (code !== 0) reject(new Error(`worker exited with ${code}`));
        });
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  server.close();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await deleteKeys(redis, `*${prefix}*`);
  redis.disconnect();
  const ok = reports.reduce((n, r) => n + r.ok, 0);
  const limited = reports.reduce((n, r) => n + r.limited, 0);
  const total = ok + limited;
  console.log(
    `${label.padEnd(44)} ${String(total).padStart(5)} calls  ${String(limited).padStart(4)} × 429  ` +
      `${((limited / total) * 100).toFixed(1).padStart(5)} %  ${(total / seconds).toFixed(2)} calls/s  ${(ok / seconds).toFixed(2)} answered/s`,
  );
}

if (process.argv.includes('--worker')) {
  process.once('message', (task) => {
    void runWorker(task as WorkerTask).then((report) => {
      process.send?.(report, () => process.exit(0));
    });
  });
} else {
  const workers = Number(process.argv[2] ?? 3);
  const calls = Number(process.argv[3] ?? 60);
  console.log(`${workers} worker processes × ${calls} calls, stand-in: ≤ ${LIMIT} requests per ${WINDOW_MS} ms per IP, 0–${MAX_NETWORK_MS} ms network jitter`);
  await measure(`before: ${LIMIT} per 1000 ms window`, { limit: LIMIT, windowMs: 1000 }, workers, calls);
  const after = registryRule(LIMIT);
  await measure(`after: 1 per ${after.windowMs} ms (registryRule(${LIMIT}))`, after, workers, calls);
}
