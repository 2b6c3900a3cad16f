/**
 * Builds the Fastify application — routes, schemas, error handling — without listening
 * (`server.ts` listens). Tests build it and drive it with `app.inject()`.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Env } from '../config/env.ts';
import { consoleEnabled, consolePlugin } from '../console/plugin.ts';
import type { ConsoleRuntime } from '../console/port.ts';
import type { Logger } from '../logging.ts';
import { QUEUE_STATES, setQueueDepthSource, type QueueDepthReading } from '../observability/metrics.ts';
import { installErrorHandlers } from './error-handler.ts';
import { adminRoutes } from './routes/admin.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { queueDashboard } from './routes/queue-dashboard.ts';
import type { HttpRuntime } from './runtime-port.ts';
import { webhookRoutes } from './webhooks.ts';

export interface BuildAppOptions {
  env: Env;
  logger: Logger;
  runtime: HttpRuntime;
  /** Serve the queue dashboard under `/admin/queues` (needs `ADMIN_TOKEN`). Default true. */
  dashboard?: boolean;
  /** How long `/readyz` waits for Redis, in ms. Default 2000. */
  readyTimeoutMs?: number;
  /** The runtime the RevOps console reads; `/console` exists when this is given and a console secret is set. */
  console?: ConsoleRuntime;
}

/** Requests slower than this are logged at `warn`, in ms. */
const SLOW_REQUEST_MS = 1000;

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { env, runtime } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    // Our own one-line access log (below) names the route pattern, never the raw URL: a Salesforce
    // outbound message carries its token in the query string and record ids sit in admin paths.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Keep-alive connections are closed when idle so shutdown does not wait for clients.
    forceCloseConnections: 'idle',
    // Unknown fields in a request are refused (400), not silently dropped: a typo must not turn
    // `{"crm":"hubspot","objectTyp":"companies"}` into a backfill of everything.
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as FastifyInstance;

  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime);
    const line = { method: request.method, route: request.routeOptions.url ?? 'unmatched', statusCode: reply.statusCode, ms };
    if (reply.statusCode >= 500 || ms >= SLOW_REQUEST_MS) request.log.warn(line, 'request');
    else request.log.info(line, 'request');
  });

  installErrorHandlers(app);

  await app.register(healthRoutes, { runtime, readyTimeoutMs: options.readyTimeoutMs });
  await app.register(metricsRoutes, { ...(env.METRICS_TOKEN === undefined ? {} : { token: env.METRICS_TOKEN }) });
  setQueueDepthSource(() => readQueueDepth(runtime));
  app.addHook('onClose', async () => setQueueDepthSource(undefined));

  await app.register(webhookRoutes, { env, runtime, logger: options.logger });

  const token = env.ADMIN_TOKEN;
  if (token !== undefined) {
    // Without ADMIN_TOKEN the admin surface does not exist at all (404), rather than answering 401.
    await app.register(adminRoutes, { prefix: '/admin', runtime, token });
    if (options.dashboard ?? true) await app.register(queueDashboard, { queues: runtime.queues(), token, write: env.ADMIN_DASHBOARD_WRITE });
  }
  if (options.console !== undefined && consoleEnabled(env)) await app.register(consolePlugin, { prefix: '/console', env, runtime: options.console });
  return app;
}

async function readQueueDepth(runtime: HttpRuntime): Promise<QueueDepthReading[]> {
  const readings: QueueDepthReading[] = [];
  for (const queue of runtime.queues()) {
    const counts = await queue.getJobCounts(...QUEUE_STATES);
    for (const state of QUEUE_STATES) readings.push({ queue: queue.name, state, count: counts[state] ?? 0 });
  }
  return readings;
}
