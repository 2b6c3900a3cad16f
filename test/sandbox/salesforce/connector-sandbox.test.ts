import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import type { SetupSpec } from '../../../src/connectors/port.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from '../../connectors/salesforce/helpers.ts';

const SPEC: SetupSpec = { tiers: ['A', 'B', 'C', 'D', 'X'], tags: ['saas', 'fintech', 'secteur-cible'] };

describe('Salesforce connector against the sandbox', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let ids: { accounts: string[]; leads: string[] };

  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    ids = sb.store.seed({ accounts: 450, leads: 60, seed: 7 });
    const env = sandboxEnv(sb.url);
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
  });

  afterAll(async () => {
    await connector.close();
    await r.cleanup(prefix);
    await sb.close();
  });

  it('sets up fields, picklists and the permission set, and a second run changes nothing', async () => {
    const dry = await connector.setup(SPEC, { dryRun: true });
    expect(dry.changed.length).toBeGreaterThan(0);
    expect(sb.store.customFields.size).toBe(0);

    const first = await connector.setup(SPEC);
    expect(first.problems).toEqual([]);
    expect(first.changed.some((l) => l.startsWith('Account.ICP_Tier__c created'))).toBe(true);
    expect(first.changed.some((l) => l.startsWith('Lead.ICP_Tags__c created'))).toBe(true);
    expect(sb.store.customFields.get('Account.ICP_Fit_Score__c')).toMatchObject({ type: 'Number', precision: 3, scale: 0 });
    expect(sb.store.customFields.get('Lead.ICP_Completeness__c')?.type).toBe('Percent');
    expect(sb.store.customFields.get('Account.ICP_Fit_Reasons__c')?.type).toBe('LongTextArea');
    expect(sb.store.access(sb.store.integrationUserId, 'Account', 'ICP_Tier__c')).toEqual({ read: true, edit: true });

    sb.resetStats();
    const second = await connector.setup(SPEC);
    expect(second.changed).toEqual([]);
    expect(second.problems).toEqual([]);
    expect(sb.stats()['metadata.upsertMetadata']).toBeUndefined();
  });

  it('adds new model tags and tiers to the picklists, keeping old values', async () => {
    const report = await connector.setup({ tiers: [...SPEC.tiers, 'E'], tags: [...SPEC.tags, 'grand-compte'] });
    expect(report.changed.some((l) => l.includes('Account.ICP_Tags__c updated: add values grand_compte (grand-compte)'))).toBe(true);
    const values = sb.store.customFields.get('Account.ICP_Tier__c')?.valueSet?.values.map((v) => v.fullName);
    expect(values).toEqual(['A', 'B', 'C', 'D', 'X', 'E']);
  });

  it('reads only the requested fields by id, in chunks, skipping unknown and malformed ids', async () => {
    const wanted = [...ids.accounts.slice(0, 3), '001000000000ZZZAAA', 'not-an-id'];
    const recs = await connector.readByIds('Account', wanted, ['Name', 'Industry', 'ICP_Fit_Score__c']);
    expect(recs.map((x) => x.id)).toEqual(ids.accounts.slice(0, 3));
    expect(Object.keys(recs[0]?.fields ?? {}).sort()).toEqual(['ICP_Fit_Score__c', 'Industry', 'Name']);
    expect(recs[0]?.modifiedAt).toMatch(/Z$/);
  });

  it('lists every record once across query + queryMore pages', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await connector.listAll('Account', ['Name'], cursor);
      for (const rec of page.records) {
        expect(seen.has(rec.id)).toBe(false);
        seen.add(rec.id);
      }
      cursor = page.next;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(450);
    expect(pages).toBe(1);
  });

  it('writes with collections, retries locked rows, and reports per-record failures', async () => {
    const [a, b, c] = ids.accounts as [string, string, string];
    sb.store.injectLockFailures([b], 2);
    const out = await connector.writeChanges('Account', [
      { id: a, fields: { ICP_Fit_Score__c: 81, ICP_Tier__c: 'A', ICP_Tags__c: 'saas;fintech' } },
      { id: b, fields: { ICP_Fit_Score__c: 62, ICP_Tier__c: 'B' } },
      { id: c, fields: { ICP_Tier__c: 'Z' } },
    ]);
    expect(out.written.sort()).toEqual([a, b].sort());
    expect(out.failed).toEqual([expect.objectContaining({ id: c, code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', retryable: false })]);
    expect(out.calls).toBe(3);
    expect(sb.store.get('Account', a)).toMatchObject({ ICP_Fit_Score__c: 81, ICP_Tags__c: 'saas;fintech', LastModifiedById: sb.store.integrationUserId });
  });

  it('refreshes an expired session and loses no work', async () => {
    const before = sb.stats()['oauth.token'] ?? 0;
    sb.store.expireSessions();
    const out = await connector.writeChanges('Lead', ids.leads.slice(0, 5).map((id) => ({ id, fields: { ICP_Fit_Score__c: 40 } })));
    expect(out.written).toHaveLength(5);
    expect(sb.stats()['oauth.token']).toBe(before + 1);
    for (const id of ids.leads.slice(0, 5)) expect(sb.store.get('Lead', id)?.ICP_Fit_Score__c).toBe(40);
  });

  it('merges two changes of one record into one write', async () => {
    const id = ids.accounts[10] as string;
    const out = await connector.writeChanges('Account', [
      { id, fields: { ICP_Fit_Score__c: 12 } },
      { id, fields: { ICP_Tier__c: 'C' } },
    ]);
    expect(out).toEqual({ written: [id], failed: [], calls: 1 });
    expect(sb.store.get('Account', id)).toMatchObject({ ICP_Fit_Score__c: 12, ICP_Tier__c: 'C' });
  });

  it('refuses background work under the daily reserve', async () => {
    sb.store.setApiLimit(1000, 950);
    await connector.readByIds('Account', ids.accounts.slice(0, 1), ['Name']);
    // The usage Salesforce reported (Sforce-Limit-Info), as the dispatcher reads it.
    expect(await connector.dailyUsage()).toEqual({ used: sb.store.apiUsed, limit: 1000 });
    await expect(
      connector.writeChanges('Account', [{ id: ids.accounts[0] as string, fields: { ICP_Fit_Score__c: 1 } }], { background: true }),
    ).rejects.toMatchObject({ name: 'CrmRateLimitError', daily: true });
    sb.store.setApiLimit(100_000, 0);
    await connector.readByIds('Account', ids.accounts.slice(0, 1), ['Name']);
  });
});

describe('sessions that time out', () => {
  it('re-authenticates when the access token reaches its lifetime', async () => {
    const sb = await startSalesforceSandbox({ sessionTtlMs: 150 });
    const { accounts } = sb.store.seed({ accounts: 3, seed: 9 });
    const env = sandboxEnv(sb.url, { SALESFORCE_OBJECTS: 'Account' });
    const r = testRedis();
    const c = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    try {
      expect(await c.readByIds('Account', accounts, ['Name'])).toHaveLength(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await c.readByIds('Account', accounts, ['Name'])).toHaveLength(3);
      expect(sb.stats()['oauth.token']).toBe(2);
    } finally {
      await r.cleanup(env.REDIS_PREFIX);
      await sb.close();
    }
  });
});

describe('a model without tags', () => {
  it('still gets a tags field (one inactive placeholder value) so empty selections can be written', async () => {
    const sb = await startSalesforceSandbox();
    const { accounts } = sb.store.seed({ accounts: 2, seed: 4 });
    const env = sandboxEnv(sb.url, { SALESFORCE_OBJECTS: 'Account' });
    const r = testRedis();
    const c = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    try {
      const report = await c.setup({ tiers: ['A', 'B', 'X'], tags: [] });
      expect(report.problems).toEqual([]);
      expect(sb.store.customFields.get('Account.ICP_Tags__c')?.valueSet?.values.map((v) => v.fullName)).toEqual(['icp_no_tags']);
      const out = await c.writeChanges('Account', [{ id: accounts[0] as string, fields: { ICP_Tags__c: null, ICP_Tier__c: 'B' } }]);
      expect(out.failed).toEqual([]);
      expect((await c.setup({ tiers: ['A', 'B', 'X'], tags: [] })).changed).toEqual([]);
    } finally {
      await r.cleanup(env.REDIS_PREFIX);
      await sb.close();
    }
  });
});

describe('concurrency cap shared through Redis', () => {
  it('never has more calls in flight than SALESFORCE_MAX_CONCURRENCY, across connector instances', async () => {
    const sb = await startSalesforceSandbox();
    const { accounts } = sb.store.seed({ accounts: 40, seed: 2 });
    const env = sandboxEnv(sb.url, { SALESFORCE_MAX_CONCURRENCY: '2' });
    const r = testRedis();
    // Two connectors on one Redis prefix stand for two worker processes.
    const a = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    const b = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    try {
      await Promise.all([a, b].map((c) => c.readByIds('Account', accounts.slice(0, 1), ['Name'])));
      sb.store.latencyMs = 30;
      sb.store.maxInFlight = 0;
      const reads = accounts.slice(0, 12).map((id, i) => (i % 2 === 0 ? a : b).readByIds('Account', [id], ['Name']));
      const results = await Promise.all(reads);
      expect(results.flat()).toHaveLength(12);
      expect(sb.store.maxInFlight).toBeGreaterThan(0);
      expect(sb.store.maxInFlight).toBeLessThanOrEqual(2);
    } finally {
      await r.cleanup(env.REDIS_PREFIX);
      await sb.close();
    }
  });
});
