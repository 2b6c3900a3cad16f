/**
 * A worker process killed with SIGKILL in the middle of a backfill: its jobs (the listing and the
 * batches in hand) go back to the queue once their locks lapse, and a second process finishes the
 * work with every value right.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { cleanRedis } from '../pipeline/helpers.ts';
import { e2eEnv, until, writeModel, wrongCompanies } from './harness.ts';

const COMPANIES = 1500;
const workerScript = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [workerScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve(child);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

describe('a worker killed mid-batch', () => {
  let sandbox: HubSpotSandbox;
  let env: Record<string, string>;
  let observer: Runtime;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // A tight rate limit keeps batches in flight long enough to be killed in the middle of one.
    sandbox = await startHubSpotSandbox({ seed: COMPANIES, limits: { per10s: 60, searchPerSecond: 100 } });
    env = e2eEnv(sandbox, await writeModel(), { HUBSPOT_RATE_LIMIT_PER_10S: '60', WORKER_LOCK_MS: '2000' });
    observer = await createRuntime({ env: parseEnv(env), logger: createLogger({ level: 'silent' }) });
  }, 30_000);

  afterAll(async () => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await exited(c);
    }
    await observer?.close();
    await sandbox?.close();
    if (env) await cleanRedis(parseEnv(env));
  });

  it('another process finishes the work and every value is right', async () => {
    const first = await spawnWorker(env);
    children.push(first);
    const batches = observer.queues().find((q) => q.name === 'batches-hubspot');
    await until(async () => {
      const [state] = await observer.backfillStatus('hubspot');
      return state !== undefined && state.processed >= 300 && (await batches?.getActiveCount()) !== 0;
    }, 40_000, 'the first worker to be busy');
    const [before] = await observer.backfillStatus('hubspot');
    expect(before?.status).toBe('running');
    first.kill('SIGKILL');
    await exited(first);

    const second = await spawnWorker(env);
    children.push(second);
    await until(async () => (await observer.backfillStatus('hubspot'))[0]?.status === 'done', 60_000, 'the second worker to finish');
    expect(wrongCompanies(sandbox).slice(0, 5)).toEqual([]);
    const [after] = await observer.backfillStatus('hubspot');
    expect(after).toMatchObject({ listed: COMPANIES, failed: 0 });
    expect((await observer.failed.list()).total).toBe(0);
    second.kill('SIGTERM');
    await exited(second);
  }, 100_000);
});
