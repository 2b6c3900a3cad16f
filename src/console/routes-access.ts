/**
 * Sign-in, sign-out and the static assets. Failed sign-ins are counted per client address: past
 * the limit the address gets 429 until the window has passed, whatever it sends.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FailureThrottle } from '../http/admin-auth.ts';
import { jsonSchemaOf } from '../http/json-schema.ts';
import type { Asset } from './assets.ts';
import type { AuditLog } from './audit.ts';
import { pageContext } from './context.ts';
import { BASE, page } from './layout.ts';
import { renderSignIn } from './pages/sign-in.ts';
import { cleanName, encodeSession, roleFor, SESSION_COOKIE, SESSION_TTL_MS, type ConsoleSecrets } from './session.ts';

export interface AccessRoutesOptions {
  secrets: ConsoleSecrets;
  audit: AuditLog;
  cookieOpts: CookieSerializeOptions;
  assets: ReadonlyMap<string, Asset>;
  /** Failed sign-ins allowed per address per window. Default 10 per 15 minutes. */
  maxFailures?: number;
  windowMs?: number;
}

const SignInQuery = z.object({ next: z.string().max(500).optional(), lang: z.enum(['en', 'fr']).optional() }).strict();
const SignInBody = z.object({ _csrf: z.string().max(200), name: z.string().max(200), secret: z.string().max(500), next: z.string().max(500).optional() }).strict();
const CsrfOnly = z.object({ _csrf: z.string().max(200) }).strict();
const AssetParams = z.object({ file: z.string().max(40) }).strict();

/** Only a path inside the console: never another site, never `//host`. */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !next.startsWith(BASE) || next.startsWith('//') || /[\\\r\n]/.test(next)) return BASE;
  return next;
}

export async function accessRoutes(app: FastifyInstance, options: AccessRoutesOptions): Promise<void> {
  const throttle = new FailureThrottle(options.maxFailures ?? 10, options.windowMs ?? 15 * 60_000);

  app.get('/sign-in', { schema: { querystring: jsonSchemaOf(SignInQuery) } }, async (request, reply) => {
    const { next } = SignInQuery.parse(request.query);
    const ctx = pageContext(request, reply);
    return reply.type('text/html; charset=utf-8').send(page(ctx, ctx.t('signin.title'), renderSignIn(ctx, { next: safeNext(next) })));
  });

  app.post('/sign-in', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(SignInBody) } }, async (request, reply) => {
    const body = SignInBody.parse(request.body);
    const ctx = pageContext(request, reply);
    const wait = throttle.blockedFor(request.ip);
    const refuse = (status: number, error: string) =>
      reply.code(status).type('text/html; charset=utf-8').send(page(ctx, ctx.t('signin.title'), renderSignIn(ctx, { next: safeNext(body.next), error })));
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return refuse(429, ctx.t('signin.throttled', { seconds: Math.ceil(wait / 1000) }));
    }
    const role = roleFor(options.secrets, body.secret);
    const name = cleanName(body.name);
    if (role === undefined || name === '') {
      if (role === undefined) throttle.fail(request.ip);
      return refuse(401, ctx.t('signin.wrong'));
    }
    reply.setCookie(SESSION_COOKIE, encodeSession({ role, name, expires: Date.now() + SESSION_TTL_MS }), { ...options.cookieOpts, maxAge: SESSION_TTL_MS / 1000 });
    await options.audit.record({ who: name, role, action: 'sign-in', details: `from ${request.ip}` });
    return reply.redirect(safeNext(body.next), 303);
  });

  app.post('/sign-out', { preValidation: app.csrfProtection, schema: { body: jsonSchemaOf(CsrfOnly) } }, async (_request, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: BASE });
    return reply.redirect(`${BASE}/sign-in`, 303);
  });

  app.get('/assets/:file', { schema: { params: jsonSchemaOf(AssetParams) } }, async (request, reply) => {
    const asset = options.assets.get(AssetParams.parse(request.params).file);
    if (asset === undefined) return reply.callNotFound();
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).header('etag', asset.etag).header('cache-control', 'no-cache').send(asset.body);
  });
}
