/**
 * `GET /console/operations/events`: the backfill progress as server-sent events. Every interval
 * the stream reads the backfill states and, when they changed, sends the list as rendered HTML
 * (built with the escaping template, like the page); otherwise a comment keeps the line open.
 * Streams end when the server closes, and after ten minutes (EventSource reconnects by itself).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { jsonSchemaOf } from '../http/json-schema.ts';
import { pageContext } from './context.ts';
import { html } from './html.ts';
import { backfillItem } from './pages/operations.ts';
import type { ConsoleRuntime } from './port.ts';
import { CONSOLE_CSP } from './csp.ts';

export interface BackfillEventsOptions {
  runtime: Pick<ConsoleRuntime, 'backfillStatus'>;
  intervalMs: number;
}

const MAX_STREAM_MS = 10 * 60_000;
const EventsQuery = z.object({ lang: z.enum(['en', 'fr']).optional() }).strict();

export async function backfillEvents(app: FastifyInstance, options: BackfillEventsOptions): Promise<void> {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/operations/events', { schema: { querystring: jsonSchemaOf(EventsQuery) } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONSOLE_CSP,
    });
    let last = '';
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const states = (await options.runtime.backfillStatus()).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
        const body = html`${states.map((b) => backfillItem(ctx, b))}`.text;
        if (body !== last) {
          last = body;
          const running = states.filter((s) => s.status === 'running').length;
          res.write(`event: backfills\ndata: ${JSON.stringify({ html: body, running })}\n\n`);
        } else {
          res.write(': quiet\n\n');
        }
      } catch (err) {
        request.log.warn({ err }, 'backfill progress read failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), options.intervalMs);
    const limit = setTimeout(() => end(), MAX_STREAM_MS);
    const end = () => {
      clearInterval(timer);
      clearTimeout(limit);
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    request.raw.on('close', end);
    res.write('retry: 2000\n\n');
    await tick();
  });
}
