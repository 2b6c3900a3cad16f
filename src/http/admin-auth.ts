/**
 * `Authorization: Bearer $ADMIN_TOKEN` for `/admin/*`. The queue dashboard is opened in a browser,
 * which cannot add a bearer header, so it also accepts HTTP Basic with the token as the password.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-handler.ts';

/** Compares in constant time whatever the lengths (both sides are hashed to 32 bytes first). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The credential carried by an `Authorization` header, Bearer or (when allowed) Basic password. */
export function credentialOf(header: string | undefined, allowBasic: boolean): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic' && allowBasic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

export interface AdminAuthOptions {
  token: string;
  /** Accept HTTP Basic (any user name, the token as password) and ask browsers for it. Default false. */
  allowBasic?: boolean;
}

/**
 * An `onRequest` hook answering 401 to requests without the admin token. It answers itself rather
 * than throwing, because plugins under it (the dashboard) install their own error handler.
 */
export function adminAuthHook(options: AdminAuthOptions) {
  const allowBasic = options.allowBasic ?? false;
  const challenge = allowBasic ? 'Basic realm="icp-sync admin", charset="UTF-8"' : 'Bearer realm="icp-sync admin"';
  return async function checkAdminToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const given = credentialOf(request.headers.authorization, allowBasic);
    if (given !== undefined && tokenMatches(given, options.token)) return;
    const body: ErrorBody = { error: 'unauthorized', message: 'missing or invalid admin token', requestId: String(request.id) };
    await reply.code(401).header('www-authenticate', challenge).type('application/json; charset=utf-8').send(body);
  };
}
