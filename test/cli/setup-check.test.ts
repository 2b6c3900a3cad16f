/** `icp-sync setup hubspot --check` as a user runs it: a check that cannot verify fails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { runCli } from './run-cli.ts';

let sandbox: HubSpotSandbox;
beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 3 });
});
afterAll(async () => {
  await sandbox.close();
});

const envFor = (token: string, url: string) => ({ HUBSPOT_ACCESS_TOKEN: token, HUBSPOT_BASE_URL: url, LOG_LEVEL: undefined });

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
