import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onInstance } from '../../../src/connectors/salesforce/client.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { CrmValidationError } from '../../../src/errors.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

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
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(200, { access_token: '00D5g!tok', instance_url: HOST, id: `${HOST}/id/${ORG}/${USER}`, token_type: 'Bearer', issued_at: '1', signature: 'x' });
  });
  afterEach(async () => {
    nock.cleanAll();
    await r.cleanup(prefix);
  });

  describe('absolute nextRecordsUrl', () => {
    it('follows a full nextRecordsUrl on the instance as a path', async () => {
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
});
