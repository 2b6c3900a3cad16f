import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { jwtAudience, signJwtAssertion } from '../../../src/connectors/salesforce/jwt-assertion.ts';
import { describeBody, FAST, quietLogger, sandboxEnv, testRedis } from './helpers.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const claimsOf = (assertion: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('JWT bearer assertion', () => {
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://login.salesforce.com/', 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme.my.salesforce.com/', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.force.com/customers', 'https://acme.force.com/customers'],
    ['https://acme.force.com/customers/', 'https://acme.force.com/customers'],
    ['https://acme.my.site.com/partners/s?x=1#top', 'https://acme.my.site.com/partners/s'],
    ['https://support.acme.example/help', 'https://support.acme.example/help'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
  ])('aud for %s is %s', (loginUrl, aud) => {
    expect(jwtAudience(loginUrl)).toBe(aud);
  });

  it('signs iss, sub, aud and a 3-minute exp with RS256', () => {
    const assertion = signJwtAssertion({ clientId: 'cid', username: 'u@acme.example', audience: 'https://acme.force.com/customers', privateKeyPem: pem, now: 1_000_000 });
    const [header, claims, sig] = assertion.split('.');
    expect(claimsOf(assertion)).toEqual({ iss: 'cid', sub: 'u@acme.example', aud: 'https://acme.force.com/customers', exp: 1180 });
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(sig ?? '', 'base64url'))).toBe(true);
  });

  describe('through the connector', () => {
    beforeAll(() => {
      nock.disableNetConnect();
      nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    });
    afterAll(() => {
      nock.cleanAll();
      nock.enableNetConnect();
    });

    it('asks an Experience Cloud site for a token with the site URL, path included, as aud', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'icp-sf-jwt-'));
      const keyFile = join(dir, 'server.key');
      writeFileSync(keyFile, pem);
      const env = sandboxEnv('https://acme.force.com/customers/', {
        SALESFORCE_CLIENT_SECRET: '',
        SALESFORCE_USERNAME: 'integration@acme.example',
        SALESFORCE_PRIVATE_KEY_FILE: keyFile,
        SALESFORCE_OBJECTS: 'Account',
      });
      const r = testRedis();
      const assertions: string[] = [];
      const instance = 'https://acme.my.salesforce.com';
      nock('https://acme.force.com')
        .post('/customers/services/oauth2/token', (b: Record<string, string>) => assertions.push(b.assertion ?? '') > 0)
        .reply(200, { access_token: '00D!x', instance_url: instance, id: `${instance}/id/00D5g000004ABCDEAA/0055g00000AAAAAAAA`, token_type: 'Bearer' });
      nock(instance)
        .get('/services/data/v65.0/sobjects/Account/describe')
        .reply(200, describeBody('Account', ['Name']))
        .post('/services/data/v65.0/composite/sobjects/Account')
        .reply(200, []);
      try {
        const connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
        await connector.readByIds('Account', ['0015g00000Aaaa1AAA'], ['Name']);
        expect(assertions).toHaveLength(1);
        expect(claimsOf(assertions[0] ?? '').aud).toBe('https://acme.force.com/customers');
      } finally {
        await r.cleanup(env.REDIS_PREFIX);
      }
    });
  });
});
