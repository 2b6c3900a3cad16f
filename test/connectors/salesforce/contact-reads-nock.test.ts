import { Writable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_ROLES_FIELD, inListChunks } from '../../../src/connectors/salesforce/contact-roles.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { SOQL_IN_LIST_URI_BUDGET } from '../../../src/connectors/salesforce/limits.ts';
import { createLogger } from '../../../src/logging.ts';
import { CONTACT_ROLES_FIELD as MAPPING_ROLES_FIELD } from '../../../src/mappings/defaults.ts';
import { describeBody, FAST, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

const HOST = 'https://acme.my.salesforce.com';
const V = '/services/data/v65.0';
const ORG = '00D5g000004ABCDEAA';
const USER = '0055g00000AAAAAAAA';
const ACCOUNT = '0015g00000Aaaa1AAA';
const OLD = '2026-11-01T10:00:00.000+0000';
const NEW = '2026-11-26T10:00:05.000+0000';
const json = { 'Content-Type': 'application/json' };

/** A Contact id from a number (18 characters, `003` prefix). */
const cid = (n: number) => `0035g${String(n).padStart(10, '0')}AAA`;

describe('Salesforce Contacts (nock)', () => {
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let logLines: Array<Record<string, unknown>>;
  let soqls: Array<{ resource: string; q: string }>;
  let retrieveBodies: Array<{ ids: string[]; fields: string[] }>;

  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  beforeEach(() => {
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account' });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    logLines = [];
    soqls = [];
    retrieveBodies = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    connector = createSalesforceConnector({ env, redis: r.redis, logger: createLogger({ level: 'warn', destination }) }, FAST);
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(200, { access_token: '00D5g!tok', instance_url: HOST, id: `${HOST}/id/${ORG}/${USER}`, token_type: 'Bearer', issued_at: '1', signature: 'x' })
      .get(`${V}/sobjects/Contact/describe`)
      .reply(200, describeBody('Contact', ['Title', 'AccountId', 'FirstName', 'LastName']), json);
  });
  afterEach(async () => {
    nock.cleanAll();
    await r.cleanup(prefix);
  });

  /** Answers GET /query and /queryAll in order, recording the SOQL. */
  const queries = (resource: 'query' | 'queryAll', ...answers: unknown[]) => {
    const scope = nock(HOST);
    for (const a of answers) {
      scope
        .get(`${V}/${resource}`)
        .query((q) => soqls.push({ resource, q: String(q.q) }) > 0)
        .reply(200, a as Record<string, unknown>, json);
    }
    return scope;
  };
  /** Answers one collection retrieve of exactly `ids` with `row(id, i)` for each, recording the request. */
  const retrieve = (ids: string[], row: (id: string, i: number) => unknown) =>
    nock(HOST)
      .post(`${V}/composite/sobjects/Contact`, (b: { ids: string[]; fields: string[] }) => JSON.stringify(b.ids) === JSON.stringify(ids) && retrieveBodies.push(b) > 0)
      .reply(200, ids.map(row), json);

  it('declares Contact as a person type with its own output fields; Lead and Account keep theirs', () => {
    expect(connector.personObjectTypes).toEqual(['Contact']);
    expect(connector.objectKinds).toEqual({ Account: 'account', Contact: 'person' });
    expect(connector.outputFields('Contact').map((f) => [f.key, f.name])).toEqual([
      ['buyingRole', 'ICP_Buying_Role__c'],
      ['priorityScore', 'ICP_Priority_Score__c'],
      ['priorityTier', 'ICP_Priority_Tier__c'],
      ['accountTier', 'ICP_Account_Tier__c'],
      ['modelVersion', 'ICP_Model_Version__c'],
      ['scoredAt', 'ICP_Scored_At__c'],
    ]);
    const account = connector.outputFields('Account').map((f) => f.name);
    expect(account).toContain('ICP_Committee_Coverage__c');
    expect(account).toContain('ICP_Missing_Roles__c');
    expect(account).not.toContain('ICP_Buying_Role__c');
    expect(() => connector.outputFields('Opportunity')).toThrow();
    expect(CONTACT_ROLES_FIELD).toBe(MAPPING_ROLES_FIELD);
  });

  it('takes output names per object over the common overrides', () => {
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account' });
    const named = createSalesforceConnector(
      { env, redis: r.redis, logger: createLogger({ level: 'silent' }), outputFieldNames: { modelVersion: 'Model__c' }, objectOutputFieldNames: { Contact: { buyingRole: 'Role__c' } } },
      FAST,
    );
    const names = (t: string) => Object.fromEntries(named.outputFields(t).map((f) => [f.key, f.name]));
    expect(names('Contact')).toMatchObject({ buyingRole: 'Role__c', modelVersion: 'Model__c', priorityScore: 'ICP_Priority_Score__c' });
    expect(names('Account')).toMatchObject({ modelVersion: 'Model__c', score: 'ICP_Fit_Score__c' });
  });

  it('reads 200 Contacts by id in one retrieve and one OpportunityContactRole query, following queryMore', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => cid(i + 1));
    retrieve(ids, (id, i) => ({ Id: id, SystemModstamp: OLD, Title: i === 0 ? 'Directeur Général' : 'DSI', AccountId: i === 1 ? null : ACCOUNT }));
    queries(
      'query',
      {
        done: false,
        totalSize: 4,
        nextRecordsUrl: `${V}/query/01gROLES-2`,
        records: [
          { ContactId: ids[0], Role: 'Economic Buyer' },
          { ContactId: ids[0], Role: 'Decision Maker' },
        ],
      },
    );
    nock(HOST)
      .get(`${V}/query/01gROLES-2`)
      .reply(200, { done: true, totalSize: 4, records: [{ ContactId: ids[0], Role: 'Economic Buyer' }, { ContactId: ids[2]?.slice(0, 15), Role: 'Evaluator' }] }, json);

    const records = await connector.readByIds('Contact', ids, ['Title', CONTACT_ROLES_FIELD]);
    expect(nock.isDone()).toBe(true);
    expect(records).toHaveLength(200);
    expect(retrieveBodies).toHaveLength(1);
    expect(retrieveBodies[0]?.fields).toEqual(['Id', 'SystemModstamp', 'Title', 'AccountId']);
    expect(soqls).toHaveLength(1);
    expect(soqls[0]?.q).toMatch(/^SELECT ContactId, Role FROM OpportunityContactRole WHERE ContactId IN \('0035g0000000001AAA', .*'0035g0000000200AAA'\) AND Role != null ORDER BY CreatedDate ASC, Id ASC$/);
    const [first, second, third] = records;
    expect(first?.fields).toEqual({ Title: 'Directeur Général', [CONTACT_ROLES_FIELD]: ['Economic Buyer', 'Decision Maker'] });
    expect(first?.accountId).toBe(ACCOUNT);
    expect(second?.accountId).toBeNull();
    expect(second?.fields[CONTACT_ROLES_FIELD]).toBeNull();
    expect(third?.fields[CONTACT_ROLES_FIELD]).toEqual(['Evaluator']);
  });

  it('does not query contact roles when the read does not ask for them, and still fills accountId', async () => {
    retrieve([cid(1)], (id) => ({ Id: id, SystemModstamp: OLD, Title: 'CTO', AccountId: ACCOUNT }));
    const [rec] = await connector.readByIds('Contact', [cid(1)], ['Title']);
    expect(rec?.fields).toEqual({ Title: 'CTO' });
    expect(rec?.accountId).toBe(ACCOUNT);
    expect(soqls).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it('reads Contacts without explicit roles when OpportunityContactRole is not readable, warning once', async () => {
    retrieve([cid(1)], (id) => ({ Id: id, SystemModstamp: OLD, Title: 'CTO', AccountId: ACCOUNT }));
    nock(HOST)
      .get(`${V}/query`)
      .query(true)
      .reply(400, [{ errorCode: 'INVALID_TYPE', message: "sObject type 'OpportunityContactRole' is not supported." }], json);
    const [rec] = await connector.readByIds('Contact', [cid(1)], ['Title', CONTACT_ROLES_FIELD]);
    expect(rec?.fields[CONTACT_ROLES_FIELD]).toBeNull();
    expect(logLines.filter((l) => l.objectType === 'OpportunityContactRole')).toHaveLength(1);
    expect(JSON.stringify(logLines)).not.toContain('CTO');
  });

  it('cuts the id list of the roles query to the URI budget', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => cid(i));
    const chunks = inListChunks(ids, 200);
    expect(chunks.flat()).toEqual(ids);
    for (const c of chunks) expect(200 + c.length * encodeURIComponent(`'${cid(0)}', `).length).toBeLessThanOrEqual(SOQL_IN_LIST_URI_BUDGET);
    expect(chunks.length).toBe(Math.ceil(2000 / Math.floor((SOQL_IN_LIST_URI_BUDGET - 200) / 26)));
    expect(inListChunks(ids.slice(0, 200), 200)).toHaveLength(1);
  });

  it('lists Contacts whose roles changed, then their own changes, each Contact once', async () => {
    const since = '2026-11-26T10:00:00.000Z';
    // Contact 1: only a role changed. Contact 2: a role changed and itself changed (listed in the second phase).
    // Contact 3: a role of a deleted Contact (retrieve answers null). Contact 4: changed itself.
    queries('queryAll', {
      done: true,
      totalSize: 4,
      records: [
        { Id: '00K000000000001AAA', ContactId: cid(1), SystemModstamp: NEW },
        { Id: '00K000000000002AAA', ContactId: cid(1), SystemModstamp: '2026-11-26T10:00:07.000+0000' },
        { Id: '00K000000000003AAA', ContactId: cid(2), SystemModstamp: NEW },
        { Id: '00K000000000004AAA', ContactId: cid(3), SystemModstamp: NEW },
      ],
    });
    retrieve([cid(1), cid(2), cid(3)], (id) => (id === cid(3) ? null : { Id: id, SystemModstamp: id === cid(2) ? NEW : OLD, Title: 'DAF', AccountId: ACCOUNT }));
    queries('query', { done: true, totalSize: 1, records: [{ ContactId: cid(1), Role: 'Economic Buyer' }] });
    queries(
      'query',
      { done: true, totalSize: 2, records: [{ Id: cid(2), SystemModstamp: NEW, Title: 'DAF', AccountId: ACCOUNT }, { Id: cid(4), SystemModstamp: NEW, Title: 'CTO', AccountId: null }] },
      { done: true, totalSize: 1, records: [{ ContactId: cid(2), Role: 'Decision Maker' }] },
    );

    const first = await connector.listModifiedSince('Contact', ['Title', CONTACT_ROLES_FIELD], since);
    expect(first.records.map((x) => x.id)).toEqual([cid(1)]);
    expect(first.records[0]?.fields[CONTACT_ROLES_FIELD]).toEqual(['Economic Buyer']);
    expect(first.records[0]?.modifiedAt).toBe('2026-11-26T10:00:07.000Z');
    expect(first.watermark).toBeUndefined();
    expect(first.next).toBeDefined();
    const second = await connector.listModifiedSince('Contact', ['Title', CONTACT_ROLES_FIELD], since, first.next);
    expect(second.records.map((x) => x.id)).toEqual([cid(2), cid(4)]);
    expect(second.records[1]?.accountId).toBeNull();
    expect(second.next).toBeUndefined();
    // The role change of Contact 1 counts in the watermark once the whole listing is done.
    expect(second.watermark).toBe('2026-11-26T10:00:07.000Z');
    expect(nock.isDone()).toBe(true);
    expect(soqls.map((s) => s.resource)).toEqual(['queryAll', 'query', 'query', 'query']);
    expect(soqls[0]?.q).toBe(
      'SELECT Id, ContactId, SystemModstamp FROM OpportunityContactRole WHERE SystemModstamp >= 2026-11-26T10:00:00Z ORDER BY ContactId ASC, Id ASC',
    );
    expect(soqls[2]?.q).toBe('SELECT Id, SystemModstamp, Title, AccountId FROM Contact WHERE SystemModstamp >= 2026-11-26T10:00:00Z ORDER BY SystemModstamp ASC, Id ASC');
    expect(retrieveBodies[0]?.ids).toEqual([cid(1), cid(2), cid(3)]);
  });

  it('does not list again, on the next page, a Contact whose roles straddle two pages', async () => {
    const since = '2026-11-26T10:00:00.000Z';
    queries('queryAll', {
      done: false,
      totalSize: 3,
      nextRecordsUrl: `${V}/query/01gOCR-2`,
      records: [{ Id: '00K000000000001AAA', ContactId: cid(1), SystemModstamp: NEW }],
    });
    nock(HOST)
      .get(`${V}/query/01gOCR-2`)
      .reply(200, { done: true, totalSize: 3, records: [{ Id: '00K000000000002AAA', ContactId: cid(1), SystemModstamp: NEW }, { Id: '00K000000000003AAA', ContactId: cid(5), SystemModstamp: NEW }] }, json);
    for (const id of [cid(1), cid(5)]) retrieve([id], (x) => ({ Id: x, SystemModstamp: OLD, Title: 'Responsable achats', AccountId: ACCOUNT }));
    queries('query', { done: true, totalSize: 0, records: [] });
    const first = await connector.listModifiedSince('Contact', ['Title'], since);
    const second = await connector.listModifiedSince('Contact', ['Title'], since, first.next);
    const third = await connector.listModifiedSince('Contact', ['Title'], since, second.next);
    expect([...first.records, ...second.records, ...third.records].map((x) => x.id)).toEqual([cid(1), cid(5)]);
    expect(third.next).toBeUndefined();
    expect(third.watermark).toBe('2026-11-26T10:00:05.000Z');
    expect(retrieveBodies.map((b) => b.ids)).toEqual([[cid(1)], [cid(5)]]);
  });
});
