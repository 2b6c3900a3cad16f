import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { inputFields, mapRecord } from '../../../src/mappings/apply.ts';
import { DEFAULT_MAPPINGS } from '../../../src/mappings/defaults.ts';
import type { ObjectMapping } from '../../../src/mappings/types.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from '../../connectors/salesforce/helpers.ts';

const mappingOf = (type: 'Account' | 'Lead'): ObjectMapping => {
  const m = DEFAULT_MAPPINGS.salesforce?.[type];
  if (!m) throw new Error(`no default mapping for ${type}`);
  return m;
};

describe('Salesforce org without State and Country/Territory Picklists (sandbox)', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let ids: { accounts: string[]; leads: string[] };

  beforeAll(async () => {
    sb = await startSalesforceSandbox({ countryPicklists: false });
    ids = sb.store.seed({ accounts: 30, leads: 10, seed: 3 });
    const env = sandboxEnv(sb.url);
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    const report = await connector.setup({ tiers: ['A', 'B', 'C', 'D', 'X'], tags: ['saas'] });
    expect(report.problems).toEqual([]);
  });

  afterAll(async () => {
    await connector.close();
    await r.cleanup(prefix);
    await sb.close();
  });

  const readFields = (type: 'Account' | 'Lead') => [...inputFields(mappingOf(type)), ...connector.outputFields(type).map((f) => f.name)];

  it('has no country code fields, as such an org', () => {
    expect(sb.store.fieldExists('Account', 'BillingCountryCode')).toBe(false);
    expect(sb.store.fieldExists('Lead', 'CountryCode')).toBe(false);
    expect(sb.store.fieldExists('Account', 'BillingCountry')).toBe(true);
    expect(readFields('Account')).toContain('BillingCountryCode');
  });

  it('reads Accounts by id with the default mapping, country from BillingCountry', async () => {
    sb.resetStats();
    const wanted = ids.accounts.slice(0, 5);
    const records = await connector.readByIds('Account', wanted, readFields('Account'));
    expect(records.map((x) => x.id).sort()).toEqual([...wanted].sort());
    const withCountry = records.find((x) => typeof x.fields.BillingCountry === 'string');
    if (!withCountry) throw new Error('seed gave no Account a country');
    expect(withCountry.fields.BillingCountryCode).toBeNull();
    const mapped = mapRecord(mappingOf('Account'), withCountry);
    expect(mapped.provenance.country).toEqual({ source: 'crm:BillingCountry' });
    expect(mapped.attributes.country).toEqual(expect.any(String));
    await connector.readByIds('Account', ids.accounts.slice(5, 10), readFields('Account'));
    expect(sb.stats().describe).toBe(1);
    expect(sb.stats()['composite.retrieve']).toBe(2);
  });

  it('lists Leads in full and incrementally', async () => {
    const all = await connector.listAll('Lead', readFields('Lead'));
    expect(all.records).toHaveLength(10);
    expect(all.records.every((x) => x.fields.CountryCode === null)).toBe(true);
    const lead = ids.leads[0] ?? '';
    const since = new Date(Date.now() - 1000).toISOString();
    sb.store.update('Lead', lead, { Industry: 'Technology', Country: 'Germany' });
    const changed = await connector.listModifiedSince('Lead', readFields('Lead'), since);
    expect(changed.records.map((x) => x.id)).toEqual([lead]);
    const [rec] = changed.records;
    if (!rec) throw new Error('no changed lead');
    expect(mapRecord(mappingOf('Lead'), rec).attributes.country).toBe('DE');
  });
});
