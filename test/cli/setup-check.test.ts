/** `icp-sync setup hubspot --check` as a user runs it: a check that cannot verify fails. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { removeTestKeys } from '../redis-keys.ts';
import { runCli } from './run-cli.ts';

// setup shares the service's Redis limiter and daily reading: a private prefix, removed afterwards.
const prefix = `test-setup-check-${randomBytes(4).toString('hex')}`;
let sandbox: HubSpotSandbox;
beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 3 });
});
afterAll(async () => {
  await sandbox.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  await removeTestKeys(redis, prefix);
  await redis.quit();
});

const envFor = (token: string, url: string) => ({ HUBSPOT_ACCESS_TOKEN: token, HUBSPOT_BASE_URL: url, REDIS_PREFIX: prefix, LOG_LEVEL: undefined });

describe('icp-sync setup hubspot --check', () => {
  it('passes with a valid token', async () => {
    const r = await runCli(['setup', 'hubspot', '--check'], { env: envFor(sandbox.accessToken, sandbox.url) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok  the token works');
  });

  it('fails with an invalid token', async () => {
    const r = await runCli(['setup', 'hubspot', '--check'], { env: envFor('pat-invalid', sandbox.url) });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('ok ');
    expect(r.stderr).toContain('FAIL cannot verify the token');
  });

  it('fails when HubSpot is unreachable, with no log lines', async () => {
    const r = await runCli(['setup', 'hubspot', '--check'], { env: envFor('pat-whatever', 'http://127.0.0.1:9') });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('ok ');
    expect(r.stderr).toMatch(/^ {2}FAIL cannot verify the token: .*network error/m);
    expect(r.stderr).not.toContain('"level"');
  });
});
