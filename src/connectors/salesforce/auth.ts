/**
 * Authentication for the Salesforce connector: OAuth 2.0 client credentials or JWT bearer flow, through
 * jsforce with an explicit API version and a `refreshFn` that simply authenticates again (neither flow
 * issues a refresh token, and jsforce's default refresh needs one). Tokens are never logged.
 */
import { readFileSync } from 'node:fs';
import jsforce from 'jsforce';
import type { Connection } from 'jsforce';
import type { Env } from '../../config/env.ts';
import { ConfigError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { jwtAudience, signJwtAssertion } from './jwt-assertion.ts';

export type AuthFlow = 'client_credentials' | 'jwt_bearer';

/** At most this many re-authentications per window (ms) before a 401 is taken as a refusal, not an expiry. */
const MAX_REFRESHES_PER_WINDOW = 3;
const REFRESH_WINDOW_MS = 60_000;

export interface Identity {
  /** The integration user's id (005…). */
  userId: string;
  /** The org id (00D…). */
  orgId: string;
}

/** Which flow the environment configures; `ConfigError` naming the missing keys when neither is complete. */
export function resolveAuthFlow(env: Env): AuthFlow {
  if (!env.SALESFORCE_CLIENT_ID) {
    throw new ConfigError(['env: SALESFORCE_CLIENT_ID: required (the consumer key of the connected app or external client app)']);
  }
  if (env.SALESFORCE_USERNAME || env.SALESFORCE_PRIVATE_KEY_FILE) {
    const problems: string[] = [];
    if (!env.SALESFORCE_USERNAME) problems.push('env: SALESFORCE_USERNAME: required for the JWT bearer flow');
    if (!env.SALESFORCE_PRIVATE_KEY_FILE) problems.push('env: SALESFORCE_PRIVATE_KEY_FILE: required for the JWT bearer flow');
    if (problems.length > 0) throw new ConfigError(problems);
    return 'jwt_bearer';
  }
  if (!env.SALESFORCE_CLIENT_SECRET) {
    throw new ConfigError([
      'env: SALESFORCE_CLIENT_SECRET: required for the client credentials flow (or set SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY_FILE for the JWT bearer flow)',
    ]);
  }
  return 'client_credentials';
}

export interface SalesforceSession {
  readonly flow: AuthFlow;
  readonly connection: Connection;
  /** Authenticates once (concurrent callers share the attempt); resolves to who we are. */
  ensure(): Promise<Identity>;
  /** The identity once authenticated. */
  identity(): Identity | undefined;
  /** Typed error of the last failed re-authentication (jsforce wraps it in a plain Error), then clears it. */
  takeRefreshFailure(): unknown;
}

/** Creates the jsforce connection and the grant used both to log in and to re-authenticate on 401. */
export function createSalesforceSession(env: Env, logger: Logger): SalesforceSession {
  const flow = resolveAuthFlow(env);
  const clientId = env.SALESFORCE_CLIENT_ID as string;
  // jsforce appends `/services/oauth2/token`: a trailing `/` would double the slash.
  const loginUrl = (env.SALESFORCE_LOGIN_URL ?? 'https://login.salesforce.com').replace(/\/+$/, '');
  let privateKeyPem: string | undefined;
  if (flow === 'jwt_bearer') {
    try {
      privateKeyPem = readFileSync(env.SALESFORCE_PRIVATE_KEY_FILE as string, 'utf8');
    } catch (err) {
      throw new ConfigError([`env: SALESFORCE_PRIVATE_KEY_FILE: cannot read ${env.SALESFORCE_PRIVATE_KEY_FILE}: ${(err as Error).message}`]);
    }
  }

  const grant = (): { grant_type: string; [name: string]: string } =>
    flow === 'jwt_bearer'
      ? {
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: signJwtAssertion({
            clientId,
            username: env.SALESFORCE_USERNAME as string,
            audience: jwtAudience(loginUrl),
            privateKeyPem: privateKeyPem as string,
          }),
        }
      : { grant_type: 'client_credentials' };

  let identity: Identity | undefined;
  let pending: Promise<Identity> | undefined;
  let refreshFailure: unknown;
  let refreshes: number[] = [];

  const authorize = async (conn: Connection): Promise<Identity> => {
    const info = await conn.authorize(grant());
    identity = { userId: info.id ?? '', orgId: info.organizationId ?? '' };
    return identity;
  };

  const connection = new jsforce.Connection({
    loginUrl,
    // Never jsforce's default (50.0): the env schema requires an explicit, recent version.
    version: env.SALESFORCE_API_VERSION,
    oauth2: {
      clientId,
      // The secret is only sent on the client credentials flow; the JWT flow signs instead.
      ...(flow === 'client_credentials' ? { clientSecret: env.SALESFORCE_CLIENT_SECRET as string } : {}),
      loginUrl,
    },
    refreshFn: (conn, callback) => {
      // jsforce refreshes on every 401; a session refused right after being issued would loop forever.
      const now = Date.now();
      refreshes = refreshes.filter((t) => now - t < REFRESH_WINDOW_MS);
      if (refreshes.length >= MAX_REFRESHES_PER_WINDOW) {
        refreshFailure = Object.assign(new Error('Salesforce refuses new sessions right after issuing them (check API access and IP restrictions)'), {
          errorCode: 'INVALID_SESSION_ID',
        });
        callback(refreshFailure as Error);
        return;
      }
      refreshes.push(now);
      logger.info({ crm: 'salesforce', flow }, 'salesforce session expired, authenticating again');
      authorize(conn).then(
        () => callback(null, conn.accessToken ?? undefined),
        (err: unknown) => {
          refreshFailure = err;
          callback(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
  });

  return {
    flow,
    connection,
    identity: () => identity,
    takeRefreshFailure: () => {
      const f = refreshFailure;
      refreshFailure = undefined;
      return f;
    },
    ensure: () => {
      if (identity && connection.accessToken) return Promise.resolve(identity);
      pending ??= authorize(connection)
        .then((id) => {
          logger.info({ crm: 'salesforce', flow, userId: id.userId, orgId: id.orgId }, 'salesforce authenticated');
          return id;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
  };
}
