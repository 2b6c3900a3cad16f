/**
 * A local HTTP stand-in for HubSpot's CRM API (companies, contacts and their associations), for tests,
 * `icp-sync demo` and benchmarks. It serves
 * every call the connector makes (and the real `@hubspot/api-client` with only `basePath` changed),
 * with HubSpot's error bodies, rate limits and headers, fault injection and signed webhooks.
 */
import Fastify from 'fastify';
import { createGuard, SandboxRateState } from './guard.ts';
import { registerAssociationRoutes } from './routes-associations.ts';
import { registerDealRoutes } from './routes-deals.ts';
import { seedDeals } from './seed-deals.ts';
import { registerListRoutes } from './routes-lists.ts';
import { registerObjectRoutes } from './routes-objects.ts';
import { registerPropertyRoutes } from './routes-properties.ts';
import { ALL_SCOPES, SandboxStore, type SandboxLimits, type SandboxTokenInfo } from './store.ts';
import { WebhookSender, type WebhookDelivery, type WebhookTargetOptions } from './webhook-sender.ts';

export { SandboxStore } from './store.ts';
export { dealsOf } from './deals.ts';
export type { ChangeEvent, Fault, SandboxCompany, SandboxLimits, SandboxObjectType, SandboxRecord } from './store.ts';
export { signDelivery, type WebhookTargetOptions } from './webhook-sender.ts';

export interface HubSpotSandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Bearer token accepted with every scope. Default `sandbox-token`. */
  accessToken?: string;
  /** Extra tokens, e.g. one lacking a scope. */
  tokens?: Record<string, Partial<SandboxTokenInfo>>;
  /** App id reported for the tokens (and as `sourceId` of API writes). Default 4242. */
  appId?: number;
  /** Portal id. Default 62515. */
  portalId?: number;
  /** Companies to create at start. Default 0. */
  seed?: number;
  /** PRNG seed for the synthetic companies and contacts. Default 42. */
  randomSeed?: number;
  /**
   * Average contacts to create per seeded company (job titles, buying roles, companies; see
   * `syntheticContacts`). Default 0: no contacts.
   */
  contactsPerCompany?: number;
  /** Seed deals on the seeded companies (outcomes, amounts, lost reasons, contacts; see `seedDeals`). Default false. */
  deals?: boolean;
  limits?: Partial<SandboxLimits>;
}

export interface HubSpotSandbox {
  url: string;
  port: number;
  store: SandboxStore;
  appId: number;
  portalId: number;
  accessToken: string;
  /** Starts (or, with `undefined`, stops) webhook deliveries to `url`. */
  setWebhookTarget(url: string | undefined, opts?: WebhookTargetOptions): void;
  /** Sends pending webhook events and waits for the deliveries. */
  flushWebhooks(): Promise<void>;
  /** Every delivery made so far, with the target's status code (0 when unreachable). */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  close(): Promise<void>;
}

export async function startHubSpotSandbox(opts: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const store = new SandboxStore();
  const appId = opts.appId ?? 4242;
  const portalId = opts.portalId ?? 62515;
  const accessToken = opts.accessToken ?? 'sandbox-token';
  store.tokens.set(accessToken, { scopes: [...ALL_SCOPES], appId, hubId: portalId });
  for (const [token, info] of Object.entries(opts.tokens ?? {})) {
    store.tokens.set(token, { scopes: info.scopes ?? [...ALL_SCOPES], appId: info.appId ?? appId, hubId: info.hubId ?? portalId });
  }
  if (opts.limits) store.setLimits(opts.limits);
  if (opts.seed) store.seed(opts.seed, opts.randomSeed ?? 42);
  if (opts.contactsPerCompany) store.seedContacts(opts.contactsPerCompany, opts.randomSeed ?? 42);
  if (opts.deals) seedDeals(store, { seed: opts.randomSeed ?? 42 });

  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  app.addHook('onRequest', createGuard(store, new SandboxRateState()));
  registerObjectRoutes(app, store);
  registerPropertyRoutes(app, store);
  registerAssociationRoutes(app, store);
  registerListRoutes(app, store);
  registerDealRoutes(app, store);
  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send({ status: 'error', message: `No route for ${req.method} ${req.url}`, category: 'OBJECT_NOT_FOUND' }),
  );
  const sender = new WebhookSender(store);

  await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 0);
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    store,
    appId,
    portalId,
    accessToken,
    setWebhookTarget: (url, o) => sender.setTarget(url, o),
    flushWebhooks: () => sender.flush(),
    get webhookDeliveries() {
      return sender.deliveries;
    },
    close: async () => {
      await sender.close();
      await app.close();
    },
  };
}
