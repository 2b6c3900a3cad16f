import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { CrmAuthError, CrmError, CrmRateLimitError, CrmValidationError } from '../../../src/errors.ts';
import { describeBody, FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

const HOST = 'https://acme.my.salesforce.com';
const V = '/services/data/v65.0';
const ORG = '00D5g000004ABCDEAA';
const USER = '0055g00000AAAAAAAA';
const A = '0015g00000Aaaa1AAA';
const B = '0015g00000Aaaa2AAA';
const C = '0015g00000Aaaa3AAA';

const tokenReply = (token: string) => ({
  access_token: token,
  instance_url: HOST,
  id: `https://login.salesforce.com/id/${ORG}/${USER}`,
  token_type: 'Bearer',
  issued_at: '1764150000000',
  signature: 'x',
});

const limitHeader = (used: number, limit = 100_000) => ({ 'Sforce-Limit-Info': `api-usage=${used}/${limit}`, 'Content-Type': 'application/json' });

describe('Salesforce client choke point (nock)', () => {
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let keyFile: string;
  const assertions: string[] = [];

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dir = mkdtempSync(join(tmpdir(), 'icp-sf-'));
    keyFile = join(dir, 'server.key');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  beforeEach(() => {
    const env = sandboxEnv(HOST, {
      SALESFORCE_CLIENT_SECRET: '',
      SALESFORCE_USERNAME: 'integration@acme.example',
      SALESFORCE_PRIVATE_KEY_FILE: keyFile,
      SALESFORCE_OBJECTS: 'Account',
    });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    assertions.length = 0;
    nock(HOST)
      .post('/services/oauth2/token', (body: Record<string, string>) => {
        assertions.push(body.assertion ?? '');
        return body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      })
      .reply(200, tokenReply('00D5g!first'));
    // Reads describe the object once per connector (cached) to leave out fields the org lacks.
    nock(HOST).get(`${V}/sobjects/Account/describe`).optionally().reply(200, describeBody('Account', ['Name', 'Foo__c']));
  });
  afterEach(async () => {
    nock.cleanAll();
    await r.cleanup(prefix);
  });

  it('signs an RS256 JWT assertion for the JWT bearer flow', async () => {
    nock(HOST).post(`${V}/composite/sobjects/Account`).reply(200, [], limitHeader(1));
    await connector.readByIds('Account', [A], ['Name']);
    const [header, claims, sig] = (assertions[0] ?? '').split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toMatchObject({
      iss: 'sandbox-client-id',
      sub: 'integration@acme.example',
      aud: 'https://login.salesforce.com',
    });
    expect(sig?.length).toBeGreaterThan(100);
  });

  it('re-authenticates on an expired session and replays the write', async () => {
    nock(HOST)
      .patch(`${V}/composite/sobjects`)
      .matchHeader('authorization', 'Bearer 00D5g!first')
      .reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
      .post('/services/oauth2/token')
      .reply(200, tokenReply('00D5g!second'))
      .patch(`${V}/composite/sobjects`)
      .matchHeader('authorization', 'Bearer 00D5g!second')
      .reply(200, [{ id: A, success: true, errors: [] }], limitHeader(3));
    const out = await connector.writeChanges('Account', [{ id: A, fields: { ICP_Fit_Score__c: 70 } }]);
    expect(out.written).toEqual([A]);
    expect(nock.isDone()).toBe(true);
  });

  it('turns a failed re-authentication into CrmAuthError', async () => {
    nock(HOST)
      .patch(`${V}/composite/sobjects`)
      .reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
      .post('/services/oauth2/token')
      .reply(400, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
    const err = await connector.writeChanges('Account', [{ id: A, fields: { ICP_Fit_Score__c: 70 } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmAuthError);
    expect((err as CrmAuthError).vendorCode).toBe('invalid_grant');
  });

  it('stops re-authenticating when Salesforce refuses every new session', async () => {
    nock(HOST)
      .post(`${V}/composite/sobjects/Account`)
      .times(4)
      .reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
      .post('/services/oauth2/token')
      .times(3)
      .reply(200, tokenReply('00D5g!again'));
    const err = await connector.readByIds('Account', [A], ['Name']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmAuthError);
    expect((err as CrmAuthError).vendorCode).toBe('INVALID_SESSION_ID');
    expect(nock.isDone()).toBe(true);
  });

  it('pauses every worker on REQUEST_LIMIT_EXCEEDED and refuses further calls while paused', async () => {
    nock(HOST)
      .post(`${V}/composite/sobjects/Account`)
      .reply(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    const err = await connector.readByIds('Account', [A], ['Name']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmRateLimitError);
    expect((err as CrmRateLimitError).daily).toBe(true);
    expect((err as CrmRateLimitError).retryAfterMs).toBeGreaterThan(0);
    const again = await connector.readByIds('Account', [B], ['Name']).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CrmRateLimitError);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('retries only the records that hit UNABLE_TO_LOCK_ROW, reading statusCode and errorCode alike', async () => {
    const bodies: unknown[] = [];
    nock(HOST)
      .patch(`${V}/composite/sobjects`, (b: unknown) => bodies.push(b) > 0)
      .reply(200, [
        { id: A, success: true, errors: [] },
        { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] },
        { success: false, errors: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Tier must be set', fields: [] }] },
      ])
      .patch(`${V}/composite/sobjects`, (b: unknown) => bodies.push(b) > 0)
      .reply(200, [{ id: B, success: true, errors: [] }]);
    const out = await connector.writeChanges('Account', [
      { id: A, fields: { ICP_Fit_Score__c: 1 } },
      { id: B, fields: { ICP_Fit_Score__c: 2 } },
      { id: C, fields: { ICP_Fit_Score__c: 3 } },
    ]);
    expect(out.written.sort()).toEqual([A, B]);
    expect(out.failed).toEqual([{ id: C, code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Tier must be set', retryable: false }]);
    expect(out.calls).toBe(2);
    expect((bodies[1] as { records: Array<{ id: string }> }).records.map((x) => x.id)).toEqual([B]);
    expect((bodies[0] as { allOrNone: boolean }).allOrNone).toBe(false);
  });

  it('reports records still locked after every retry as retryable failures', async () => {
    const locked = { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] }] };
    nock(HOST).patch(`${V}/composite/sobjects`).times(4).reply(200, [locked]);
    const out = await connector.writeChanges('Account', [{ id: A, fields: { ICP_Fit_Score__c: 1 } }]);
    expect(out.failed).toEqual([{ id: A, code: 'UNABLE_TO_LOCK_ROW', message: 'locked', retryable: true }]);
    expect(out.calls).toBe(4);
  });

  it('retries a PATCH after a 503 (jsforce itself never retries writes)', async () => {
    nock(HOST)
      .patch(`${V}/composite/sobjects`)
      .reply(503, 'Service Unavailable', { 'Content-Type': 'text/plain' })
      .patch(`${V}/composite/sobjects`)
      .reply(200, [{ id: A, success: true, errors: [] }]);
    const out = await connector.writeChanges('Account', [{ id: A, fields: { ICP_Fit_Score__c: 5 } }]);
    expect(out.written).toEqual([A]);
  });

  it('gives up with a retryable CrmError when 5xx persists', async () => {
    nock(HOST).patch(`${V}/composite/sobjects`).times(3).reply(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }]);
    const err = await connector.writeChanges('Account', [{ id: A, fields: { ICP_Fit_Score__c: 5 } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).retryable).toBe(true);
  });

  it('does not retry a refused query when the refused field is not one it asked for, and says why', async () => {
    const queries = nock(HOST)
      .get(new RegExp(`^${V.replace(/\./g, '\\.')}/query`))
      .reply(400, [{ message: "No such column 'Bar__c' on entity 'Account'", errorCode: 'INVALID_FIELD' }]);
    nock(HOST).get(`${V}/sobjects/Account/describe`).reply(200, describeBody('Account', ['Name', 'Foo__c']));
    const err = await connector.listAll('Account', ['Foo__c']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmValidationError);
    expect((err as CrmValidationError).vendorCode).toBe('INVALID_FIELD');
    expect(queries.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('tracks Sforce-Limit-Info and refuses background work under the reserve', async () => {
    nock(HOST).post(`${V}/composite/sobjects/Account`).reply(200, [], limitHeader(95_000));
    await connector.readByIds('Account', [A], ['Name']);
    expect(await connector.client.usage()).toEqual({ used: 95_000, limit: 100_000 });
    const err = await connector.writeChanges('Account', [{ id: A, fields: { ICP_Fit_Score__c: 5 } }], { background: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmRateLimitError);
    expect((err as CrmRateLimitError).daily).toBe(true);
  });
});
