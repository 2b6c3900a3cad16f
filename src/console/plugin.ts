/**
 * The RevOps console at `/console` (issue 12): server-rendered pages behind a sign-in, with
 * signed httpOnly SameSite=Strict session cookies, CSRF tokens on every form, a same-origin CSP
 * and an audit log. Registered by `buildApp` only when a console secret is set.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Env } from '../config/env.ts';
import { hashTagPrefix } from '../pipeline/keys.ts';
import { loadAssets } from './assets.ts';
import { redisAuditLog, type AuditLog } from './audit.ts';
import { langOf, pageContext, sessionOf } from './context.ts';
import { BASE, page } from './layout.ts';
import type { ConsoleRuntime } from './port.ts';
import { accessRoutes } from './routes-access.ts';
import { backfillEvents } from './events.ts';
import { pageRoutes } from './routes-pages.ts';
import { modelRoutes } from './routes-model.ts';
import { mappingRoutes } from './routes-mappings.ts';
import { calibrationRoutes } from './routes-calibration.ts';
import { signingKey } from './session.ts';
import { html } from './html.ts';
import { ConsoleRefusal } from './refusal.ts';
import { CONSOLE_CSP } from './csp.ts';
import { translator, LANG_COOKIE } from './i18n.ts';

export interface ConsoleOptions {
  env: Env;
  runtime: ConsoleRuntime;
  /** Replaces the Redis audit log (tests). */
  audit?: AuditLog;
  /** How often the live backfill stream reads the progress, ms. Default 1000. */
  eventsIntervalMs?: number;
}

/** The console exists when at least one console secret is set. */
export function consoleEnabled(env: Env): boolean {
  return env.CONSOLE_EDITOR_SECRET !== undefined || env.CONSOLE_VIEWER_SECRET !== undefined;
}


const OPEN_PATHS = new Set([`${BASE}/sign-in`]);

export async function consolePlugin(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const { env } = options;
  const secrets = { editor: env.CONSOLE_EDITOR_SECRET, viewer: env.CONSOLE_VIEWER_SECRET };
  const secure = env.CONSOLE_COOKIE_SECURE === 'true' || (env.CONSOLE_COOKIE_SECURE === 'auto' && env.PUBLIC_BASE_URL?.startsWith('https:') === true);
  const cookieOpts = { path: BASE, httpOnly: true, sameSite: 'strict' as const, secure: secure ? true : env.CONSOLE_COOKIE_SECURE === 'false' ? false : ('auto' as const), signed: true };

  let redis: Redis | undefined;
  const audit =
    options.audit ??
    (() => {
      redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2, lazyConnect: true });
      return redisAuditLog(redis, `${hashTagPrefix(env.REDIS_PREFIX)}:console:audit`);
    })();
  app.addHook('onClose', async () => {
    redis?.disconnect();
  });

  await app.register(fastifyCookie, { secret: signingKey(secrets), hook: 'onRequest' });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/cookie', cookieKey: 'icp_console_csrf', cookieOpts });

  app.addHook('onRequest', async (request, reply) => {
    const lang = (request.query as Record<string, unknown> | undefined)?.['lang'];
    if (lang === 'en' || lang === 'fr') reply.setCookie(LANG_COOKIE, lang, { path: BASE, sameSite: 'strict', httpOnly: true, maxAge: 365 * 86400, secure: cookieOpts.secure });
    const path = request.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path) || path.startsWith(`${BASE}/assets/`)) return;
    if (sessionOf(request) !== undefined) return;
    if (request.method === 'GET' || request.method === 'HEAD') {
      const next = request.url.startsWith(BASE) ? request.url : BASE;
      await reply.redirect(`${BASE}/sign-in?next=${encodeURIComponent(next)}`, 303);
      return;
    }
    throw new ConsoleRefusal(401, 'sign in first');
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    // A route that sets its own policy (the ICP sheet, framed by the Calibration page) keeps it and may be framed by the console.
    const own = reply.getHeader('content-security-policy');
    reply
      .header('content-security-policy', own ?? CONSOLE_CSP)
      .header('x-frame-options', own === undefined ? 'DENY' : 'SAMEORIGIN')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin');
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/css') && !String(reply.getHeader('content-type') ?? '').startsWith('text/javascript')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  app.setNotFoundHandler((request, reply) => errorPage(request, reply, 404, translator(langOf(request))('notfound')));
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    if (err instanceof ConsoleRefusal) return errorPage(request, reply, err.statusCode, err.message);
    const fe = err as FastifyError;
    if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') {
      return errorPage(request, reply, 403, translator(langOf(request))('csrf.refused'));
    }
    if (fe.validation !== undefined) return errorPage(request, reply, 400, fe.message);
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return errorPage(request, reply, fe.statusCode, fe.message);
    request.log.error({ err }, 'console request failed');
    return errorPage(request, reply, 500, `internal error (request ${String(request.id)})`);
  });

  const assets = await loadAssets();
  await app.register(accessRoutes, { secrets, audit, cookieOpts, assets });
  await app.register(pageRoutes, { env, runtime: options.runtime, audit });
  await app.register(modelRoutes, { runtime: options.runtime, audit });
  await app.register(mappingRoutes, { runtime: options.runtime, audit });
  await app.register(calibrationRoutes, { runtime: options.runtime, audit });
  await app.register(backfillEvents, { runtime: options.runtime, intervalMs: options.eventsIntervalMs ?? 1000 });
}

function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply {
  const ctx = pageContext(request, reply);
  const title = status === 403 ? ctx.t('forbidden.title') : status === 404 ? ctx.t('notfound') : ctx.t('error.title');
  const body = html`<p>${message}</p><p><a href="${BASE}">${ctx.t('nav.overview')}</a></p>`;
  return reply.code(status).type('text/html; charset=utf-8').send(page(ctx, title, body));
}
