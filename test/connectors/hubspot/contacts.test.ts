import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMITTEE_OUTPUT_KEYS } from '../../../src/connectors/port.ts';
import { CrmError } from '../../../src/errors.ts';
import { createHubSpotConnectorWith, memoryLimiters } from '../../../src/connectors/hubspot/connector.ts';
import { createDailyBudget } from '../../../src/connectors/hubspot/daily-budget.ts';
import { fastConnector, silentLogger, testEnv } from './helpers.ts';

const API = 'https://api.hubapi.com';
const CONTACTS = '/crm/objects/2026-03/contacts';
const ASSOC = '/crm/associations/2026-03/contacts/companies/batch/read';
const env = testEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-test' });

const contact = (id: string, props: Record<string, string | null> = {}) => ({
  id,
  properties: { lastmodifieddate: '2026-11-20T10:00:00.000Z', hs_object_id: id, ...props },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  archived: false,
});

const PRIMARY = { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' };
const UNLABELED = { category: 'HUBSPOT_DEFINED', typeId: 279, label: null };

/** A v4 batch-read result; `toObjectId` as a number, the way captured responses show it. */
const assoc = (from: string, to: Array<[number | string, Array<typeof PRIMARY | typeof UNLABELED>]>, after?: string) => ({
  from: { id: from },
  to: to.map(([toObjectId, associationTypes]) => ({ toObjectId, associationTypes })),
  ...(after ? { paging: { next: { after, link: null } } } : {}),
});

const noAssociations = (id: string) => ({
  status: 'error',
  category: 'OBJECT_NOT_FOUND',
  subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
  message: `No company is associated with contact ${id}.`,
  context: { fromObjectId: [id], fromObjectType: ['contact'], toObjectType: ['company'] },
});

const envelope = (results: unknown[], errors: unknown[] = []) => ({
  status: 'COMPLETE',
  results,
  ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  startedAt: '2026-11-20T10:00:00.000Z',
  completedAt: '2026-11-20T10:00:00.100Z',
});

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('HubSpot contacts: kinds and output fields', () => {
  it('declares contacts as the person type, with the person output properties', () => {
    const c = fastConnector(env);
    expect(c.objectTypes).toEqual(['companies']);
    expect(c.personObjectTypes).toEqual(['contacts']);
    expect(c.objectKinds).toEqual({ companies: 'account', contacts: 'person' });
    expect(c.outputFields('contacts').map((f) => [f.key, f.name, f.kind])).toEqual([
      ['buyingRole', 'icp_buying_role', 'enum'],
      ['priorityScore', 'icp_priority_score', 'number'],
      ['priorityTier', 'icp_priority_tier', 'enum'],
      ['accountTier', 'icp_account_tier', 'enum'],
      ['modelVersion', 'icp_model_version', 'text'],
      ['scoredAt', 'icp_scored_at', 'datetime'],
    ]);
    const committee = c.outputFields('companies').filter((f) => COMMITTEE_OUTPUT_KEYS.includes(f.key));
    expect(committee.map((f) => [f.key, f.name, f.kind])).toEqual([
      ['committeeCoverage', 'icp_committee_coverage', 'number'],
      ['missingRoles', 'icp_missing_roles', 'text'],
    ]);
  });

  it('takes contact property names from the contacts mapping, companies keeping theirs', () => {
    const c = createHubSpotConnectorWith({
      env,
      logger: silentLogger,
      limiters: memoryLimiters(env),
      daily: createDailyBudget(0.1, undefined, 'unused'),
      outputFieldNames: { modelVersion: 'company_model' },
      contactOutputFieldNames: { modelVersion: 'contact_model', buyingRole: 'persona_icp' },
    });
    expect(c.outputFields('companies').find((f) => f.key === 'modelVersion')?.name).toBe('company_model');
    expect(c.outputFields('contacts').filter((f) => ['modelVersion', 'buyingRole'].includes(f.key)).map((f) => f.name)).toEqual(['persona_icp', 'contact_model']);
  });

  it('encodes person values, a person without an account clearing its priority', () => {
    const c = fastConnector(env);
    const f = (key: string) => c.outputFields('contacts').find((o) => o.key === key)!;
    const base = { modelVersion: 'm1', scoredAt: '2026-11-20T10:00:00.000Z' };
    expect(c.encode(f('buyingRole'), { ...base, buyingRole: 'decision_maker', priorityScore: 72, priorityTier: 'P1', accountTier: 'A' })).toBe('decision_maker');
    expect(c.encode(f('priorityScore'), { ...base, buyingRole: 'none', priorityScore: null, priorityTier: null, accountTier: null })).toBeNull();
    expect(c.encode(f('priorityTier'), { ...base, buyingRole: 'user', priorityScore: 30, priorityTier: 'P3', accountTier: 'B' })).toBe('P3');
  });
});

describe('HubSpot contacts: reads fill the account (nock)', () => {
  it('reads by id with one batch read and one associations read per 100 contacts', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(1000 + i));
    const assocCalls: number[] = [];
    nock(API)
      .post(`${CONTACTS}/batch/read`, (b: { inputs: Array<{ id: string }>; properties?: string[] }) =>
        b.inputs.length <= 100 && b.properties?.includes('jobtitle') === true && b.properties.includes('lastmodifieddate') && !b.properties.includes('hs_lastmodifieddate'),
      )
      .query({ archived: 'false' })
      .times(2)
      .reply(200, async (req: Request) => envelope(((await req.json()) as { inputs: Array<{ id: string }> }).inputs.map((i) => contact(i.id, { jobtitle: 'DAF' }))));
    nock(API)
      .post(ASSOC)
      .times(2)
      .reply(207, async (req: Request) => {
        const inputs = ((await req.json()) as { inputs: Array<{ id: string }> }).inputs;
        assocCalls.push(inputs.length);
        return envelope(
          inputs.filter((i) => Number(i.id) % 2 === 0).map((i) => assoc(i.id, [[9000 + (Number(i.id) % 7), [PRIMARY, UNLABELED]]])),
          inputs.filter((i) => Number(i.id) % 2 === 1).map((i) => noAssociations(i.id)),
        );
      });
    const records = await fastConnector(env).readByIds('contacts', ids, ['jobtitle']);
    expect(assocCalls).toEqual([100, 50]);
    expect(records).toHaveLength(150);
    const r1000 = records.find((r) => r.id === '1000')!;
    expect(r1000).toEqual({ id: '1000', fields: { jobtitle: 'DAF' }, modifiedAt: '2026-11-20T10:00:00.000Z', accountId: String(9000 + (1000 % 7)) });
    expect(records.find((r) => r.id === '1001')?.accountId).toBeNull();
  });

  it('takes the primary company (type 1), else the lowest company id compared as a number', async () => {
    nock(API)
      .post(`${CONTACTS}/batch/read`)
      .query(true)
      .reply(200, envelope(['1', '2', '3', '4'].map((id) => contact(id))));
    nock(API)
      .post(ASSOC, (b: { inputs: Array<{ id: string }> }) => b.inputs.map((i) => i.id).join() === '1,2,3,4')
      .reply(
        207,
        envelope(
          [
            // Primary is not the lowest id.
            assoc('1', [[50, [UNLABELED]], [700, [PRIMARY, UNLABELED]]]),
            // No primary: "100" < "9" as text, but 9 < 100 as numbers.
            assoc('2', [['100', [UNLABELED]], ['9', [UNLABELED]]]),
            // A custom label with typeId 1 in another category is not the primary.
            assoc('3', [[20, [{ category: 'USER_DEFINED', typeId: 1, label: 'Billing' }]], [30, [PRIMARY]]]),
          ],
          [noAssociations('4')],
        ),
      );
    const records = await fastConnector(env).readByIds('contacts', ['1', '2', '3', '4'], []);
    expect(Object.fromEntries(records.map((r) => [r.id, r.accountId]))).toEqual({ '1': '700', '2': '9', '3': '30', '4': null });
  });

  it('follows a contact’s association pages until its primary is found, one call per round for all such contacts', async () => {
    nock(API).post(`${CONTACTS}/batch/read`).query(true).reply(200, envelope([contact('1'), contact('2'), contact('3')]));
    nock(API)
      .post(ASSOC, (b: { inputs: Array<{ id: string; after?: string }> }) => b.inputs.every((i) => i.after === undefined))
      .reply(
        200,
        envelope([
          assoc('1', [[300, [UNLABELED]]], 'p1'),
          assoc('2', [[400, [PRIMARY, UNLABELED]]], 'p2'), // primary known: its next page is not needed
          assoc('3', [[500, [UNLABELED]]], 'p3'),
        ]),
      );
    nock(API)
      .post(ASSOC, (b: { inputs: Array<{ id: string; after?: string }> }) => JSON.stringify(b.inputs) === JSON.stringify([{ id: '1', after: 'p1' }, { id: '3', after: 'p3' }]))
      .reply(200, envelope([assoc('1', [[200, [UNLABELED]]]), assoc('3', [[600, [PRIMARY, UNLABELED]]])]));
    const records = await fastConnector(env).readByIds('contacts', ['1', '2', '3'], []);
    expect(Object.fromEntries(records.map((r) => [r.id, r.accountId]))).toEqual({ '1': '200', '2': '400', '3': '600' });
  });

  it('fails with a typed, retryable error on an association error other than "none found"', async () => {
    nock(API).post(`${CONTACTS}/batch/read`).query(true).reply(200, envelope([contact('1')]));
    nock(API)
      .post(ASSOC)
      .reply(207, envelope([], [{ status: 'error', category: 'INTERNAL_ERROR', message: 'Something went wrong', context: { fromObjectId: ['1'] } }]));
    const err = await fastConnector(env).readByIds('contacts', ['1'], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).retryable).toBe(true);
  });

  it('skips the associations call when no contact was found', async () => {
    nock(API).post(`${CONTACTS}/batch/read`).query(true).reply(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
    expect(await fastConnector(env).readByIds('contacts', ['5'], ['jobtitle'])).toEqual([]);
  });

  it('lists a page with one list call and one associations call', async () => {
    nock(API)
      .get(CONTACTS)
      .query((q) => q.limit === '100' && q.properties === 'jobtitle,hs_buying_role,lastmodifieddate' && q.archived === 'false')
      .reply(200, { results: [contact('11', { jobtitle: 'CTO', hs_buying_role: 'INFLUENCER;END_USER' }), contact('12')], paging: { next: { after: '12' } } });
    nock(API).post(ASSOC).reply(207, envelope([assoc('11', [[77, [PRIMARY, UNLABELED]]])], [noAssociations('12')]));
    const page = await fastConnector(env).listAll('contacts', ['jobtitle', 'hs_buying_role']);
    expect(page.records.map((r) => [r.id, r.accountId, r.fields.hs_buying_role])).toEqual([
      ['11', '77', 'INFLUENCER;END_USER'],
      ['12', null, null],
    ]);
    expect(page.next).toBeDefined();
  });

  it('searches contacts on lastmodifieddate and fills their accounts', async () => {
    nock(API)
      .post(`${CONTACTS}/search`, (b: { filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string }> }>; sorts: Array<{ propertyName: string }> }) =>
        b.filterGroups[0]?.filters[0]?.propertyName === 'lastmodifieddate' && b.filterGroups[0]?.filters[0]?.operator === 'GTE' && b.sorts[0]?.propertyName === 'lastmodifieddate',
      )
      .reply(200, { total: 1, results: [contact('21', { lastmodifieddate: '2026-11-21T08:00:00.000Z' })] });
    nock(API).post(ASSOC).reply(200, envelope([assoc('21', [[88, [UNLABELED]]])]));
    const page = await fastConnector(env).listModifiedSince('contacts', ['jobtitle'], '2026-11-20T00:00:00.000Z');
    expect(page.records).toEqual([{ id: '21', fields: { jobtitle: null }, modifiedAt: '2026-11-21T08:00:00.000Z', accountId: '88' }]);
    expect(page.watermark).toBe('2026-11-21T08:00:00.000Z');
  });

  it('uses the v4 associations API on v3 paths', async () => {
    const v3 = testEnv({ HUBSPOT_API_VERSION: 'v3' });
    nock(API).post('/crm/v3/objects/contacts/batch/read').query(true).reply(200, envelope([contact('1')]));
    nock(API).post('/crm/v4/associations/contacts/companies/batch/read').reply(200, envelope([assoc('1', [[5, [PRIMARY]]])]));
    const [r] = await fastConnector(v3).readByIds('contacts', ['1'], []);
    expect(r?.accountId).toBe('5');
  });

  it('writes contacts in batches of 100 on the contacts path', async () => {
    const sizes: number[] = [];
    nock(API)
      .post(`${CONTACTS}/batch/update`)
      .times(3)
      .reply(200, async (req: Request) => {
        const inputs = ((await req.json()) as { inputs: Array<{ id: string; properties: Record<string, string> }> }).inputs;
        sizes.push(inputs.length);
        return envelope(inputs.map((i) => contact(i.id, i.properties)));
      });
    const changes = Array.from({ length: 250 }, (_, i) => ({ id: String(i + 1), fields: { icp_buying_role: 'user', icp_priority_score: null } }));
    const out = await fastConnector(env).writeChanges('contacts', changes);
    expect(sizes).toEqual([100, 100, 50]);
    expect(out.written).toHaveLength(250);
    expect(out.calls).toBe(3);
  });
});
