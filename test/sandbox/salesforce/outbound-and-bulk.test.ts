import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { salesforceWebhookRoutes } from '../../../src/connectors/salesforce/webhook-route.ts';
import type { RescoreProducer, RescoreRequest } from '../../../src/pipeline/requests.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from '../../connectors/salesforce/helpers.ts';

const TOKEN = 'outbound-shared-token-123';

describe('sandbox outbound messages and Bulk API 2.0 backfill', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let app: FastifyInstance;
  const received: RescoreRequest[] = [];
  let accounts: string[];

  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    accounts = sb.store.seed({ accounts: 20_000, leads: 10, seed: 11 }).accounts;
    const env = sandboxEnv(sb.url, { SALESFORCE_ORG_ID: sb.store.orgId, SALESFORCE_WEBHOOK_TOKEN: TOKEN });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    await connector.setup({ tiers: ['A', 'B', 'C', 'D', 'X'], tags: ['saas', 'fintech'] });

    const producer: RescoreProducer = { enqueue: async (reqs) => void received.push(...reqs) };
    app = Fastify();
    await app.register(salesforceWebhookRoutes, { env, producer, integrationUserId: sb.store.integrationUserId, logger: quietLogger() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    sb.setOutboundTarget(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/salesforce`, { token: TOKEN });
  });

  afterAll(async () => {
    sb.setOutboundTarget(undefined);
    await app.close();
    await connector.close();
    await r.cleanup(prefix);
    await sb.close();
  });

  it('a rep edit sends an outbound message that is queued and acknowledged', async () => {
    const id = accounts[0] as string;
    sb.store.update('Account', id, { Industry: 'Software', NumberOfEmployees: 320 });
    await sb.waitForOutbound();
    expect(received).toEqual([expect.objectContaining({ crm: 'salesforce', objectType: 'Account', id, trigger: 'webhook' })]);
    expect(sb.outboundStats()).toMatchObject({ acked: 1, nacks: 0 });
  });

  it('our own writes of output fields send nothing, and our input edits are dropped by the loop guard', async () => {
    received.length = 0;
    const id = accounts[1] as string;
    await connector.writeChanges('Account', [{ id, fields: { ICP_Fit_Score__c: 90, ICP_Tier__c: 'A' } }]);
    // A value the seeded Account does not hold already, so the edit is a change.
    const industry = sb.store.get('Account', id)?.Industry === 'Banking' ? 'Insurance' : 'Banking';
    sb.store.update('Account', id, { Industry: industry }, sb.store.integrationUserId);
    await sb.waitForOutbound();
    expect(received).toEqual([]);
    expect(sb.outboundStats().acked).toBe(2);
  });

  it('a wrong token is refused and Salesforce keeps retrying', async () => {
    received.length = 0;
    const port = (app.server.address() as AddressInfo).port;
    sb.setOutboundTarget(`http://127.0.0.1:${port}/webhooks/salesforce`, { token: 'wrong' });
    sb.store.update('Account', accounts[2] as string, { Industry: 'Retail' });
    await sb.waitForOutbound();
    expect(received).toEqual([]);
    expect(sb.outboundStats().nacks).toBeGreaterThanOrEqual(2);
    sb.setOutboundTarget(`http://127.0.0.1:${port}/webhooks/salesforce`, { token: TOKEN });
  });

  it('lists 20,000 records in pages of 2,000 and resumes by key when the query locator expired', async () => {
    const seen = new Map<string, number>();
    let page = await connector.listAll('Account', ['Name']);
    for (const rec of page.records) seen.set(rec.id, 1);
    expect(page.records).toHaveLength(2000);
    sb.store.expireQueryLocators();
    let pages = 1;
    while (page.next) {
      page = await connector.listAll('Account', ['Name'], page.next);
      for (const rec of page.records) seen.set(rec.id, (seen.get(rec.id) ?? 0) + 1);
      pages += 1;
    }
    expect(seen.size).toBe(20_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(pages).toBe(10);
  });

  it('writes a 20,000-record backfill through Bulk API 2.0 in a handful of calls', async () => {
    sb.resetStats();
    sb.store.injectLockFailures([accounts[5] as string], 1);
    // The session expires just before the job is created: Bulk API 2.0 calls re-authenticate too.
    sb.store.expireSessions();
    const changes = accounts.map((id, i) => ({
      id,
      fields: { ICP_Fit_Score__c: i % 101, ICP_Tier__c: i % 2 === 0 ? 'A' : 'B', ICP_Tags__c: i % 3 === 0 ? 'saas;fintech' : null, ICP_Fit_Reasons__c: `+${i % 30} Secteur: "Software", ok` },
    }));
    const out = await connector.writeChanges('Account', changes, { mode: 'bulk', background: true });
    expect(out.written).toHaveLength(19_999);
    expect(out.failed).toEqual([expect.objectContaining({ id: accounts[5], code: 'UNABLE_TO_LOCK_ROW', retryable: true })]);
    const stats = sb.stats();
    expect(stats['bulk.create']).toBe(1);
    expect(stats['oauth.token']).toBe(1);
    expect(stats['composite.update']).toBeUndefined();
    expect(out.calls).toBeLessThan(20);
    expect(sb.store.get('Account', accounts[3] as string)).toMatchObject({ ICP_Fit_Score__c: 3, ICP_Tier__c: 'B', ICP_Tags__c: 'saas;fintech', ICP_Fit_Reasons__c: '+3 Secteur: "Software", ok' });
    expect(sb.store.get('Account', accounts[4] as string)?.ICP_Tags__c).toBeNull();
  });
});
