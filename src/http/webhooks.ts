/**
 * Registers each configured CRM's webhook receiver (the routes live in the connector folders),
 * each in its own encapsulated scope so that its body parsers stay its own.
 */
import type { FastifyInstance } from 'fastify';
import type { Env } from '../config/env.ts';
import type { Logger } from '../logging.ts';
import type { HttpRuntime } from './runtime-port.ts';

export interface WebhookRoutesOptions {
  env: Env;
  runtime: HttpRuntime;
  logger: Logger;
}

export async function webhookRoutes(_app: FastifyInstance, _options: WebhookRoutesOptions): Promise<void> {
  // Filled in once the connector folders export their webhook routes.
}
