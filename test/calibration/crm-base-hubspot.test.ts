/**
 * `calibrate --best FILE --crm hubspot` end to end against the local HubSpot sandbox: the base is
 * read through the real connector (listing, mappings, shared Redis limits). The sandbox has no deals
 * endpoints, so `--crm` deal input is covered by the nock tests in crm-deals.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { removeTestKeys } from '../redis-keys.ts';

let sandbox: HubSpotSandbox;
let dir: string;
const prefix = `test-cal-${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 400, randomSeed: 7 });
  dir = await mkdtemp(join(tmpdir(), 'icp-cal-crm-'));
  // This test file runs in its own process (vitest forks): the CLI reads its env from here.
  for (const k of Object.keys(process.env)) if (k.startsWith('SALESFORCE_') || k.startsWith('HUBSPOT_')) delete process.env[k];
  Object.assign(process.env, { HUBSPOT_ACCESS_TOKEN: sandbox.accessToken, HUBSPOT_BASE_URL: sandbox.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
});

afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  await removeTestKeys(redis, prefix);
  await redis.quit();
});

describe('calibrate --best with the HubSpot base', () => {
  it('reads every company as the reference and finds what the best customers share', async () => {
    const companies = sandbox.store.list();
    const industries = [...new Set(companies.map((c) => c.properties['industry']).filter((x): x is string => typeof x === 'string'))].sort();
    const target = new Set(industries.slice(0, 2));
    const best = companies.filter((c) => target.has(c.properties['industry'] ?? ''));
    const bestFile = join(dir, 'best.csv');
    // Matched to the base by domain, as a RevOps export would be.
    await writeFile(bestFile, `domain\n${best.map((c) => `https://www.${c.properties['domain']}/`).join('\n')}\n`);

    let out = '';
    let err = '';
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) });
    const code = await main(['calibrate', '--best', bestFile, '--crm', 'hubspot', '--no-model', '--format', 'json'], { stdout, stderr });
    expect(err).not.toMatch(/not found in the base/);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as {
      mode: string;
      accounts: number;
      won: number;
      distribution: { population: string; size: number };
      suggestion: { attributes: { attribute: string; weight: number }[] };
    };
    expect(doc.mode).toBe('best');
    expect(doc.accounts).toBe(companies.length);
    expect(doc.won).toBe(best.length);
    expect(doc.distribution).toMatchObject({ population: 'base', size: companies.length });
    expect(doc.suggestion.attributes[0]?.attribute).toBe('industry');
  });
});
