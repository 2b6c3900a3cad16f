/**
 * A local Salesforce org for tests, the demo and benchmarks: Accounts, Leads, Contacts, Opportunities and
 * contact roles; OAuth (client credentials and JWT bearer, with expiring sessions), query/queryAll/queryMore,
 * sObject Collections retrieve and update, Bulk API 2.0 ingest, the
 * Metadata API calls setup makes, `Sforce-Limit-Info` and the daily allocation, and Outbound Messages.
 * The real jsforce works against it unchanged. Listens on 127.0.0.1, port 0 by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bulkRoutes } from './bulk-routes.ts';
import { restError, type Route, type SandboxRequest, type SandboxResponse } from './http-types.ts';
import { metadataRoutes } from './metadata-routes.ts';
import { oauthRoutes } from './oauth-routes.ts';
import { OutboundSender, type OutboundStats } from './outbound.ts';
import { restRoutes } from './rest-routes.ts';
import { SandboxStore } from './store.ts';
import { soapFault } from './xml.ts';

export { SandboxStore } from './store.ts';
export { CONTACT_ROLE_VALUES } from './store.ts';
export type { SObjectName, Row, SandboxStoreOptions, SeededIds } from './store.ts';

export interface SalesforceSandboxOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Connected app consumer key and secret. Defaults: `sandbox-client-id` / `sandbox-client-secret`. */
  clientId?: string;
  clientSecret?: string;
  /** PEM public key for JWT bearer assertions (the JWT flow answers `invalid assertion` without it). */
  jwtPublicKeyPem?: string;
  /** The integration user's username (JWT `sub`). Default `integration@icp-sync.sandbox`. */
  username?: string;
  /** Whether that user is pre-authorised for the app (JWT flow). Default true. */
  preAuthorized?: boolean;
  /** Whether the client credentials flow has a run-as user. Default true. */
  clientCredentialsEnabled?: boolean;
  /** Access token lifetime in ms (default 2 hours, Salesforce's default session timeout). */
  sessionTtlMs?: number;
  /**
   * Whether State and Country/Territory Picklists are enabled. Default true; false simulates an org without
   * them: `BillingCountryCode` (Account) and `CountryCode` (Lead) do not exist, and asking for them answers
   * 400 INVALID_FIELD as Salesforce does.
   */
  countryPicklists?: boolean;
  /**
   * Seed these many Accounts and Leads at start (deterministic); `people` adds Contacts (about 3 per Account),
   * Opportunities and contact roles; `deals` adds closed Opportunities with outcomes, amounts, loss reasons and
   * contact roles (see `seed-opportunities.ts`).
   */
  seed?: { accounts?: number; leads?: number; seed?: number; people?: boolean; deals?: boolean };
}

export interface SalesforceSandbox {
  /** Base URL (`http://127.0.0.1:port`): login URL and instance URL at once. */
  url: string;
  port: number;
  store: SandboxStore;
  /** Calls per route name (`query`, `composite.update`, `bulk.create`, `metadata.upsertMetadata`…). */
  stats(): Record<string, number>;
  resetStats(): void;
  /** Where Outbound Messages go (`?token=` is added); `undefined` stops them. */
  setOutboundTarget(url: string | undefined, opts?: { token: string; orgId?: string }): void;
  outboundStats(): OutboundStats;
  /** Resolves once every queued Outbound Message is delivered or given up. */
  waitForOutbound(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 200 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startSalesforceSandbox(opts: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const store = new SandboxStore(opts.username ?? 'integration@icp-sync.sandbox', { countryPicklists: opts.countryPicklists ?? true });
  let baseUrl = '';
  const routes: Route[] = [
    ...oauthRoutes(
      store,
      {
        clientId: opts.clientId ?? 'sandbox-client-id',
        clientSecret: opts.clientSecret ?? 'sandbox-client-secret',
        ...(opts.jwtPublicKeyPem ? { jwtPublicKeyPem: opts.jwtPublicKeyPem } : {}),
        preAuthorizedUsernames: opts.preAuthorized === false ? [] : [store.integrationUsername],
        clientCredentialsEnabled: opts.clientCredentialsEnabled ?? true,
      },
      { baseUrl: () => baseUrl, sessionTtlMs: opts.sessionTtlMs ?? 2 * 3600_000 },
    ),
    ...restRoutes(store),
    ...bulkRoutes(store),
    ...metadataRoutes(store),
  ];
  const outbound = new OutboundSender(store, () => baseUrl);
  if (opts.seed) store.seed(opts.seed);

  const dispatch = async (req: IncomingMessage): Promise<SandboxResponse> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    let params: Record<string, string> | undefined;
    const route = routes.find((r) => {
      if (r.method !== method) return false;
      const m = r.pattern.exec(url.pathname);
      if (m) params = { ...m.groups };
      return m !== null;
    });
    if (!route) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const body = await readBody(req);
    const soap = url.pathname.startsWith('/services/Soap/');
    const sreq: SandboxRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, userId: '' };
    if (route.auth) {
      const token = /^(Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[2] ?? '';
      const session = store.sessions.get(token);
      if (!session || session.expiresAt < Date.now()) {
        store.sessions.delete(token);
        return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      }
      sreq.userId = session.userId;
    }
    if (route.counts) {
      if (store.apiUsed >= store.apiLimit) {
        return soap
          ? { status: 500, headers: { 'content-type': 'text/xml' }, body: soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') }
          : restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      }
      store.apiUsed += 1;
    }
    if (route.name !== 'metadata') store.count(route.name);
    let res: SandboxResponse;
    store.inFlight += 1;
    store.maxInFlight = Math.max(store.maxInFlight, store.inFlight);
    try {
      if (store.latencyMs > 0 && route.counts) await new Promise((r) => setTimeout(r, store.latencyMs));
      res = await route.handle(sreq, params ?? {});
    } finally {
      store.inFlight -= 1;
    }
    if (route.counts && !soap) {
      res.headers = { ...res.headers, 'sforce-limit-info': `api-usage=${store.apiUsed}/${store.apiLimit}` };
    }
    return res;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    dispatch(req).then(
      (out) => {
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body ?? '');
      },
      (err: unknown) => {
        const bad = err instanceof SyntaxError;
        res.writeHead(bad ? 400 : 500, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify([{ errorCode: bad ? 'JSON_PARSER_ERROR' : 'UNKNOWN_EXCEPTION', message: (err as Error).message }]));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    store,
    stats: () => Object.fromEntries(store.stats),
    resetStats: () => store.stats.clear(),
    setOutboundTarget: (url, o) => outbound.setTarget(url === undefined || !o ? undefined : { url, token: o.token, ...(o.orgId ? { orgId: o.orgId } : {}) }),
    outboundStats: () => ({ ...outbound.stats }),
    waitForOutbound: () => outbound.waitIdle(),
    close: async () => {
      outbound.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
