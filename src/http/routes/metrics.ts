/** `GET /metrics`: the Prometheus text exposition of `src/observability/metrics.ts`. */
import type { FastifyInstance } from 'fastify';
import { registry } from '../../observability/metrics.ts';

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/metrics',
    { logLevel: 'warn', schema: { response: { 200: { type: 'string' } } } },
    async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
}
