/**
 * `POST /webhooks/salesforce?token=…`: receives Outbound Messages, checks the shared token (401) and the
 * OrganizationId (403), refuses malformed or DOCTYPE-bearing XML (400), drops notifications caused by the
 * integration user's own writes (loop guard), skips notifications that name no record (a record deleted
 * before delivery: Salesforce sends it without data, and refusing the message would drop the other 99 once
 * its 24 hours of retries run out), enqueues one deduplicated rescore per record (Contacts only when
 * `syncContacts` is on: otherwise they are acknowledged and dropped, with the reason logged), and answers
 * Salesforce's `Ack` only once the producer says they are safe. Anything else makes Salesforce retry
 * (with backoff, for up to 24 hours).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Env } from '../../config/env.ts';
import { QueueUnavailableError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { webhookEventsTotal, webhooksTotal, type WebhookResult } from '../../observability/metrics.ts';
import type { RescoreProducer, RescoreRequest } from '../../pipeline/requests.ts';
import { CONTACT_OBJECT } from './contact-roles.ts';
import { ACK_ENVELOPE, MalformedOutboundMessage, parseOutboundMessage, sameSalesforceId, soapFault } from './outbound-message.ts';

export interface SalesforceWebhookOptions {
  env: Env;
  producer: RescoreProducer;
  /** The integration user's id (005…); defaults to `SALESFORCE_INTEGRATION_USER_ID`. */
  integrationUserId?: string;
  logger?: Logger;
  /** Largest accepted body in bytes. Default 1 MiB (100 notifications of a few KB each). */
  bodyLimit?: number;
  /**
   * Whether Contact notifications become rescore requests: on when the runtime syncs people (the model has
   * roles). Default off: Contact notifications are acknowledged (Salesforce would otherwise retry them for
   * 24 hours) and dropped, and the log says why.
   */
  syncContacts?: boolean;
}

const XML_TYPES = ['text/xml', 'application/xml', 'application/soap+xml'];

const digest = (s: string) => createHash('sha256').update(s).digest();

function tokenMatches(given: unknown, expected: string | undefined): boolean {
  if (expected === undefined || typeof given !== 'string' || given === '') return false;
  return timingSafeEqual(digest(given), digest(expected));
}

export async function salesforceWebhookRoutes(app: FastifyInstance, opts: SalesforceWebhookOptions): Promise<void> {
  const { env, producer } = opts;
  const log = opts.logger ?? app.log;
  const integrationUserId = opts.integrationUserId ?? env.SALESFORCE_INTEGRATION_USER_ID;
  const synced = new Set<string>(env.SALESFORCE_OBJECTS);
  const syncContacts = opts.syncContacts ?? false;
  if (!env.SALESFORCE_WEBHOOK_TOKEN) log.warn({ crm: 'salesforce' }, 'SALESFORCE_WEBHOOK_TOKEN is unset: every outbound message will be refused');
  if (!env.SALESFORCE_ORG_ID) log.warn({ crm: 'salesforce' }, 'SALESFORCE_ORG_ID is unset: every outbound message will be refused');
  if (!integrationUserId) log.warn({ crm: 'salesforce' }, 'SALESFORCE_INTEGRATION_USER_ID is unset: own writes cannot be told apart in outbound messages');

  await app.register(async (scope) => {
    // Encapsulated: the raw XML parser applies to this route only.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: opts.bodyLimit ?? 1024 * 1024 }, (_req, body, done) => {
      done(null, body);
    });

    const answer = (reply: FastifyReply, status: number, result: WebhookResult, body: string) => {
      webhooksTotal.inc({ crm: 'salesforce', result });
      return reply.code(status).type('text/xml; charset=utf-8').send(body);
    };

    scope.post('/webhooks/salesforce', async (request, reply) => {
      const token = (request.query as Record<string, unknown> | undefined)?.token;
      if (!tokenMatches(token, env.SALESFORCE_WEBHOOK_TOKEN)) {
        return answer(reply, 401, 'invalid_signature', soapFault('Client', 'invalid or missing token'));
      }
      let message;
      try {
        message = parseOutboundMessage(typeof request.body === 'string' ? request.body : '');
      } catch (err) {
        if (!(err instanceof MalformedOutboundMessage)) throw err;
        log.warn({ crm: 'salesforce', reason: err.message }, 'malformed outbound message');
        return answer(reply, 400, 'malformed', soapFault('Client', err.message));
      }
      if (!sameSalesforceId(message.organizationId, env.SALESFORCE_ORG_ID)) {
        log.warn({ crm: 'salesforce', orgId: message.organizationId }, 'outbound message from another org');
        return answer(reply, 403, 'invalid_signature', soapFault('Client', 'unexpected OrganizationId'));
      }
      const seen = new Set<string>();
      const requests: RescoreRequest[] = [];
      let own = 0;
      let contactsDropped = 0;
      for (const n of message.notifications) {
        if (n.objectType === CONTACT_OBJECT && !syncContacts) {
          contactsDropped += 1;
          continue;
        }
        if (!synced.has(n.objectType) && n.objectType !== CONTACT_OBJECT) continue;
        if (integrationUserId && sameSalesforceId(n.lastModifiedById, integrationUserId)) {
          own += 1;
          continue;
        }
        const key = `${n.objectType}:${n.recordId.slice(0, 15)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        requests.push({
          crm: 'salesforce',
          objectType: n.objectType,
          id: n.recordId,
          trigger: 'webhook',
          ...(n.occurredAt === undefined ? {} : { occurredAt: n.occurredAt }),
        });
      }
      if (requests.length > 0) {
        try {
          await producer.enqueue(requests);
        } catch (err) {
          if (!(err instanceof QueueUnavailableError)) throw err;
          log.error({ crm: 'salesforce', records: requests.length }, 'queue unavailable: outbound message not acknowledged');
          return answer(reply, 503, 'queue_unavailable', soapFault('Server', 'temporarily unavailable, retry later'));
        }
        webhookEventsTotal.inc({ crm: 'salesforce' }, requests.length);
      }
      if (contactsDropped > 0) {
        log.info(
          { crm: 'salesforce', objectType: CONTACT_OBJECT, dropped: contactsDropped },
          'Contact notifications acknowledged and dropped: contacts are not synced (the model has no roles, or syncContacts is off)',
        );
      }
      if (message.withoutRecord.length > 0) {
        log.info({ crm: 'salesforce', withoutRecord: message.withoutRecord.length }, 'outbound notifications without a record (deleted) skipped');
      }
      log.info(
        {
          crm: 'salesforce',
          notifications: message.notifications.length + message.withoutRecord.length,
          enqueued: requests.length,
          ownWrites: own,
          withoutRecord: message.withoutRecord.length,
          contactsDropped,
        },
        'outbound message acknowledged',
      );
      return answer(reply, 200, requests.length > 0 ? 'accepted' : 'ignored', ACK_ENVELOPE);
    });
  });
}
