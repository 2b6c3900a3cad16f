/**
 * `POST /services/oauth2/token`: client credentials and JWT bearer grants, with the error codes and
 * descriptions Salesforce answers (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { json, type Route, type SandboxResponse } from './http-types.ts';
import type { SandboxStore } from './store.ts';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** PEM public key (or certificate) for JWT bearer assertions; the JWT flow is off without it. */
  jwtPublicKeyPem?: string;
  /** Usernames pre-authorised for the JWT flow ("Admin approved users are pre-authorized"). */
  preAuthorizedUsernames: readonly string[];
  /** Whether the client credentials flow has a run-as user. */
  clientCredentialsEnabled: boolean;
}

const oauthError = (status: number, error: string, description: string): SandboxResponse =>
  json(status, { error, error_description: description });

export function oauthRoutes(store: SandboxStore, app: OAuthApp, opts: { baseUrl: () => string; sessionTtlMs: number }): Route[] {
  let publicKey: KeyObject | undefined;
  const key = (): KeyObject | undefined => (publicKey ??= app.jwtPublicKeyPem ? createPublicKey(app.jwtPublicKeyPem) : undefined);

  const issue = (userId: string): SandboxResponse => {
    const token = `${store.orgId.slice(0, 15)}!AQ${store.nextId('TOK')}${Math.random().toString(36).slice(2, 12)}`;
    store.sessions.set(token, { userId, expiresAt: Date.now() + opts.sessionTtlMs });
    return json(200, {
      access_token: token,
      instance_url: opts.baseUrl(),
      id: `${opts.baseUrl()}/id/${store.orgId}/${userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      scope: 'api',
      signature: 'sandbox',
    });
  };

  const jwtGrant = (assertion: string | null): SandboxResponse => {
    const k = key();
    if (!k) return oauthError(400, 'invalid_grant', 'invalid assertion');
    const parts = (assertion ?? '').split('.');
    if (parts.length !== 3) return oauthError(400, 'invalid_grant', 'invalid assertion');
    const [h, c, s] = parts as [string, string, string];
    let claims: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown };
    let header: { alg?: unknown };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown };
      claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return oauthError(400, 'invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') return oauthError(400, 'invalid_grant', 'invalid assertion');
    if (claims.iss !== app.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${c}`), k, Buffer.from(s, 'base64url'))) {
      return oauthError(400, 'invalid_grant', 'invalid assertion');
    }
    const audOk = [opts.baseUrl(), 'https://login.salesforce.com', 'https://test.salesforce.com'].includes(String(claims.aud));
    if (!audOk) return oauthError(400, 'invalid_grant', 'audience is invalid');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return oauthError(400, 'invalid_grant', 'expired authorization code');
    if (claims.sub !== store.integrationUsername) return oauthError(400, 'invalid_grant', 'user hasn\'t approved this consumer');
    if (!app.preAuthorizedUsernames.includes(claims.sub)) return oauthError(400, 'invalid_grant', 'user hasn\'t approved this consumer');
    return issue(store.integrationUserId);
  };

  return [
    {
      method: 'POST',
      pattern: /^\/services\/oauth2\/token$/,
      name: 'oauth.token',
      auth: false,
      counts: false,
      handle: (req) => {
        const form = new URLSearchParams(req.body);
        const grant = form.get('grant_type');
        if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtGrant(form.get('assertion'));
        if (grant === 'client_credentials') {
          if (form.get('client_id') !== app.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
          if (form.get('client_secret') !== app.clientSecret) return oauthError(400, 'invalid_client', 'invalid client credentials');
          if (!app.clientCredentialsEnabled) return oauthError(400, 'invalid_grant', 'no client credentials user enabled');
          return issue(store.integrationUserId);
        }
        return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
      },
    },
  ];
}
