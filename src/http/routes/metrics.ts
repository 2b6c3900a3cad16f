/**
 * `GET /metrics`: the Prometheus text exposition of `src/observability/metrics.ts`. With
 * `METRICS_TOKEN` set it asks for `Authorization: Bearer <token>` (Prometheus `authorization`
 * scrape setting); failed attempts are throttled like the admin token's.
 */
import type { FastifyInstance } from 'fastify';
import { registry } from '../../observability/metrics.ts';
import { adminAuthHook } from '../admin-auth.ts';

export interface MetricsRoutesOptions {
  token?: string;
}

export async function metricsRoutes(app: FastifyInstance, options: MetricsRoutesOptions = {}): Promise<void> {
  const guard = options.token === undefined ? undefined : adminAuthHook({ token: options.token, realm: 'icp-sync metrics' });
  app.get(
    '/metrics',
    { logLevel: 'warn', schema: { response: { 200: { type: 'string' } } }, ...(guard ? { onRequest: guard } : {}) },
    async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
}
