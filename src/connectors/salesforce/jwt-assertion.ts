/**
 * Signs the JWT bearer assertion of the OAuth 2.0 JWT bearer flow (RS256, node:crypto only).
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { createPrivateKey, sign } from 'node:crypto';

export interface JwtAssertionOptions {
  /** Consumer key of the connected app / external client app (`iss`). */
  clientId: string;
  /** Username of the integration user (`sub`). */
  username: string;
  /** Authorization server (`aud`): https://login.salesforce.com, https://test.salesforce.com or a site URL. */
  audience: string;
  /** PEM private key matching the certificate uploaded to the app. */
  privateKeyPem: string;
  /** Assertion lifetime in seconds; Salesforce accepts at most 3 minutes of validity. Default 180. */
  lifetimeSeconds?: number;
  /** Clock, for tests (ms epoch). */
  now?: number;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwtAssertion(opts: JwtAssertionOptions): string {
  const nowSec = Math.floor((opts.now ?? Date.now()) / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  const claims = base64url(
    JSON.stringify({ iss: opts.clientId, sub: opts.username, aud: opts.audience, exp: nowSec + (opts.lifetimeSeconds ?? 180) }),
  );
  const input = `${header}.${claims}`;
  const key = createPrivateKey(opts.privateKeyPem);
  const signature = sign('RSA-SHA256', Buffer.from(input), key);
  return `${input}.${base64url(signature)}`;
}

/**
 * The `aud` claim for a login URL. Salesforce wants the generic login host even when the token is asked
 * from a My Domain URL: `test.salesforce.com` for sandboxes, `login.salesforce.com` for production. Any other
 * host is its own audience, path included: an Experience Cloud site is identified by its full URL
 * (`https://acme.force.com/customers`), without a trailing `/`, query or fragment.
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm
 */
export function jwtAudience(loginUrl: string): string {
  const url = new URL(loginUrl);
  const host = url.hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host.endsWith('.salesforce.com')) return 'https://login.salesforce.com';
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
