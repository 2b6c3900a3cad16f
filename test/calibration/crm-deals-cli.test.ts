/**
 * `calibrate --crm hubspot` end to end through the CLI: deals search, deal→company associations and
 * company batch reads answered by nock with documented shapes, the real connector and mappings
 * around them, and a real Redis for the shared limits. (The local sandbox has no deals endpoints.)
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { mulberry32 } from './synthetic-deals.ts';
import { removeTestKeys } from '../redis-keys.ts';

const HS = 'https://api.hubapi.com';
const prefix = `test-cal-${randomBytes(5).toString('hex')}`;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  for (const k of Object.keys(process.env)) if (k.startsWith('SALESFORCE_') || k.startsWith('HUBSPOT_')) delete process.env[k];
  Object.assign(process.env, { HUBSPOT_ACCESS_TOKEN: 'test-token', HUBSPOT_BASE_URL: HS, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
});

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  await removeTestKeys(redis, prefix);
  await redis.quit();
});

describe('calibrate --crm hubspot', () => {
  it('reads closed deals with their companies and calibrates on them', async () => {
    const rnd = mulberry32(3);
    const industries = ['COMPUTER_SOFTWARE', 'RETAIL', 'FINANCIAL_SERVICES', 'CONSTRUCTION'];
    // 120 companies; software wins 80 % of its deals, the rest 15 %; company 120 has two deals.
    const companies = Array.from({ length: 120 }, (_, i) => ({
      id: String(1000 + i),
      properties: { name: `Company ${i}`, domain: `c${i}.example`, industry: industries[i % 4] as string, numberofemployees: String(10 + i), country: 'France' },
    }));
    const deals = companies.map((c, i) => ({
      id: String(5000 + i),
      company: c.id,
      won: rnd() < (c.properties.industry === 'COMPUTER_SOFTWARE' ? 0.8 : 0.15),
      close: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString(),
    }));
    deals.push({ id: '9999', company: '1119', won: true, close: '2025-12-01T00:00:00.000Z' });
    deals.push({ id: '9998', company: '', won: false, close: '2025-12-02T00:00:00.000Z' });
    const dealObject = (d: (typeof deals)[number]) => ({
      id: d.id,
      properties: { amount: '1000', closedate: d.close, createdate: '2024-12-01T00:00:00.000Z', hs_is_closed: 'true', hs_is_closed_won: String(d.won) },
      createdAt: '2024-12-01T00:00:00.000Z',
      updatedAt: d.close,
      archived: false,
    });

    // The body matcher sees the parsed request body; requests are sequential, so the reply reads it.
    let body: { after?: string; inputs?: { id: string }[] } = {};
    const see = (b: typeof body): boolean => {
      body = b;
      return true;
    };
    nock(HS)
      .post('/crm/objects/2026-03/deals/search', see)
      .times(2)
      .reply(200, () => {
        const after = Number(body.after ?? 0);
        const page = deals.slice(after, after + 100).map(dealObject);
        return { total: deals.length, results: page, ...(after + 100 < deals.length ? { paging: { next: { after: String(after + 100) } } } : {}) };
      })
      .post('/crm/associations/2026-03/deals/companies/batch/read', see)
      .times(2)
      .reply(200, () => ({
        status: 'COMPLETE',
        results: (body.inputs ?? []).flatMap(({ id }) => {
          const d = deals.find((x) => x.id === id);
          return d === undefined || d.company === '' ? [] : [{ from: { id }, to: [{ toObjectId: Number(d.company), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }] }] }];
        }),
      }))
      .post('/crm/objects/2026-03/companies/batch/read', see)
      .query({ archived: 'false' })
      .times(2)
      .reply(200, () => ({
        status: 'COMPLETE',
        results: (body.inputs ?? []).map(({ id }) => companies.find((c) => c.id === id)).filter((c) => c !== undefined),
      }));

    let out = '';
    let err = '';
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) });
    const code = await main(['calibrate', '--crm', 'hubspot', '--since', '2024-06-01', '--no-model'], { stdout, stderr });
    expect(err).toMatch(/1 closed deal\(s\) have no companies and were left out/);
    expect(code).toBe(0);
    expect(out).toMatch(/hubspot deals closed since 2024-06-01: 121 rows → 120 accounts/);
    expect(out).toMatch(/industry = COMPUTER_SOFTWARE/);
    expect(out).toMatch(/criteria: industry/);
  });
});
