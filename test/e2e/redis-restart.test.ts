/**
 * Redis goes away in the middle of a run and comes back (a second redis-server started here, with
 * an fsync-always append-only file, on a free port; the shared 6379 one is never touched). While it
 * is down the webhook receiver answers 503 and readiness says no; once it is back the service
 * recovers by itself. The work queued before the crash survives it, and the deliveries refused
 * during the outage succeed when re-sent (as HubSpot does, up to 10 times): every company ends with
 * the right values. The scheduled incremental sync is off here, so it cannot hide a loss.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/http/service.ts';
import { signDelivery, startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { CLIENT_SECRET, e2eEnv, freePort, until, writeModel, wrongCompanies } from './harness.ts';

const COMPANIES = 600;

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('Ready to accept connections')) resolve(child);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

describe('Redis restarted mid-run', () => {
  let sandbox: HubSpotSandbox;
  let service: RunningService;
  let redis: ChildProcess | undefined;
  let redisPort: number;
  let dir: string;
  let webhookUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'icp-redis-'));
    redisPort = await freePort();
    redis = await startRedis(redisPort, dir);
    sandbox = await startHubSpotSandbox({ seed: COMPANIES, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    const port = await freePort();
    const env = e2eEnv(sandbox, await writeModel(), {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      SYNC_DEBOUNCE_MS: '300',
    });
    webhookUrl = `http://127.0.0.1:${port}/webhooks/hubspot`;
    service = await startService({ workers: true, env, handleSignals: false });
    sandbox.setWebhookTarget(webhookUrl, {
      clientSecret: CLIENT_SECRET,
      appId: sandbox.appId,
      portalId: sandbox.portalId,
      batchDelayMs: 10,
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await sandbox?.close();
    if (redis && redis.exitCode === null && redis.signalCode === null) {
      redis.kill('SIGKILL');
      await exited(redis);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 while Redis is down, recovers when it is back, and loses nothing', async () => {
    await until(async () => (await service.runtime.backfillStatus('hubspot'))[0]?.status === 'done', 60_000, 'the first backfill');
    expect(wrongCompanies(sandbox)).toEqual([]);

    // Work in flight when Redis dies: a rescore of every company after edits made behind our back.
    const ids = sandbox.store.list().map((c) => c.id);
    for (const [i, id] of ids.slice(0, 200).entries()) {
      sandbox.store.update(id, { numberofemployees: String(20 + i) }, { changeSource: 'IMPORT' });
    }
    await sandbox.flushWebhooks();
    // Acknowledged, still inside the debounce window: only Redis holds this work when it dies.
    expect((await service.runtime.status()).objects[0]?.pending).toBeGreaterThan(0);
    redis?.kill('SIGKILL');
    if (redis) await exited(redis);

    const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    const before = sandbox.webhookDeliveries.length;
    const edited = ids[300] ?? '';
    sandbox.store.update(edited, { industry: 'COMPUTER_SOFTWARE', numberofemployees: '300', country: 'France' });
    await sandbox.flushWebhooks();
    const during = sandbox.webhookDeliveries.slice(before);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((d) => d.status === 503)).toBe(true);

    redis = await startRedis(redisPort, dir);
    await until(async () => (await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 20_000, 'readiness');
    // HubSpot re-sends refused deliveries; do the same, freshly signed.
    for (const d of during) {
      const res = await fetch(webhookUrl, { method: 'POST', headers: signDelivery(CLIENT_SECRET, webhookUrl, d.body, Date.now()), body: d.body });
      expect(res.status).toBeLessThan(300);
    }
    await until(() => wrongCompanies(sandbox).length === 0, 40_000, 'every value right after the restart');
    expect(sandbox.store.get(edited)?.properties['icp_tier']).toBe('A');
    expect((await service.runtime.failed.list()).total).toBe(0);
  }, 120_000);
});
