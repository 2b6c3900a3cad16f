/**
 * Who is signed in. A session is a signed cookie (HMAC by @fastify/cookie) holding the role, the
 * name given at sign-in and an expiry; nothing is stored server-side. The signing key is derived
 * from the console secrets, so changing a secret signs everyone out.
 */
import { createHash } from 'node:crypto';
import { tokenMatches } from '../http/admin-auth.ts';

export type Role = 'editor' | 'viewer';

export interface Session {
  role: Role;
  /** The name typed at sign-in (for the audit log), trimmed, at most 60 characters. */
  name: string;
  /** Epoch ms after which the cookie is refused. */
  expires: number;
}

export const SESSION_COOKIE = 'icp_console_session';
/** Eight hours: a working day, then sign in again. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface ConsoleSecrets {
  editor?: string;
  viewer?: string;
}

/** The role a typed secret grants, or undefined. Both comparisons always run (constant time). */
export function roleFor(secrets: ConsoleSecrets, given: string): Role | undefined {
  const editor = secrets.editor !== undefined && tokenMatches(given, secrets.editor);
  const viewer = secrets.viewer !== undefined && tokenMatches(given, secrets.viewer);
  return editor ? 'editor' : viewer ? 'viewer' : undefined;
}

/** The cookie signing key: a hash of both secrets under a fixed label. */
export function signingKey(secrets: ConsoleSecrets): string {
  return createHash('sha256').update(`icp-sync console session\0${secrets.editor ?? ''}\0${secrets.viewer ?? ''}`).digest('base64url');
}

export function encodeSession(session: Session): string {
  return Buffer.from(JSON.stringify({ r: session.role, n: session.name, e: session.expires })).toString('base64url');
}

/** The session in an (already signature-checked) cookie value, or undefined when malformed or expired. */
export function decodeSession(value: string, now = Date.now()): Session | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { r, n, e } = parsed as Record<string, unknown>;
  if ((r !== 'editor' && r !== 'viewer') || typeof n !== 'string' || typeof e !== 'number' || e <= now) return undefined;
  return { role: r, name: n, expires: e };
}

/** A display name: control characters removed, spaces collapsed, 60 characters at most. */
export function cleanName(raw: string): string {
  return raw.replace(/\p{C}/gu, '').replace(/\s+/g, ' ').trim().slice(0, 60);
}
