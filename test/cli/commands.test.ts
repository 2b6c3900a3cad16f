/**
 * The pipeline commands as a user runs them: they fail clearly (non-zero, one line on stderr) when
 * they cannot do what was asked, and they never hang when Redis is away.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { removeTestKeys } from '../redis-keys.ts';

const prefix = `icp-test-cli-${randomUUID().slice(0, 8)}`;
/** No CRM configured, a private key prefix, and nothing read from a `.env`. */
const bare = {
  HUBSPOT_ACCESS_TOKEN: '',
  SALESFORCE_CLIENT_ID: '',
  SALESFORCE_CLIENT_SECRET: '',
  SALESFORCE_USERNAME: '',
  REDIS_PREFIX: prefix,
  LOG_LEVEL: undefined,
};
/** HubSpot configured (never reached: nothing listens on port 9). */
const hubspot = { ...bare, HUBSPOT_ACCESS_TOKEN: 'pat-test-never-used', HUBSPOT_BASE_URL: 'http://127.0.0.1:9' };
const noRedis = { REDIS_URL: 'redis://127.0.0.1:1' };

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  await removeTestKeys(redis, prefix);
  await redis.quit();
});

describe('a CRM that is not configured', () => {
  it.each([
    [['backfill', 'hubspot', '--no-wait']],
    [['backfill', 'salesforce', '--wait']],
    [['rescore', 'hubspot', '123']],
    [['explain', 'salesforce', '001000000000001AAA']],
  ])('%j fails with one line naming what to set', async (args) => {
    const r = await runCli(args, { env: bare });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^icp-sync: (hubspot|salesforce) is not configured: set [A-Z_]+/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(['start', 'serve', 'work'])('%s refuses to run without any CRM', async (command) => {
    const r = await runCli([command], { env: { ...bare, PORT: '0', HOST: '127.0.0.1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^icp-sync: no CRM is configured: set HUBSPOT_ACCESS_TOKEN/);
  });
});

describe('Redis unreachable', () => {
  it.each([
    [['failed', 'list']],
    [['failed', 'retry', '--all']],
    [['rescore', 'hubspot', '123']],
    [['backfill', 'hubspot', '--no-wait']],
    [['backfill', 'hubspot', '--wait']],
    [['explain', 'hubspot', '123']],
  ])('%j exits 1 with one line (no log lines, no hang)', async (args) => {
    const r = await runCli(args, { env: { ...hubspot, ...noRedis } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^icp-sync: Redis does not answer at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('a REDIS_URL that is not redis:// stops the command at once with the precise setting', async () => {
    const r = await runCli(['failed', 'list'], { env: { ...hubspot, REDIS_URL: 'http://127.0.0.1:6379' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('env: REDIS_URL: must start with redis:// or rediss://, not http://\n');
  });
});

describe('ids a command cannot use', () => {
  it('rescore refuses ids the CRM cannot have, before queuing anything', async () => {
    const r = await runCli(['rescore', 'hubspot', '123', 'abc', '../../etc'], { env: hubspot });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('icp-sync: not hubspot record ids (digits): "abc", "../../etc"\n');
    const sf = await runCli(['rescore', 'salesforce', '001000000000001', '001-bad'], { env: hubspot });
    expect(sf.code).toBe(2);
    expect(sf.stderr).toContain('not salesforce record ids (15 or 18 letters and digits): "001-bad"');
  });

  it('explain refuses an id the CRM cannot have', async () => {
    const r = await runCli(['explain', 'hubspot', '../x'], { env: hubspot });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('icp-sync: "../x" is not a hubspot record id (digits)\n');
  });

  it('failed retry names the ids it does not know and exits non-zero', async () => {
    const r = await runCli(['failed', 'retry', 'record:hubspot:companies:42', 'nonsense'], { env: hubspot });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('0 entries handed back to the queues\n');
    expect(r.stderr).toBe('icp-sync: no failed entry with id "record:hubspot:companies:42", "nonsense" (see `icp-sync failed list`)\n');
  });
});
