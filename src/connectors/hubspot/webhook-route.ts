/**
 * `POST /webhooks/hubspot`: verify the v3 signature over the raw body, triage the events (loop guard,
 * portal, merges), enqueue one rescore per company or contact, and answer — 2xx only once Redis holds them.
 * Nothing here waits on HubSpot: HubSpot retries a delivery that takes more than 5 seconds.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Env } from '../../config/env.ts';
import { QueueUnavailableError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { webhookEventsTotal, webhooksTotal, type WebhookResult } from '../../observability/metrics.ts';
import type { RescoreProducer } from '../../pipeline/requests.ts';
import { WEBHOOK_BODY_LIMIT } from './limits.ts';
import { verifyV3 } from './signature.ts';
import { triageEvents, parseDelivery, type EventFilter } from './webhook-events.ts';

export interface HubSpotWebhookRouteOptions {
  env: Env;
  producer: RescoreProducer;
  /** Our output property names (`icp_fit_score`…, and the contact ones when contacts are synced): changes to them never trigger a rescore. */
  outputPropertyNames: readonly string[];
  /**
   * Pass it when the runtime syncs contacts (the model has roles): the HubSpot properties the contacts
   * mapping reads, `inputFields(mappings.hubspot.contacts)` (`jobtitle`, `hs_buying_role` by default).
   * Contact events then become rescores of `contacts`. Unset (the default): contact events are
   * answered 200 and dropped (`contacts-not-synced`), since no worker would process them.
   */
  contactInputProperties?: readonly string[];
  logger?: Logger;
}

export const HUBSPOT_WEBHOOK_PATH = '/webhooks/hubspot';

/**
 * The URL HubSpot signed: `PUBLIC_BASE_URL`'s origin and path, then the path and query this request
 * arrived with. Behind a proxy the Host and scheme the app sees are not the ones HubSpot called.
 */
export function signedUri(request: FastifyRequest, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return `${signedBase(publicBaseUrl)}${request.url}`;
  return `${request.protocol}://${request.host}${request.url}`;
}

// PUBLIC_BASE_URL is fixed for the process: its origin and path are worked out once, not per delivery.
let lastBase: { url: string; base: string } | undefined;
function signedBase(publicBaseUrl: string): string {
  if (lastBase?.url !== publicBaseUrl) {
    const base = new URL(publicBaseUrl);
    lastBase = { url: publicBaseUrl, base: `${base.origin}${base.pathname.replace(/\/+$/, '')}` };
  }
  return lastBase.base;
}

function answer(reply: FastifyReply, status: number, result: WebhookResult, body: Record<string, unknown>) {
  webhooksTotal.inc({ crm: 'hubspot', result });
  return reply.code(status).send(body);
}

export async function hubspotWebhookRoutes(app: FastifyInstance, opts: HubSpotWebhookRouteOptions): Promise<void> {
  const { env, producer } = opts;
  const log = opts.logger ?? app.log;
  const secret = env.HUBSPOT_CLIENT_SECRET;
  if (!secret) {
    log.info('HubSpot webhooks off: HUBSPOT_CLIENT_SECRET is not set (the scheduled incremental sync is the trigger)');
    return;
  }
  if (!env.PUBLIC_BASE_URL) log.warn('PUBLIC_BASE_URL is not set: HubSpot signatures are checked against the Host header, which breaks behind a proxy');
  if (!env.HUBSPOT_APP_ID) log.warn('HUBSPOT_APP_ID is not set: the loop guard only drops changes to the output properties');
  const filter: EventFilter = {
    outputProperties: new Set(opts.outputPropertyNames),
    ...(env.HUBSPOT_PORTAL_ID ? { portalId: env.HUBSPOT_PORTAL_ID } : {}),
    ...(env.HUBSPOT_APP_ID ? { appId: env.HUBSPOT_APP_ID } : {}),
    ...(opts.contactInputProperties ? { contacts: { inputProperties: new Set(opts.contactInputProperties) } } : {}),
  };

  // Own scope: the raw-body parser and the error mapping stay inside this route.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.setErrorHandler(async (err: FastifyError, _req, reply) => {
      if (err.statusCode === 413) return answer(reply, 413, 'too_large', { error: 'payload too large' });
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
        return answer(reply, err.statusCode, 'malformed', { error: 'bad request' });
      }
      log.error({ err: err.message }, 'HubSpot webhook failed');
      return reply.code(500).send({ error: 'internal error' });
    });

    scope.post(HUBSPOT_WEBHOOK_PATH, { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : '';
      const verdict = verifyV3({
        clientSecret: secret,
        method: request.method,
        uri: signedUri(request, env.PUBLIC_BASE_URL),
        body,
        signature: request.headers['x-hubspot-signature-v3'] as string | undefined,
        timestamp: request.headers['x-hubspot-request-timestamp'] as string | undefined,
      });
      if (!verdict.ok) {
        log.warn({ reason: verdict.reason }, 'HubSpot webhook refused: signature');
        return answer(reply, 401, verdict.reason === 'stale' ? 'stale' : 'invalid_signature', {
          error: verdict.reason === 'stale' ? 'stale or missing timestamp' : 'invalid signature',
        });
      }
      let json: unknown;
      try {
        // Parsed once, here; the events are then checked and normalised in place (no copy).
        json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
      } catch {
        return answer(reply, 400, 'malformed', { error: 'body is not JSON' });
      }
      const delivery = parseDelivery(json);
      if (delivery === null) {
        return answer(reply, 400, 'malformed', { error: 'body must be a JSON array of events' });
      }
      if (delivery.events.length === 0 && delivery.invalid.length > 0) {
        const first = delivery.invalid[0];
        return answer(reply, 400, 'malformed', { error: `invalid events: [${first?.index ?? 0}].${first?.problem ?? ''}` });
      }
      if (delivery.invalid.length > 0) {
        log.warn({ invalid: delivery.invalid.length, first: delivery.invalid[0] }, 'HubSpot webhook: skipped malformed events');
      }
      const { requests, dropped } = triageEvents(delivery.events, filter);
      if (requests.length > 0) {
        try {
          await producer.enqueue(requests);
        } catch (err) {
          log.error({ err: err instanceof Error ? err.message : String(err), queueDown: err instanceof QueueUnavailableError }, 'HubSpot webhook: could not enqueue');
          return answer(reply, 503, 'queue_unavailable', { error: 'queue unavailable, retry later' });
        }
        webhookEventsTotal.inc({ crm: 'hubspot' }, delivery.events.length);
      }
      log.debug({ events: delivery.events.length, queued: requests.length, dropped: dropped.length }, 'HubSpot webhook');
      return answer(reply, 200, requests.length > 0 ? 'accepted' : 'ignored', { queued: requests.length, ignored: dropped.length });
    });
  });
}
