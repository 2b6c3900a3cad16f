/**
 * `GET /healthz` (the process answers) and `GET /readyz` (config loaded and Redis reachable, so
 * webhooks can be queued). Load balancers route on readiness; orchestrators restart on liveness.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpRuntime } from '../runtime-port.ts';

export interface HealthRoutesOptions {
  runtime: Pick<HttpRuntime, 'ready'>;
  /** How long the Redis check may take before readiness says no, in ms. Default 2000. */
  readyTimeoutMs?: number;
}

const checkSchema = { type: 'string', enum: ['ok', 'unreachable', 'timeout'] } as const;

const readySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: {
      type: 'object',
      required: ['config', 'redis'],
      properties: { config: checkSchema, redis: checkSchema },
    },
  },
} as const;

type CheckResult = 'ok' | 'unreachable' | 'timeout';

async function withTimeout(check: () => Promise<void>, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([check().then((): CheckResult => 'ok', (): CheckResult => 'unreachable'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  const timeoutMs = options.readyTimeoutMs ?? 2000;

  app.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } } },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    { logLevel: 'warn', schema: { response: { 200: readySchema, 503: readySchema } } },
    async (_request, reply) => {
      // The app is only built once env, model and mappings were validated: config is loaded.
      const redis = await withTimeout(() => options.runtime.ready(), timeoutMs);
      const ok = redis === 'ok';
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: { config: 'ok', redis } });
    },
  );
}
