/**
 * The BullMQ dashboard (bull-board) under `/admin/queues`, behind the admin token. Browsers get an
 * HTTP Basic prompt (any user name, the token as password); scripts may send the bearer header.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { errorResponse } from '@bull-board/api/dist/errors.js';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { adminAuthHook } from '../admin-auth.ts';

export const DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardOptions {
  queues: readonly Queue[];
  token: string;
}

export async function queueDashboard(app: FastifyInstance, options: QueueDashboardOptions): Promise<void> {
  app.addHook('onRequest', adminAuthHook({ token: options.token, allowBasic: true }));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'icp-sync queues' } },
  });
  // bull-board's own handler puts the raw error message (a Redis address, say) in 500 bodies.
  serverAdapter.setErrorHandler((error: Error & { statusCode?: number }) => {
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return errorResponse(400, 'ERRORS.INVALID_REQUEST_BODY');
    }
    app.log.error({ err: error }, 'queue dashboard request failed');
    return errorResponse(500, 'ERRORS.INTERNAL_SERVER_ERROR');
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}
