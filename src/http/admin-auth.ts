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
  /** Realm in the challenge. Default `icp-sync admin`. */
  realm?: string;
  /** Failed attempts allowed per client address in `windowMs` before 429s. Default 10. */
  maxFailures?: number;
  /** Default 60,000 ms. */
  windowMs?: number;
}

/** Addresses tracked at most; the oldest are forgotten first (a flood of addresses cannot grow memory). */
const MAX_TRACKED = 10_000;

/**
 * Failed attempts per client address in a sliding window: past the limit, every request from that
 * address gets 429 (with `Retry-After`) until the window has passed, whether its token is right or not,
 * so that guessing costs a full window per `maxFailures` tries.
 */
export class FailureThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly max: number;
  readonly windowMs: number;
  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }

  /** Milliseconds the address must wait, or 0. */
  blockedFor(address: string, now = Date.now()): number {
    const times = this.#recent(address, now);
    return times.length >= this.max ? (times[0] ?? now) + this.windowMs - now : 0;
  }

  fail(address: string, now = Date.now()): void {
    const times = this.#recent(address, now);
    times.push(now);
    this.#failures.delete(address);
    this.#failures.set(address, times);
    if (this.#failures.size > MAX_TRACKED) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  #recent(address: string, now: number): number[] {
    const times = (this.#failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, times);
    return times;
  }
}

/**
 * An `onRequest` hook answering 401 to requests without the admin token. It answers itself rather
 * than throwing, because plugins under it (the dashboard) install their own error handler.
 */
export function adminAuthHook(options: AdminAuthOptions) {
  const allowBasic = options.allowBasic ?? false;
  const realm = options.realm ?? 'icp-sync admin';
  const challenge = allowBasic ? `Basic realm="${realm}", charset="UTF-8"` : `Bearer realm="${realm}"`;
  const throttle = new FailureThrottle(options.maxFailures ?? 10, options.windowMs ?? 60_000);
  return async function checkAdminToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const wait = throttle.blockedFor(request.ip);
    if (wait > 0) {
      const body: ErrorBody = { error: 'too_many_attempts', message: 'too many failed attempts from this address; try again later', requestId: String(request.id) };
      await reply.code(429).header('retry-after', String(Math.ceil(wait / 1000))).type('application/json; charset=utf-8').send(body);
      return;
    }
    const given = credentialOf(request.headers.authorization, allowBasic);
    if (given !== undefined && tokenMatches(given, options.token)) return;
    // A browser's first request carries no credentials (it waits for the challenge): not an attempt.
    if (given !== undefined) throttle.fail(request.ip);
    const body: ErrorBody = { error: 'unauthorized', message: 'missing or invalid token', requestId: String(request.id) };
    await reply.code(401).header('www-authenticate', challenge).type('application/json; charset=utf-8').send(body);
  };
}
