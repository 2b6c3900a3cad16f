/**
 * Webhook intake: events/s and p99 latency of `POST /webhooks/hubspot` for signed 100-event
 * HubSpot batches (v3 signatures, fresh timestamps), through the real app — signature check,
 * parsing, the Redis-backed producer — and, in the same run, of a bare Fastify route that only
 * parses the same JSON, for the ratio. A third run through the same app with the producer
 * replaced by a no-op, and the producer alone without HTTP, tell how much of the cost is Redis.
 * Each server runs in its own child process so that autocannon (in this process) does not share
 * its event loop.
 *
 * The three targets are loaded in alternating rounds (app, no-op, bare, then bare, no-op, app…) and
 * each round's ratio is printed with their median: the machine may be shared, and its load moves.
 *
 * `node bench/intake.bench.ts [seconds] [rounds]` (default 5 s per target and round, 3 rounds).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { deleteKeys } from '../src/redis/delete-keys.ts';

const EVENTS_PER_BATCH = 100;
const BODIES = 8;
const CONNECTIONS = 16;
const TARGET_EVENTS_PER_S = 20_000;
/** Issue target: the signed route at half a bare Fastify route or better, measured in the same run. */
const TARGET_RATIO = 0.5;
const PATH = '/webhooks/hubspot';
const APP_ID = '4242';
const PORTAL_ID = '62515';

type Mode = 'app' | 'route' | 'bare';

interface Ready {
  port: number;
  note?: string;
}

/** One HubSpot delivery: up to 100 `company.propertyChange` events, as HubSpot documents them. */
function batchBody(batch: number, now: number): string {
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
    eventId: batch * 1000 + i + 1,
    subscriptionId: 1207,
    portalId: Number(PORTAL_ID),
    appId: Number(APP_ID),
    occurredAt: now - 500,
    subscriptionType: 'company.propertyChange',
    attemptNumber: 0,
    objectId: 10_000 + ((batch * EVENTS_PER_BATCH + i) % 5000),
    propertyName: 'numberofemployees',
    propertyValue: String(50 + i),
    changeSource: 'CRM_UI',
    sourceId: 'userId:5310101',
  }));
  return JSON.stringify(events);
}

/** `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of method + full URI + body + timestamp. */
function signV3(secret: string, uri: string, body: string, timestamp: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`POST${uri}${body}${timestamp}`, 'utf8').digest('base64');
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': signature,
    'x-hubspot-request-timestamp': String(timestamp),
  };
}

// ---- child side ------------------------------------------------------------------------------

async function serveBare(): Promise<Ready> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.post(PATH, async (_request, reply) => reply.code(204).send());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0 };
}

async function serveApp(secret: string, prefix: string, publicBase: string, port: number, redisProducer: boolean): Promise<Ready> {
  const { parseEnv } = await import('../src/config/env.ts');
  const { createLogger } = await import('../src/logging.ts');
  const { buildApp } = await import('../src/http/app.ts');
  const { createRuntime } = await import('../src/pipeline/runtime.ts');
  const { toHttpRuntime } = await import('../src/http/runtime-adapter.ts');
  const env = parseEnv({
    ...process.env,
    REDIS_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: publicBase,
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    HUBSPOT_CLIENT_SECRET: secret,
    HUBSPOT_APP_ID: APP_ID,
    HUBSPOT_PORTAL_ID: PORTAL_ID,
    // Nothing is listened to from the CRM here: no schedules, no backfill on start.
    INCREMENTAL_SYNC_INTERVAL_MS: '0',
    AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
    ADMIN_TOKEN: '',
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const runtime = await createRuntime({ env, logger, workers: false });
  const deadline = Date.now() + 10_000;
  while (!(await runtime.ready())) {
    if (Date.now() > deadline) throw new Error('Redis does not answer');
    await new Promise((r) => setTimeout(r, 50));
  }
  const httpRuntime = toHttpRuntime(runtime);
  const app = await buildApp({
    env,
    logger,
    runtime: redisProducer ? httpRuntime : { ...httpRuntime, producer: { enqueue: async () => undefined } },
    dashboard: false,
  });
  await app.listen({ host: '127.0.0.1', port });
  process.on('disconnect', () => {
    void app.close().then(() => runtime.close()).then(() => process.exit(0));
  });
  return { port };
}

async function child(mode: Mode): Promise<void> {
  const [secret = '', prefix = '', publicBase = '', port = '0'] = process.argv.slice(4);
  const ready = mode === 'bare' ? await serveBare() : await serveApp(secret, prefix, publicBase, Number(port), mode === 'app');
  process.send?.(ready);
  if (mode === 'bare') process.on('disconnect', () => process.exit(0));
}

// ---- parent side -----------------------------------------------------------------------------

function startChild(mode: Mode, args: string[]): Promise<{ proc: ChildProcess; ready: Ready }> {
  const proc = fork(new URL(import.meta.url).pathname, ['--serve', mode, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => resolve({ proc, ready: m as Ready }));
    proc.once('exit', (code) => reject(new Error(`${mode} server exited with ${code} before listening`)));
  });
}

async function stopChild(proc: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.disconnect();
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

interface Figures {
  /** Answered 2xx per second. */
  requestsPerSecond: number;
  eventsPerSecond: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU of the server process per answered request, µs (Linux). */
  cpuUsPerRequest?: number;
  /** CPU of the Redis server per answered request, µs (includes any other client of that Redis). */
  redisCpuUsPerRequest?: number;
}

/** CPU seconds a process has used (Linux /proc; `undefined` elsewhere). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the command name in parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

/** CPU seconds the Redis server has used (all its clients: the figure is only clean when it is otherwise idle). */
async function redisCpuSeconds(): Promise<number | undefined> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    return field('used_cpu_user') + field('used_cpu_sys');
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** Load on a server, with the CPU its process (and Redis) used per answered request. */
async function measured(pid: number | undefined, port: number, secret: string, seconds: number): Promise<Figures> {
  const [cpu0, redis0] = [cpuSeconds(pid), await redisCpuSeconds()];
  const f = await load(port, secret, seconds);
  const [cpu1, redis1] = [cpuSeconds(pid), await redisCpuSeconds()];
  const ok = f.requestsPerSecond * seconds;
  if (cpu0 !== undefined && cpu1 !== undefined && ok > 0) f.cpuUsPerRequest = ((cpu1 - cpu0) * 1e6) / ok;
  if (redis0 !== undefined && redis1 !== undefined && ok > 0) f.redisCpuUsPerRequest = ((redis1 - redis0) * 1e6) / ok;
  return f;
}

async function load(port: number, secret: string, seconds: number): Promise<Figures> {
  const uri = `http://127.0.0.1:${port}${PATH}`;
  // Timestamps stay valid for 5 minutes; one signing per run is enough for a bounded run.
  const now = Date.now();
  const requests = Array.from({ length: BODIES }, (_, b) => {
    const body = batchBody(b, now);
    return { method: 'POST' as const, path: PATH, headers: signV3(secret, uri, body, now), body };
  });
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / (result.duration || seconds),
    eventsPerSecond: (ok * EVENTS_PER_BATCH) / (result.duration || seconds),
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The runtime's Redis producer on its own: `CONNECTIONS` concurrent loops of 100-request enqueues. */
async function producerAlone(prefix: string, seconds: number): Promise<Figures> {
  const { parseEnv } = await import('../src/config/env.ts');
  const { createLogger } = await import('../src/logging.ts');
  const { createRuntime } = await import('../src/pipeline/runtime.ts');
  const env = parseEnv({ ...process.env, REDIS_PREFIX: prefix, INCREMENTAL_SYNC_INTERVAL_MS: '0', LOG_LEVEL: 'error' });
  const runtime = await createRuntime({ env, logger: createLogger({ level: 'error', destination: process.stderr }), workers: false });
  try {
    while (!(await runtime.ready())) await new Promise((r) => setTimeout(r, 50));
    const now = Date.now();
    const batch = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
      crm: 'hubspot' as const,
      objectType: 'companies',
      id: String(10_000 + i),
      trigger: 'webhook' as const,
      occurredAt: now,
    }));
    const latencies: number[] = [];
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < end) {
          const t = performance.now();
          await runtime.producer.enqueue(batch);
          latencies.push(performance.now() - t);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: latencies.length / seconds,
      eventsPerSecond: (latencies.length * EVENTS_PER_BATCH) / seconds,
      p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      requests: latencies.length,
      non2xx: 0,
      errors: 0,
    };
  } finally {
    await runtime.close();
  }
}

async function cleanRedis(prefix: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  const removed = await deleteKeys(redis, `*${prefix}*`);
  await redis.quit();
  return removed;
}

function line(label: string, f: Figures): string {
  const rps = Math.round(f.requestsPerSecond).toLocaleString('en-US').padStart(7);
  const eps = Math.round(f.eventsPerSecond).toLocaleString('en-US').padStart(10);
  const cpu = f.cpuUsPerRequest === undefined ? '' : `   CPU/req: server ${Math.round(f.cpuUsPerRequest)} µs, Redis ${Math.round(f.redisCpuUsPerRequest ?? 0)} µs`;
  return `${label.padEnd(34)} ${rps} req/s ${eps} events/s   p99 ${String(f.p99Ms).padStart(4)} ms   (${f.requests} requests, ${f.non2xx} non-2xx, ${f.errors} errors)${cpu}`;
}

const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function parent(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const rounds = Number(process.argv[3] ?? 3);
  const secret = randomBytes(24).toString('hex');
  const prefix = `icp-bench-${randomUUID().slice(0, 8)}`;
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  console.log(
    `signed ${EVENTS_PER_BATCH}-event HubSpot batches, ${CONNECTIONS} connections, ${rounds} alternating rounds of ${seconds} s per target, node ${process.version}`,
  );
  const loadBefore = loadAverage();

  // All three servers stay up; the load alternates between them, round after round, so that the
  // machine's other work weighs on each about equally (it is shared, and its load moves).
  const targets = [
    { label: 'icp-sync POST /webhooks/hubspot', child: await startChild('app', [secret, prefix, `http://127.0.0.1:${port}`, String(port)]) },
    { label: 'same, producer replaced by a no-op', child: await startChild('route', [secret, prefix, `http://127.0.0.1:${port + 1}`, String(port + 1)]) },
    { label: 'bare Fastify route (JSON parse)', child: await startChild('bare', []) },
  ];
  const figures: Figures[][] = targets.map(() => []);
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      for (const t of order) {
        const target = targets[t];
        if (target) figures[t]?.push(await measured(target.child.proc.pid, target.child.ready.port, secret, seconds));
      }
    }
  } finally {
    for (const t of targets) await stopChild(t.child.proc);
  }
  const producerFigures = await producerAlone(prefix, Math.min(seconds, 5));
  const removed = await cleanRedis(prefix);

  const [app = [], route = [], bare = []] = figures;
  for (let round = 0; round < rounds; round += 1) {
    console.log(`round ${round + 1}`);
    targets.forEach((t, i) => {
      const f = figures[i]?.[round];
      if (f) console.log(`  ${line(t.label, f)}`);
    });
  }
  const ratios = app.map((f, i) => f.requestsPerSecond / (bare[i]?.requestsPerSecond || Infinity));
  const routeRatios = route.map((f, i) => f.requestsPerSecond / (bare[i]?.requestsPerSecond || Infinity));
  const ratio = median(ratios);
  const rps = (fs: readonly Figures[]) => Math.round(median(fs.map((f) => f.requestsPerSecond))).toLocaleString('en-US');
  console.log(`median req/s: icp-sync ${rps(app)}, no-op producer ${rps(route)}, bare ${rps(bare)}`);
  const cpu = (fs: readonly Figures[]) => median(fs.map((f) => f.cpuUsPerRequest ?? Number.NaN));
  if (!Number.isNaN(cpu(app))) {
    // Independent of the machine's other load: what a request costs each process.
    const redisApp = median(app.map((f) => f.redisCpuUsPerRequest ?? Number.NaN));
    console.log(
      `median CPU per request: icp-sync ${Math.round(cpu(app))} µs (+ Redis ${Math.round(redisApp)} µs), no-op producer ${Math.round(cpu(route))} µs, bare ${Math.round(cpu(bare))} µs; bare / icp-sync ${(cpu(bare) / cpu(app)).toFixed(2)}, bare / (icp-sync + Redis) ${(cpu(bare) / (cpu(app) + redisApp)).toFixed(2)}`,
    );
  }
  console.log(
    `${'producer.enqueue alone (no HTTP)'.padEnd(34)} ${Math.round(producerFigures.eventsPerSecond).toLocaleString('en-US').padStart(10)} events/s   p99 ${String(producerFigures.p99Ms).padStart(4)} ms   (${producerFigures.requests} calls of ${EVENTS_PER_BATCH})`,
  );
  console.log(`ratio no-op producer / bare per round: ${routeRatios.map((r) => r.toFixed(2)).join(' ')}`);
  const allAccepted = app.every((f) => f.non2xx === 0 && f.errors === 0);
  console.log(
    `ratio icp-sync / bare (req/s, same round) per round: ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${ratio.toFixed(2)}   target >= ${TARGET_RATIO.toFixed(2)}: ${ratio >= TARGET_RATIO && allAccepted ? 'met' : 'NOT met'}`,
  );
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}   after: ${loadAverage()}   (${cpus().length} CPUs; the machine may be shared)`);
  const met = median(app.map((f) => f.eventsPerSecond)) >= TARGET_EVENTS_PER_S && allAccepted;
  console.log(`target >= ${TARGET_EVENTS_PER_S.toLocaleString('en-US')} events/s with every batch accepted: ${met ? 'met' : 'NOT met'}`);
  console.log(`(removed ${removed} Redis keys under the bench prefix)`);
}

const modes: readonly Mode[] = ['app', 'route', 'bare'];
if (process.argv[2] === '--serve') await child(modes.find((m) => m === process.argv[3]) ?? 'app');
else await parent();
