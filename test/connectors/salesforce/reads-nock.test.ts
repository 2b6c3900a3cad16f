import { Writable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onInstance } from '../../../src/connectors/salesforce/client.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { CrmValidationError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/logging.ts';
import { describeBody, FAST, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

const HOST = 'https://acme.my.salesforce.com';
const V = '/services/data/v65.0';
const ORG = '00D5g000004ABCDEAA';
const USER = '0055g00000AAAAAAAA';
const A = '0015g00000Aaaa1AAA';
const B = '0015g00000Aaaa2AAA';
const TS = '2026-11-26T10:00:00.000+0000';

const json = { 'Content-Type': 'application/json' };
const queryPath = new RegExp(`^${V.replace(/\./g, '\\.')}/query\\?q=`);

describe('Salesforce reads (nock)', () => {
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let logLines: Array<Record<string, unknown>>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  beforeEach(() => {
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account' });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    logLines = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    connector = createSalesforceConnector({ env, redis: r.redis, logger: createLogger({ level: 'warn', destination }) }, FAST);
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(200, { access_token: '00D5g!tok', instance_url: HOST, id: `${HOST}/id/${ORG}/${USER}`, token_type: 'Bearer', issued_at: '1', signature: 'x' });
  });

  const describeAccount = (fields: string[]) => nock(HOST).get(`${V}/sobjects/Account/describe`).reply(200, describeBody('Account', fields), json);
  afterEach(async () => {
    nock.cleanAll();
    await r.cleanup(prefix);
  });

  describe('absolute nextRecordsUrl', () => {
    it('follows a full nextRecordsUrl on the instance as a path', async () => {
      describeAccount([]);
      nock(HOST)
        .get(queryPath)
        .reply(200, { done: false, totalSize: 2, nextRecordsUrl: `${HOST}${V}/query/01gD0000002HU6KIAW-2000`, records: [{ Id: A, SystemModstamp: TS }] }, json)
        .get(`${V}/query/01gD0000002HU6KIAW-2000`)
        .reply(200, { done: true, totalSize: 2, records: [{ Id: B, SystemModstamp: TS }] }, json);
      const first = await connector.listAll('Account', []);
      expect(first.records.map((x) => x.id)).toEqual([A]);
      expect(first.next).toBeDefined();
      const second = await connector.listAll('Account', [], first.next);
      expect(second.records.map((x) => x.id)).toEqual([B]);
      expect(second.next).toBeUndefined();
      expect(nock.isDone()).toBe(true);
    });

    it('refuses a nextRecordsUrl on another origin without sending the session there', async () => {
      const elsewhere = nock('https://elsewhere.example').get(/.*/).reply(200, { done: true, records: [] });
      describeAccount([]);
      nock(HOST)
        .get(queryPath)
        .reply(200, { done: false, totalSize: 2, nextRecordsUrl: `https://elsewhere.example${V}/query/01g-2000`, records: [{ Id: A, SystemModstamp: TS }] }, json);
      const first = await connector.listAll('Account', []);
      const err = await connector.listAll('Account', [], first.next).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmValidationError);
      expect((err as Error).message).toContain('https://elsewhere.example');
      expect(elsewhere.isDone()).toBe(false);
    });

    it('keeps paths as they are and compares origins exactly', () => {
      expect(onInstance(`${V}/query/01g-2000`, HOST, 'q')).toBe(`${V}/query/01g-2000`);
      expect(onInstance('/query?q=SELECT+Id', HOST, 'q')).toBe('/query?q=SELECT+Id');
      expect(onInstance(`https://ACME.my.salesforce.com${V}/query/01g-2000?x=1`, HOST, 'q')).toBe(`${V}/query/01g-2000?x=1`);
      expect(() => onInstance(`http://acme.my.salesforce.com${V}/query/01g`, HOST, 'q')).toThrow(CrmValidationError);
      expect(() => onInstance(`https://acme.my.salesforce.com.evil.example${V}/query/01g`, HOST, 'q')).toThrow(CrmValidationError);
    });
  });

  describe('fields the org lacks', () => {
    const ACCOUNT_FIELDS = ['Name', 'BillingCountryCode', 'BillingCountry'];
    const bodies: Array<{ fields: string[] }> = [];
    const retrieve = () =>
      nock(HOST).post(`${V}/composite/sobjects/Account`, (b: { fields: string[] }) => bodies.push(b) > 0);
    beforeEach(() => {
      bodies.length = 0;
    });

    it('describes the object once and leaves out what it lacks, warning once per field', async () => {
      describeAccount(['Name', 'BillingCountry']);
      retrieve().times(2).reply(200, [{ Id: A, SystemModstamp: TS, Name: 'Acme', BillingCountry: 'France' }], json);
      const soqls: string[] = [];
      nock(HOST)
        .get(`${V}/query`)
        .query((q) => soqls.push(String(q.q)) > 0)
        .reply(200, { done: true, totalSize: 0, records: [] }, json);
      const [rec] = await connector.readByIds('Account', [A], ACCOUNT_FIELDS);
      await connector.readByIds('Account', [B], ACCOUNT_FIELDS);
      await connector.listAll('Account', ACCOUNT_FIELDS);
      expect(rec?.fields).toEqual({ Name: 'Acme', BillingCountryCode: null, BillingCountry: 'France' });
      expect(bodies.map((b) => b.fields)).toEqual([
        ['Id', 'SystemModstamp', 'Name', 'BillingCountry'],
        ['Id', 'SystemModstamp', 'Name', 'BillingCountry'],
      ]);
      expect(soqls[0]).toBe('SELECT Id, SystemModstamp, Name, BillingCountry FROM Account ORDER BY Id ASC');
      expect(nock.isDone()).toBe(true);
      const warnings = logLines.filter((l) => l.field === 'BillingCountryCode');
      expect(warnings).toHaveLength(1);
    });

    it('on INVALID_FIELD describes again and reads once more without the field', async () => {
      describeAccount(ACCOUNT_FIELDS);
      retrieve().reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'BillingCountryCode' on entity 'Account'." }], json);
      describeAccount(['Name', 'BillingCountry']);
      retrieve().reply(200, [{ Id: A, SystemModstamp: TS, Name: 'Acme', BillingCountry: 'France' }], json);
      const [rec] = await connector.readByIds('Account', [A], ACCOUNT_FIELDS);
      expect(rec?.fields).toEqual({ Name: 'Acme', BillingCountryCode: null, BillingCountry: 'France' });
      expect(bodies.map((b) => b.fields.includes('BillingCountryCode'))).toEqual([true, false]);
      expect(nock.isDone()).toBe(true);
    });

    it('drops the column INVALID_FIELD names even when a fresh describe still lists it, and keeps it out', async () => {
      describeAccount(ACCOUNT_FIELDS);
      retrieve().reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'BillingCountryCode' on entity 'Account'." }], json);
      describeAccount(ACCOUNT_FIELDS);
      retrieve().times(2).reply(200, [{ Id: A, SystemModstamp: TS, Name: 'Acme', BillingCountry: 'France' }], json);
      await connector.readByIds('Account', [A], ACCOUNT_FIELDS);
      await connector.readByIds('Account', [A], ACCOUNT_FIELDS);
      expect(bodies.map((b) => b.fields.includes('BillingCountryCode'))).toEqual([true, false, false]);
      expect(nock.isDone()).toBe(true);
    });

    it('retries only once: a second INVALID_FIELD comes out typed', async () => {
      describeAccount(ACCOUNT_FIELDS);
      retrieve().reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'BillingCountryCode' on entity 'Account'." }], json);
      describeAccount(['Name', 'BillingCountry']);
      retrieve().reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'BillingCountry' on entity 'Account'." }], json);
      const err = await connector.readByIds('Account', [A], ACCOUNT_FIELDS).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmValidationError);
      expect((err as CrmValidationError).vendorCode).toBe('INVALID_FIELD');
      expect(bodies).toHaveLength(2);
    });

    it('still refuses a name that is not a field API name before calling anything', async () => {
      const err = await connector.readByIds('Account', [A], ['Name; DROP']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmValidationError);
      expect(bodies).toHaveLength(0);
    });
  });
});
