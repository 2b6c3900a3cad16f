/**
 * For the benchmarks that run the product against the HubSpot sandbox: `icp-sync start` in its own
 * process, pointed at the sandbox, under a private Redis prefix, with signed webhooks possible.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { HubSpotSandbox } from '../src/sandbox/hubspot/server.ts';

export const BENCH_WEBHOOK_SECRET = 'bench-client-secret-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The value at percentile `p` of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export interface ServiceOptions {
  sandbox: HubSpotSandbox;
  modelPath: string;
  /** Prefix of the private Redis keys, a random suffix is added. */
  prefix: string;
  per10s: number;
  debounceMs: number;
}

export interface RunningBenchService {
  port: number;
  prefix: string;
  process: ChildProcess;
  /** Stops the service and waits for it to exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

export async function startBenchService(o: ServiceOptions): Promise<RunningBenchService> {
  return startIcpSync({
    prefix: o.prefix,
    modelPath: o.modelPath,
    debounceMs: o.debounceMs,
    crmEnv: {
      HUBSPOT_ACCESS_TOKEN: o.sandbox.accessToken,
      HUBSPOT_BASE_URL: o.sandbox.url,
      HUBSPOT_CLIENT_SECRET: BENCH_WEBHOOK_SECRET,
      HUBSPOT_APP_ID: String(o.sandbox.appId),
      HUBSPOT_PORTAL_ID: String(o.sandbox.portalId),
      HUBSPOT_RATE_LIMIT_PER_10S: String(o.per10s),
    },
  });
}

/**
 * `icp-sync start` in its own process on a free port, under `prefix` plus a random suffix, with the
 * given CRM settings and none of the shell's (`HUBSPOT_*`, `SALESFORCE_*`), incremental syncs off and
 * `BENCH_LOG_LEVEL` (default warn) as its log level. `stop()` sends SIGTERM, then SIGKILL after 15 s.
 */
export async function startIcpSync(o: { prefix: string; modelPath: string; debounceMs: number; crmEnv: Record<string, string> }): Promise<RunningBenchService> {
  const port = await freePort();
  const prefix = `${o.prefix}-${randomBytes(4).toString('hex')}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUBSPOT_') && !k.startsWith('SALESFORCE_')));
  const child = spawn(process.execPath, [fileURLToPath(new URL('../bin/icp-sync.js', import.meta.url)), 'start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      ...inherited,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ICP_MODEL_PATH: o.modelPath,
      ...o.crmEnv,
      SYNC_DEBOUNCE_MS: String(o.debounceMs),
      INCREMENTAL_SYNC_INTERVAL_MS: '0',
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    },
    stdio: ['ignore', process.env['BENCH_LOG_LEVEL'] ? 'inherit' : 'ignore', 'inherit'],
  });
  return {
    port,
    prefix,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
