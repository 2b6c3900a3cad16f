/**
 * `calibrate --best FILE --crm salesforce` end to end against the local Salesforce sandbox org: the
 * base is every Account, read through the real connector (OAuth, SOQL paging, Account mapping).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';
import { removeTestKeys } from '../redis-keys.ts';

let sandbox: SalesforceSandbox;
let dir: string;
const prefix = `test-cal-${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ seed: { accounts: 400, seed: 8 } });
  dir = await mkdtemp(join(tmpdir(), 'icp-cal-sf-'));
  // This test file runs in its own process (vitest forks): the CLI reads its env from here.
  for (const k of Object.keys(process.env)) if (k.startsWith('SALESFORCE_') || k.startsWith('HUBSPOT_')) delete process.env[k];
  Object.assign(process.env, {
    SALESFORCE_LOGIN_URL: sandbox.url,
    SALESFORCE_CLIENT_ID: 'sandbox-client-id',
    SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
    SALESFORCE_API_VERSION: '65.0',
    SALESFORCE_OBJECTS: 'Account',
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
});

afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  await removeTestKeys(redis, prefix);
  await redis.quit();
});

describe('calibrate --best with the Salesforce base', () => {
  it('reads every Account as the reference and finds what the best customers share', async () => {
    const accounts = [...sandbox.store.records.Account.values()];
    const industries = [...new Set(accounts.map((a) => a['Industry']).filter((x): x is string => typeof x === 'string'))].sort();
    const target = new Set(industries.slice(0, 2));
    const best = accounts.filter((a) => target.has(String(a['Industry'])));
    const bestFile = join(dir, 'best.csv');
    await writeFile(bestFile, `account_id\n${best.map((a) => String(a['Id'])).join('\n')}\n`);

    let out = '';
    let err = '';
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) });
    const code = await main(['calibrate', '--best', bestFile, '--crm', 'salesforce', '--no-model', '--format', 'json'], { stdout, stderr });
    expect(err).not.toMatch(/not found in the base/);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { mode: string; accounts: number; won: number; suggestion: { attributes: { attribute: string }[] } };
    expect(doc.mode).toBe('best');
    expect(doc.accounts).toBe(accounts.length);
    expect(doc.won).toBe(best.length);
    expect(doc.suggestion.attributes[0]?.attribute).toBe('industry');
  });
});
