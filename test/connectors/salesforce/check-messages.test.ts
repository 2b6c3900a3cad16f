import { describe, expect, it } from 'vitest';
import { explainAuthFailure } from '../../../src/connectors/salesforce/check.ts';
import { toCrmError } from '../../../src/connectors/salesforce/map-error.ts';
import { sandboxEnv } from './helpers.ts';

/** An OAuth error as jsforce throws it: `name` = the `error` code, message = `error_description`. */
const oauth = (error: string, description: string) => toCrmError(Object.assign(new Error(description), { name: error }), { operation: 'authenticate' });

describe('--check explains authentication failures', () => {
  const env = sandboxEnv('https://acme.my.salesforce.com', { SALESFORCE_USERNAME: 'int@acme.com', SALESFORCE_PRIVATE_KEY_FILE: '/k' });
  const cases: Array<[string, string, 'jwt_bearer' | 'client_credentials', RegExp]> = [
    ['invalid_client_id', 'client identifier invalid', 'client_credentials', /does not know this client id/],
    ['invalid_client', 'invalid client credentials', 'client_credentials', /client secret does not match/],
    ['invalid_grant', "user hasn't approved this consumer", 'jwt_bearer', /int@acme\.com is not pre-authorised/],
    ['invalid_grant', 'no client credentials user enabled', 'client_credentials', /no run-as user/],
    ['invalid_grant', 'request not supported on this domain', 'client_credentials', /My Domain/],
    ['unsupported_grant_type', 'request not supported on this domain', 'client_credentials', /My Domain/],
    ['invalid_grant', 'audience is invalid', 'jwt_bearer', /audience was refused/],
    ['invalid_grant', 'invalid assertion', 'jwt_bearer', /SALESFORCE_PRIVATE_KEY_FILE matches the certificate/],
    ['invalid_grant', 'authentication failure', 'client_credentials', /refused the client credentials grant/],
    ['inactive_user', 'user is inactive', 'jwt_bearer', /is inactive/],
  ];
  for (const [code, text, flow, want] of cases) {
    it(`${code}: ${text}`, () => {
      expect(explainAuthFailure(oauth(code, text), env, flow)).toMatch(want);
    });
  }

  it('a network failure names the login URL', () => {
    const err = toCrmError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), { operation: 'authenticate' });
    expect(explainAuthFailure(err, env, 'jwt_bearer')).toMatch(/Cannot reach Salesforce at https:\/\/acme\.my\.salesforce\.com/);
  });
});
