import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { RestRequest } from '../../../src/connectors/salesforce/client.ts';
import { FieldCatalog, type DescribeClient } from '../../../src/connectors/salesforce/field-catalog.ts';
import { CrmError } from '../../../src/errors.ts';
import { quietLogger } from './helpers.ts';

/** Answers describes from `orgs[call]` (the org as it is at each call), recording the urls. */
function fakeClient(orgs: Array<string[] | Error>): DescribeClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async rest<S extends z.ZodType>(_op: string, req: RestRequest, schema: S): Promise<z.infer<S>> {
      urls.push(req.url);
      const org = orgs[Math.min(urls.length - 1, orgs.length - 1)] ?? [];
      await Promise.resolve();
      if (org instanceof Error) throw org;
      return schema.parse({ name: 'Account', fields: org.map((name) => ({ name })) });
    },
  };
}

describe('FieldCatalog', () => {
  it('describes once for concurrent and later reads, matching names case-insensitively', async () => {
    const client = fakeClient([['Id', 'Name', 'BillingCountry']]);
    const catalog = new FieldCatalog(client, quietLogger());
    const asked = ['name', 'BillingCountryCode', 'BillingCountry'];
    const [a, b] = await Promise.all([catalog.present('Account', asked), catalog.present('Account', asked)]);
    expect(a).toEqual(['name', 'BillingCountry']);
    expect(b).toEqual(a);
    await catalog.present('Account', asked);
    expect(client.urls).toEqual(['/sobjects/Account/describe']);
  });

  it('describes again once the cache is older than its lifetime, or after forget()', async () => {
    let now = 0;
    const client = fakeClient([['Name'], ['Name', 'ICP_Tier__c'], ['Name']]);
    const catalog = new FieldCatalog(client, quietLogger(), { ttlMs: 1000, now: () => now });
    expect(await catalog.present('Account', ['ICP_Tier__c'])).toEqual([]);
    now = 999;
    expect(await catalog.present('Account', ['ICP_Tier__c'])).toEqual([]);
    now = 1000;
    expect(await catalog.present('Account', ['ICP_Tier__c'])).toEqual(['ICP_Tier__c']);
    catalog.forget();
    expect(await catalog.present('Account', ['ICP_Tier__c'])).toEqual([]);
    expect(client.urls).toHaveLength(3);
  });

  it('does not keep a failed describe', async () => {
    const client = fakeClient([new CrmError('salesforce describe: 503', { crm: 'salesforce' }), ['Name']]);
    const catalog = new FieldCatalog(client, quietLogger());
    await expect(catalog.present('Account', ['Name'])).rejects.toBeInstanceOf(CrmError);
    expect(await catalog.present('Account', ['Name'])).toEqual(['Name']);
  });

  it('leaves out a field marked absent until the next describe', async () => {
    const client = fakeClient([['Name', 'Website']]);
    const catalog = new FieldCatalog(client, quietLogger());
    await catalog.markAbsent('Account', 'WEBSITE');
    expect(await catalog.present('Account', ['Name', 'Website'])).toEqual(['Name']);
    expect(client.urls).toHaveLength(1);
  });
});
