import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { CrmError } from '../../../src/errors.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

const HOST = 'https://acme.my.salesforce.com';
const V = '/services/data/v65.0';
const json = { 'Content-Type': 'application/json' };

/** A describe shaped like Salesforce's (`fields[] {name, label, type, custom, picklistValues}`), trimmed. */
const ACCOUNT_DESCRIBE = {
  name: 'Account',
  fields: [
    { name: 'Id', label: 'Account ID', type: 'id', custom: false, picklistValues: [] },
    { name: 'Industry', label: 'Industry', type: 'picklist', custom: false, picklistValues: [{ value: 'Banking', label: 'Banking', active: true, defaultValue: false }, { value: 'Technology', label: 'Technology', active: true, defaultValue: false }] },
    { name: 'SIREN__c', label: 'SIREN', type: 'string', custom: true, picklistValues: [] },
    { name: 'NumberOfEmployees', label: 'Employees', type: 'int', custom: false, picklistValues: [] },
  ],
};

describe('Salesforce describeFields (nock)', () => {
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account' });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(200, { access_token: '00D5g!tok', instance_url: HOST, id: `${HOST}/id/00D5g000004ABCDEAA/0055g00000AAAAAAAA`, token_type: 'Bearer', issued_at: '1', signature: 'x' });
  });
  afterEach(async () => {
    nock.cleanAll();
    await r.cleanup(prefix);
  });

  it('lists the described fields sorted by name, from one describe shared with reads', async () => {
    const scope = nock(HOST).get(`${V}/sobjects/Account/describe`).once().reply(200, ACCOUNT_DESCRIBE, json);
    const fields = await connector.describeFields?.('Account');
    expect(fields).toEqual([
      { name: 'Id', label: 'Account ID', type: 'id', custom: false, options: 0 },
      { name: 'Industry', label: 'Industry', type: 'picklist', custom: false, options: 2 },
      { name: 'NumberOfEmployees', label: 'Employees', type: 'int', custom: false, options: 0 },
      { name: 'SIREN__c', label: 'SIREN', type: 'string', custom: true, options: 0 },
    ]);
    expect((await connector.valueLabels?.('Account', ['Industry']))?.get('Industry')?.get('Banking')).toBe('Banking');
    expect(scope.isDone()).toBe(true);
  });

  it('turns a refused describe into a typed error and refuses an object type it does not sync', async () => {
    nock(HOST).get(`${V}/sobjects/Account/describe`).reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], json);
    await expect(connector.describeFields?.('Account')).rejects.toBeInstanceOf(CrmError);
    await expect(connector.describeFields?.('Opportunity')).rejects.toBeInstanceOf(CrmError);
  });
});
