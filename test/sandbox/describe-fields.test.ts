/**
 * The connectors' field listings (console Mappings page) against both sandboxes over HTTP: the
 * sandboxes answer as the real APIs do (HubSpot `hubspotDefined` on its own properties only,
 * Salesforce standard fields with their labels and describe types), and fields setup creates show up
 * as custom once the listing is read again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../src/connectors/salesforce/connector.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';
import { redisConnector, SPEC, testEnv, type RedisConnector } from '../connectors/hubspot/helpers.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from '../connectors/salesforce/helpers.ts';

describe('HubSpot properties listing (sandbox)', () => {
  let sandbox: HubSpotSandbox;
  let rc: RedisConnector;
  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ seed: 3, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url }));
  });
  afterAll(async () => {
    await rc.close();
    await sandbox.close();
  });

  it('lists HubSpot-defined properties as standard and the ones setup creates as custom', async () => {
    const before = (await rc.connector.describeFields?.('companies')) ?? [];
    expect(before.find((f) => f.name === 'numberofemployees')).toEqual({ name: 'numberofemployees', label: 'Number of Employees', type: 'number', custom: false, options: 0 });
    expect(before.find((f) => f.name === 'industry')?.options).toBeGreaterThan(10);
    expect(before.some((f) => f.name === 'icp_tier')).toBe(false);
    expect((await rc.connector.setup(SPEC)).problems).toEqual([]);
    const after = (await rc.connector.describeFields?.('companies')) ?? [];
    expect(after.find((f) => f.name === 'icp_tier')).toMatchObject({ type: 'enumeration', custom: true });
    expect(after.map((f) => f.name)).toEqual([...after.map((f) => f.name)].sort());
  });
});

describe('Salesforce describe (sandbox)', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    sb.store.seed({ accounts: 3, leads: 3, seed: 7 });
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

  it('lists the standard fields with their labels and types', async () => {
    const account = (await connector.describeFields?.('Account')) ?? [];
    expect(account.find((f) => f.name === 'NumberOfEmployees')).toEqual({ name: 'NumberOfEmployees', label: 'Employees', type: 'int', custom: false, options: 0 });
    expect(account.find((f) => f.name === 'Id')).toMatchObject({ label: 'Account ID', type: 'id' });
    expect(account.find((f) => f.name === 'Name')).toMatchObject({ label: 'Account Name', type: 'string' });
    expect(account.find((f) => f.name === 'Website')?.type).toBe('url');
    const lead = (await connector.describeFields?.('Lead')) ?? [];
    expect(lead.find((f) => f.name === 'Company')).toMatchObject({ label: 'Company', type: 'string', custom: false });
  });
});
