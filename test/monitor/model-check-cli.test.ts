/**
 * `calibrate --crm hubspot --check` end to end against the local HubSpot sandbox (real connector, real
 * Redis under an isolated prefix): deals closed before the model was published do not count; deals
 * closed since, where companies that fit lose, raise the warnings and exit 4; the check is stored where
 * `/admin/model` reads it.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { modelHealthKeys } from '../../src/pipeline/model-health.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { companyFit } from '../../src/sandbox/hubspot/seed-deals.ts';
import { dealsOf, startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';

let sandbox: HubSpotSandbox;
const prefix = `test-check-${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 200, contactsPerCompany: 2, deals: true, randomSeed: 3 });
  for (const k of Object.keys(process.env)) if (k.startsWith('SALESFORCE_') || k.startsWith('HUBSPOT_') || k.startsWith('ICP_')) delete process.env[k];
  Object.assign(process.env, { HUBSPOT_ACCESS_TOKEN: sandbox.accessToken, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
});

afterAll(async () => {
  await sandbox.close();
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  await deleteKeys(redis, `{${prefix}}:*`);
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
  const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) });
  const code = await main(args, { stdout, stderr });
  return { code, out, err };
}

describe('calibrate --crm hubspot --check', () => {
  it('says there are too few deals since publication, then warns once deals closed since tell the model is wrong', async () => {
    const first = await run(['calibrate', '--crm', 'hubspot', '--check']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^model 2026\.\d+ \(hubspot\), published \d{4}-\d{2}-\d{2}, 0 days old, re-challenge by \d{4}-\d{2}-\d{2}: 0 deal\(s\) closed since \d{4}-\d{2}-\d{2}: too few to judge — no verdict yet$/m);

    // Deals closed today, where the companies that fit the example model lose and the others win.
    const deals = dealsOf(sandbox.store);
    const today = new Date().toISOString();
    for (const c of sandbox.store.list().slice(0, 120)) {
      const fits = companyFit(c.properties) >= 0.5;
      deals.create({ properties: { dealname: 'Renouvellement', amount: '12000', closedate: today, dealstage: fits ? 'closedlost' : 'closedwon' }, companyIds: [c.id] });
    }
    const second = await run(['calibrate', '--crm', 'hubspot', '--check', '--format', 'json']);
    expect(second.code).toBe(4);
    const report = JSON.parse(second.out) as { n: number; auc: number; warnings: Array<{ code: string }>; status: string };
    expect(report.n).toBe(120);
    expect(report.auc).toBeLessThan(0.5);
    expect(report.status).toBe('warning');
    expect(report.warnings.map((w) => w.code)).toContain('auc_below_threshold');

    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.llen(modelHealthKeys(prefix).history('hubspot'))).toBe(2);
    } finally {
      await redis.quit();
    }
  });

  it('refuses --check without --crm', async () => {
    const res = await run(['calibrate', '--input', 'examples/deals.csv', '--check']);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/--check needs --crm/);
  });
});
