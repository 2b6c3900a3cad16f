/**
 * Registers each configured CRM's webhook receiver (the routes live in the connector folders),
 * each in its own encapsulated scope so that its body parsers and error mapping stay its own.
 * HubSpot's needs `HUBSPOT_CLIENT_SECRET` (signatures), Salesforce's `SALESFORCE_WEBHOOK_TOKEN`, and
 * each needs its connector configured.
 */
import type { FastifyInstance } from 'fastify';
import type { Env } from '../config/env.ts';
import { hubspotWebhookRoutes } from '../connectors/hubspot/webhook-route.ts';
import { salesforceWebhookRoutes } from '../connectors/salesforce/webhook-route.ts';
import type { Logger } from '../logging.ts';
import type { HttpRuntime } from './runtime-port.ts';

export interface WebhookRoutesOptions {
  env: Env;
  runtime: HttpRuntime;
  logger: Logger;
}

export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const { env, runtime, logger } = options;
  // A receiver without its connector would queue changes no worker can process: both or neither.
  const hubspot = runtime.connector('hubspot');
  if (env.HUBSPOT_CLIENT_SECRET !== undefined && hubspot) {
    const outputPropertyNames = [...new Set(hubspot.objectTypes.flatMap((t) => hubspot.outputFields(t).map((f) => f.name)))];
    // Contacts are synced when the model has roles: their events then become rescores.
    const contactInputProperties = hubspot.objectTypes.includes('contacts') ? hubspot.inputFields?.('contacts') : undefined;
    await app.register(async (scope) =>
      hubspotWebhookRoutes(scope, { env, producer: runtime.producer, outputPropertyNames, ...(contactInputProperties ? { contactInputProperties } : {}), logger }),
    );
  } else if (env.HUBSPOT_CLIENT_SECRET !== undefined) {
    logger.warn('HUBSPOT_CLIENT_SECRET is set but HubSpot is not configured (HUBSPOT_ACCESS_TOKEN): HubSpot webhooks off');
  }
  const salesforce = runtime.connector('salesforce');
  if (env.SALESFORCE_WEBHOOK_TOKEN !== undefined && salesforce) {
    const syncContacts = salesforce.objectTypes.includes('Contact');
    await app.register(async (scope) => salesforceWebhookRoutes(scope, { env, producer: runtime.producer, syncContacts, logger }));
  } else if (env.SALESFORCE_WEBHOOK_TOKEN !== undefined) {
    logger.warn('SALESFORCE_WEBHOOK_TOKEN is set but Salesforce is not configured: Salesforce webhooks off');
  }
}
