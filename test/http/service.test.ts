/**
 * `icp-sync serve` / `start` as real processes: they listen, answer health and readiness against
 * the real Redis, and stop on SIGTERM with exit code 0; bad config stops them before listening.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/icp-sync.js', import.meta.url).pathname;
const prefix = `icp-test-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`*${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function run(command: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [bin, command], {
    // A configured CRM (start/serve refuse to run without one) that no test ever reaches.
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      HUBSPOT_ACCESS_TOKEN: 'pat-test-never-used',
      HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
      INCREMENTAL_SYNC_INTERVAL_MS: '0',
      AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}

describe.each(['serve', 'start'])('icp-sync %s', (command) => {
  it('serves health and readiness, then stops on SIGTERM with exit code 0', async () => {
    const proc = run(command, { ADMIN_TOKEN: 'a-long-enough-admin-token' });
    const base = await proc.listening;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', checks: { config: 'ok', redis: 'ok' } });
    const status = await fetch(`${base}/admin/status`, { headers: { authorization: 'Bearer a-long-enough-admin-token' } });
    expect(status.status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});

describe('bad configuration', () => {
  it('stops start-up with one precise line per problem and exit code 1', async () => {
    const proc = run('serve', { ADMIN_TOKEN: 'short', PORT: 'eighty' });
    proc.listening.catch(() => undefined);
    expect(await proc.exited).toBe(1);
    const { stderr } = proc.output();
    expect(stderr).toContain('env: ADMIN_TOKEN: must be at least 16 characters');
    expect(stderr).toMatch(/env: PORT: /);
  });

  it('exits 1 without leaving anything running when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const proc = run('start', { PORT: String(port) });
      proc.listening.catch(() => undefined);
      expect(await proc.exited).toBe(1);
      expect(proc.output().stderr).toContain(`icp-sync: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses an invalid model file', async () => {
    const proc = run('serve', { ICP_MODEL_PATH: 'test/http/no-such-model.yaml' });
    proc.listening.catch(() => undefined);
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr).toContain('no-such-model.yaml: cannot read file');
  });
});
