/**
 * The BullMQ dashboard (bull-board) under `/admin/queues`, behind the admin token. Browsers get an
 * HTTP Basic prompt (any user name, the token as password); scripts may send the bearer header.
 * Read-only unless `ADMIN_DASHBOARD_WRITE` is on; framing forbidden, a strict CSP, and the page asks
 * no third party for anything (bull-board's page links Google Fonts: that line is removed).
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
  /** Allow retry, remove, clean, pause, promote and add (`ADMIN_DASHBOARD_WRITE`). Default false. */
  write?: boolean;
}

/** Same-origin only: scripts and styles are bull-board's own bundles (it inlines a little of both). */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const THIRD_PARTY_LINK = /[ \t]*<link[^>]+href="https?:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>\s*/g;

export async function queueDashboard(app: FastifyInstance, options: QueueDashboardOptions): Promise<void> {
  app.addHook('onRequest', adminAuthHook({ token: options.token, allowBasic: true }));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-frame-options', 'DENY').header('content-security-policy', CSP).header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && typeof payload === 'string') return payload.replace(THIRD_PARTY_LINK, '');
    return payload;
  });
  const write = options.write === true;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !write, allowRetries: write })),
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
