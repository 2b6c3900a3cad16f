/**
 * The CRM deal readers against documented response shapes (nock). The local sandboxes do not serve
 * deals or Opportunities, so these are the tests of the HTTP side of `calibrate --crm`.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hubspotPaths } from '../../src/connectors/hubspot/paths.ts';
import { createSalesforceConnector } from '../../src/connectors/salesforce/connector.ts';
import { fetchHubSpotClosedDeals } from '../../src/calibration/hubspot-deals.ts';
import { closedOpportunitiesSoql, fetchSalesforceClosedDeals } from '../../src/calibration/salesforce-deals.ts';
import { CrmAuthError } from '../../src/errors.ts';
import { fastConnector, testEnv } from '../connectors/hubspot/helpers.ts';
import { FAST, quietLogger, sandboxEnv, testRedis } from '../connectors/salesforce/helpers.ts';

const HS = 'https://api.hubapi.com';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function hsDeal(id: string, won: boolean, close: string, amount: string | null, created = '2025-01-01T00:00:00.000Z') {
  return {
    id,
    properties: { amount, closedate: close, createdate: created, hs_is_closed: 'true', hs_is_closed_won: String(won), dealstage: won ? 'closedwon' : 'closedlost' },
    createdAt: created,
    updatedAt: close,
    archived: false,
  };
}

describe('HubSpot closed deals', () => {
  it('searches closed deals since the date, pages, and takes the primary company', async () => {
    const env = testEnv();
    const connector = fastConnector(env);
    const bodies: Record<string, unknown>[] = [];
    nock(HS)
      .post('/crm/objects/2026-03/deals/search', (b: Record<string, unknown>) => {
        bodies.push(b);
        return b['after'] === undefined;
      })
      .reply(200, { total: 3, results: [hsDeal('1', true, '2025-02-10T12:00:00.000Z', '1200.5'), hsDeal('2', false, '2025-03-01T08:00:00.000Z', '')], paging: { next: { after: '2' } } })
      .post('/crm/objects/2026-03/deals/search', (b: Record<string, unknown>) => {
        bodies.push(b);
        return b['after'] === '2';
      })
      .reply(200, { total: 3, results: [hsDeal('3', true, '2025-04-01T00:00:00.000Z', '900')] });
    nock(HS)
      .post('/crm/associations/2026-03/deals/companies/batch/read', { inputs: [{ id: '1' }, { id: '2' }, { id: '3' }] })
      .reply(207, {
        status: 'COMPLETE',
        results: [
          { from: { id: '1' }, to: [{ toObjectId: 11, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }] }, { toObjectId: 12, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }] }] },
          { from: { id: '2' }, to: [{ toObjectId: 13, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }] }] },
        ],
        numErrors: 1,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'No company associated', context: {} }],
      });

    const deals = await fetchHubSpotClosedDeals(connector.client, hubspotPaths(env.HUBSPOT_API_VERSION), '2024-11-26');
    expect(nock.isDone()).toBe(true);
    expect(bodies[0]).toMatchObject({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_is_closed', operator: 'EQ', value: 'true' },
            { propertyName: 'closedate', operator: 'GTE', value: String(Date.parse('2024-11-26T00:00:00Z')) },
          ],
        },
      ],
      sorts: [{ propertyName: 'closedate', direction: 'ASCENDING' }],
      limit: 200,
    });
    expect(deals).toEqual([
      { id: '1', won: true, amount: 1200.5, closeDate: '2025-02-10', cycleDays: 40, accountId: '12' },
      { id: '2', won: false, closeDate: '2025-03-01', cycleDays: 59, accountId: '13' },
      { id: '3', won: true, amount: 900, closeDate: '2025-04-01', cycleDays: 90 },
    ]);
    await connector.close();
  });

  it('starts a new search at the last close date when the next page would pass the 10,000 cap', async () => {
    const env = testEnv();
    const connector = fastConnector(env);
    const values: unknown[] = [];
    const afters: unknown[] = [];
    const record = (b: { filterGroups: { filters: { value: string }[] }[]; after?: string }): boolean => {
      values.push(b.filterGroups[0]?.filters[1]?.value);
      afters.push(b.after);
      return true;
    };
    nock(HS)
      .post('/crm/objects/2026-03/deals/search', record)
      .reply(200, { results: [hsDeal('7', true, '2025-06-01T00:00:00.000Z', '1')], paging: { next: { after: '9900' } } })
      .post('/crm/objects/2026-03/deals/search', record)
      .reply(200, { results: [hsDeal('7', true, '2025-06-01T00:00:00.000Z', '1'), hsDeal('8', false, '2025-07-01T00:00:00.000Z', '2')] });
    nock(HS).post('/crm/associations/2026-03/deals/companies/batch/read').reply(200, { status: 'COMPLETE', results: [] });
    const deals = await fetchHubSpotClosedDeals(connector.client, hubspotPaths(env.HUBSPOT_API_VERSION), '2025-01-01');
    expect(values).toEqual([String(Date.parse('2025-01-01T00:00:00Z')), String(Date.parse('2025-06-01T00:00:00Z'))]);
    expect(afters).toEqual([undefined, undefined]);
    expect(deals.map((d) => d.id)).toEqual(['7', '8']);
    await connector.close();
  });

  it('turns a 401 into a CrmAuthError', async () => {
    const env = testEnv();
    const connector = fastConnector(env);
    nock(HS)
      .post('/crm/objects/2026-03/deals/search')
      .reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: 'c-1' });
    await expect(fetchHubSpotClosedDeals(connector.client, hubspotPaths(env.HUBSPOT_API_VERSION), '2025-01-01')).rejects.toBeInstanceOf(CrmAuthError);
    await connector.close();
  });
});

describe('Salesforce closed Opportunities', () => {
  const HOST = 'https://acme.my.salesforce.com';
  const V = '/services/data/v65.0';

  it('builds the documented SOQL with the mapped Account fields', () => {
    expect(closedOpportunitiesSoql(['Name', 'Industry', 'NumberOfEmployees'], '2024-11-26')).toBe(
      'SELECT Id, Amount, IsWon, IsClosed, CloseDate, CreatedDate, AccountId, Account.Name, Account.Industry, Account.NumberOfEmployees FROM Opportunity WHERE IsClosed = true AND CloseDate >= 2024-11-26 ORDER BY CloseDate ASC, Id ASC',
    );
    expect(() => closedOpportunitiesSoql(['Name; DROP'], '2024-11-26')).toThrow();
    expect(() => closedOpportunitiesSoql(['Name'], "2024-11-26' OR 1=1")).toThrow(RangeError);
  });

  it('pages through the query and keeps each Account’s fields', async () => {
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account' });
    const r = testRedis();
    const connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    let soql = '';
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(200, { access_token: '00D!tok', instance_url: HOST, id: `${HOST}/id/00D5g000004ABCDEAA/0055g00000AAAAAAAA`, token_type: 'Bearer', issued_at: '1764150000000', signature: 'x' });
    nock(HOST)
      .get(`${V}/query`)
      .query((q) => {
        soql = String(q['q']);
        return true;
      })
      .reply(200, {
        totalSize: 3,
        done: false,
        nextRecordsUrl: `${V}/query/01gD0000002HU6KIAW-2000`,
        records: [
          {
            attributes: { type: 'Opportunity', url: `${V}/sobjects/Opportunity/006A` },
            Id: '0065g00000Aaaa1AAA',
            Amount: 15000,
            IsWon: true,
            IsClosed: true,
            CloseDate: '2025-03-31',
            CreatedDate: '2025-01-30T09:00:00.000+0000',
            AccountId: '0015g00000Aaaa1AAA',
            Account: { attributes: { type: 'Account', url: `${V}/sobjects/Account/001A` }, Name: 'Acme', Industry: 'Technology' },
          },
          { attributes: { type: 'Opportunity' }, Id: '0065g00000Aaaa2AAA', Amount: null, IsWon: false, IsClosed: true, CloseDate: '2025-04-02', CreatedDate: '2025-04-01T23:00:00.000+0000', AccountId: null, Account: null },
        ],
      })
      .get(`${V}/query/01gD0000002HU6KIAW-2000`)
      .reply(200, {
        totalSize: 3,
        done: true,
        records: [{ attributes: { type: 'Opportunity' }, Id: '0065g00000Aaaa3AAA', Amount: '800.5', IsWon: false, IsClosed: true, CloseDate: '2025-05-01', CreatedDate: null, AccountId: '0015g00000Aaaa2AAA', Account: { Name: 'Beta', Industry: null } }],
      });
    try {
      const deals = await fetchSalesforceClosedDeals(connector.client, ['Name', 'Industry'], '2024-11-26');
      expect(soql).toContain('FROM Opportunity WHERE IsClosed = true AND CloseDate >= 2024-11-26');
      expect(deals).toEqual([
        {
          id: '0065g00000Aaaa1AAA',
          won: true,
          amount: 15000,
          closeDate: '2025-03-31',
          cycleDays: 60,
          accountId: '0015g00000Aaaa1AAA',
          account: { id: '0015g00000Aaaa1AAA', fields: { Name: 'Acme', Industry: 'Technology' } },
        },
        { id: '0065g00000Aaaa2AAA', won: false, closeDate: '2025-04-02', cycleDays: 1 },
        { id: '0065g00000Aaaa3AAA', won: false, amount: 800.5, closeDate: '2025-05-01', accountId: '0015g00000Aaaa2AAA', account: { id: '0015g00000Aaaa2AAA', fields: { Name: 'Beta', Industry: null } } },
      ]);
      expect(nock.isDone()).toBe(true);
    } finally {
      await connector.close();
      await r.cleanup(env.REDIS_PREFIX);
    }
  });
});
