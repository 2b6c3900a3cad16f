/**
 * Measures the shared limiter against the HubSpot sandbox: several processes, each with its own
 * Redis connection, read as fast as they can; the sandbox records every request. Prints the largest
 * number of requests seen in any rolling 10-second window against the configured limit, and the 429s.
 *   node test/rate-limit/shared-limit-measurement.ts [processes=4] [limit=100] [seconds=25] [marginMs]
 * `marginMs`: the burst window margin the processes use (default: BURST_WINDOW_MARGIN_MS of limits.ts).
 * `ofCeiling`: after the first 10 s (whose full first window would flatter the figure), requests per
 * 10 s against the limit.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startHubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { removeTestKeys } from '../redis-keys.ts';

const [procs = 4, limit = 100, seconds = 25, margin] = process.argv.slice(2).map(Number);
const sandbox = await startHubSpotSandbox({ seed: 20, limits: { per10s: limit } });
sandbox.store.recordTimes = true;
const prefix = `measure-${randomBytes(4).toString('hex')}`;
const env = {
  ...process.env,
  HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
  HUBSPOT_BASE_URL: sandbox.url,
  HUBSPOT_RATE_LIMIT_PER_10S: String(limit),
  REDIS_PREFIX: prefix,
  IDS: sandbox.store.list().slice(0, 10).map((c) => c.id).join(','),
  DURATION_MS: String(seconds * 1000),
  ...(margin === undefined ? {} : { MARGIN_MS: String(margin) }),
};
const worker = new URL('./limit-worker.ts', import.meta.url).pathname;
const outputs = await Promise.all(
  Array.from({ length: procs }, () => new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [worker], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => resolve(out.trim()));
  })),
);
const times = [...sandbox.store.requestTimes].sort((a, b) => a - b);
let best = 0;
for (let lo = 0, hi = 0; hi < times.length; hi += 1) {
  while ((times[hi] as number) - (times[lo] as number) >= 10_000) lo += 1;
  best = Math.max(best, hi - lo + 1);
}
const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
function steadyShare(): number {
  const from = (times[0] ?? 0) + 10_000;
  const later = times.filter((t) => t >= from);
  const seconds = ((times.at(-1) ?? from) - from) / 1000;
  return seconds > 0 ? (later.length / seconds) * 10 / limit : 0;
}
console.log(JSON.stringify({
  processes: procs,
  limitPer10s: limit,
  requests: times.length,
  seconds: Number(span.toFixed(1)),
  marginMs: margin ?? 'limits.ts',
  maxInAny10sWindow: best,
  ofCeiling: Number(steadyShare().toFixed(3)),
  rateLimited429: sandbox.store.stats().rateLimited,
  perProcess: outputs.map((o) => JSON.parse(o) as unknown),
}));
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
await removeTestKeys(redis, prefix);
await redis.quit();
await sandbox.close();
