import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { limiterKeyFor } from '../../../src/connectors/hubspot/connector.ts';
import { syncHubSpotOptions } from '../../../src/connectors/hubspot/setup-command.ts';
import { windowKey } from '../../../src/rate-limit/keys.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { redisConnector, silentLogger, SPEC, testEnv } from './helpers.ts';

let sandbox: HubSpotSandbox;
const saved = { ...process.env };
const CLI_PREFIX = testEnv().REDIS_PREFIX;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString()));
  stderr.on('data', (c: Buffer) => (e += c.toString()));
  const code = await main(args, { stdout, stderr });
  return { code, stdout: o, stderr: e };
}

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 5, tokens: { 'no-schema-write': { scopes: ['crm.objects.companies.read', 'crm.objects.companies.write', 'crm.schemas.companies.read'] } } });
  Object.assign(process.env, {
    HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
    HUBSPOT_BASE_URL: sandbox.url,
    REDIS_PREFIX: CLI_PREFIX,
    ICP_MODEL_PATH: 'config/icp.example.yaml',
    ICP_MAPPINGS_PATH: 'config/mappings.yaml',
    LOG_LEVEL: 'silent',
  });
});

afterAll(async () => {
  process.env = saved;
  await sandbox.close();
});

describe('icp-sync setup hubspot (against the sandbox)', () => {
  it('shows the plan on a dry run and changes nothing', async () => {
    const res = await cli(['setup', 'hubspot', '--dry-run']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('would create property group icp_sync');
    expect(res.stdout).toContain('would create property icp_fit_score');
    expect(sandbox.store.properties.has('icp_fit_score')).toBe(false);
  });

  it('creates everything on the first run and changes nothing on the second', async () => {
    const first = await cli(['setup', 'hubspot']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+ create property group icp_sync');
    for (const name of ['icp_fit_score', 'icp_tier', 'icp_tags', 'icp_fit_reasons', 'icp_completeness', 'icp_model_version', 'icp_scored_at']) {
      expect(sandbox.store.properties.get(name)?.groupName).toBe('icp_sync');
    }
    expect(sandbox.store.properties.get('icp_scored_at')?.type).toBe('datetime');
    expect(sandbox.store.properties.get('icp_tags')?.fieldType).toBe('checkbox');
    sandbox.store.resetStats();
    const second = await cli(['setup', 'hubspot']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to change');
    expect(second.stdout).not.toContain('+ ');
    const writes = Object.entries(sandbox.store.stats().byRoute).filter(([route]) => /create|update|archive/.test(route));
    expect(writes).toEqual([]);
  });

  it('adds new tiers and tags and never removes existing options', async () => {
    const rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url }));
    try {
      const tierBefore = sandbox.store.properties.get('icp_tier')!.options.map((o) => o.value);
      const report = await rc.connector.setup({ tiers: ['A', 'Z'], tags: ['brand-new'] });
      expect(report.problems).toEqual([]);
      expect(report.changed).toEqual(['add option Z to icp_tier', 'add option brand-new to icp_tags']);
      const tierAfter = sandbox.store.properties.get('icp_tier')!.options.map((o) => o.value);
      expect(tierAfter).toEqual([...tierBefore, 'Z']);
    } finally {
      await rc.close();
    }
  });

  it('syncs options at start only when the model changed', async () => {
    const rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url }));
    try {
      const base = { connector: rc.connector, redis: rc.redis, prefix: rc.env.REDIS_PREFIX, logger: silentLogger };
      const first = await syncHubSpotOptions({ ...base, spec: { ...SPEC, tags: [...SPEC.tags, 'start-tag'] } });
      expect(first.ran && first.report.changed).toEqual(['add options saas, fintech, secteur-cible, start-tag to icp_tags']);
      expect(await syncHubSpotOptions({ ...base, spec: { ...SPEC, tags: [...SPEC.tags, 'start-tag'] } })).toEqual({ ran: false });
    } finally {
      await rc.close();
    }
  });

  it('spends the burst budget the workers share in Redis: every call it makes is in the shared window', async () => {
    const r = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const window = windowKey(CLI_PREFIX, `${limiterKeyFor(sandbox.accessToken)}:burst`);
    try {
      await r.del(window);
      sandbox.store.resetStats();
      const res = await cli(['setup', 'hubspot']);
      expect(res.code).toBe(0);
      const calls = sandbox.store.stats().total;
      expect(calls).toBeGreaterThan(0);
      // The service started right after sees these calls in the window and does not go over the limit.
      expect(await r.zcard(window)).toBe(calls);
    } finally {
      await r.quit();
    }
  });

  it('goes on with an in-process limiter when Redis does not answer, and says so', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    try {
      const res = await cli(['setup', 'hubspot']);
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('Redis does not answer');
      expect(res.stdout).toContain('Nothing to change');
    } finally {
      process.env.REDIS_URL = saved.REDIS_URL ?? 'redis://127.0.0.1:6379';
    }
  });

  it('reports missing scopes with --check and on setup', async () => {
    process.env.HUBSPOT_ACCESS_TOKEN = 'no-schema-write';
    try {
      const check = await cli(['setup', 'hubspot', '--check']);
      expect(check.code).toBe(1);
      expect(check.stdout).toContain('FIX the token lacks scope crm.schemas.companies.write');
    } finally {
      process.env.HUBSPOT_ACCESS_TOKEN = sandbox.accessToken;
    }
  });

  it('asks for HUBSPOT_ACCESS_TOKEN when it is missing', async () => {
    process.env.HUBSPOT_ACCESS_TOKEN = '';
    try {
      const res = await cli(['setup', 'hubspot']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('HUBSPOT_ACCESS_TOKEN is not set');
    } finally {
      process.env.HUBSPOT_ACCESS_TOKEN = sandbox.accessToken;
    }
  });
});

afterAll(async () => {
  const r = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await r.keys(`${CLI_PREFIX}:*`);
  if (keys.length > 0) await r.del(...keys);
  await r.quit();
});

describe('icp-sync setup hubspot with buying roles', () => {
  it('with a model that has roles, also creates the contact properties and the committee properties', async () => {
    const fresh = await startHubSpotSandbox({ seed: 2 });
    const env = { url: process.env.HUBSPOT_BASE_URL, token: process.env.HUBSPOT_ACCESS_TOKEN };
    Object.assign(process.env, { HUBSPOT_BASE_URL: fresh.url, HUBSPOT_ACCESS_TOKEN: fresh.accessToken });
    let res: Awaited<ReturnType<typeof cli>>;
    try {
      res = await cli(['setup', 'hubspot', '--model', 'test/fixtures/cli/roles-model.yaml']);
    } finally {
      Object.assign(process.env, { HUBSPOT_BASE_URL: env.url, HUBSPOT_ACCESS_TOKEN: env.token });
      await fresh.close();
    }
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const role = fresh.store.contactProperties.get('icp_buying_role');
    expect(role?.groupName).toBe('icp_sync');
    expect(role?.options.map((o) => o.value)).toEqual(['decision_maker', 'buyer', 'user', 'none']);
    expect(fresh.store.contactProperties.get('icp_priority_tier')?.options.map((o) => o.value)).toEqual(['P1', 'P2', 'P3', 'X']);
    for (const name of ['icp_priority_score', 'icp_account_tier', 'icp_model_version', 'icp_scored_at']) expect(fresh.store.contactProperties.has(name), name).toBe(true);
    for (const name of ['icp_committee_coverage', 'icp_missing_roles']) expect(fresh.store.properties.has(name), name).toBe(true);
  });
});
