/**
 * HubSpot request signatures
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation).
 * Webhook deliveries are checked with v3 only: v1 and v2 carry no timestamp, so a captured delivery
 * could be replayed forever. v1/v2 are here to check HubSpot's published vectors and workflow calls.
 */
import { isUtf8 } from 'node:buffer';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_MAX_SKEW_MS } from './limits.ts';

/** v1: hex SHA-256 of `clientSecret + body`. */
export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256').update(clientSecret + body, 'utf8').digest('hex');
}

/** v2: hex SHA-256 of `clientSecret + method + uri + body`. */
export function signatureV2(clientSecret: string, method: string, uri: string, body: string): string {
  return createHash('sha256').update(clientSecret + method + uri + body, 'utf8').digest('hex');
}

const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** Decodes exactly the characters HubSpot's v3 procedure lists (step 2), and no others. */
export function decodeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

/**
 * v3: base64 HMAC-SHA256, keyed by the client secret, of `method + decodedUri + body + timestamp`.
 * A raw body that is valid UTF-8 is hashed as it is, without being copied into one string: its text
 * encodes back to exactly these bytes, so the digest is the same. Any other body is hashed as its
 * UTF-8 text (invalid sequences become U+FFFD), as a string body always was.
 */
export function signatureV3(clientSecret: string, method: string, uri: string, body: string | Buffer, timestamp: string | number): string {
  if (typeof body !== 'string' && !isUtf8(body)) return signatureV3(clientSecret, method, uri, body.toString('utf8'), timestamp);
  const hmac = createHmac('sha256', clientSecret);
  if (typeof body === 'string') return hmac.update(`${method}${decodeSignedUri(uri)}${body}${timestamp}`, 'utf8').digest('base64');
  return hmac.update(`${method}${decodeSignedUri(uri)}`, 'utf8').update(body).update(String(timestamp), 'utf8').digest('base64');
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of where they differ.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export interface V3Input {
  clientSecret: string;
  method: string;
  /** The full URL HubSpot called: scheme, host, path and query, as HubSpot sent it. */
  uri: string;
  /** The raw request body, byte for byte (UTF-8), or its text. */
  body: string | Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  /** Clock, ms epoch (tests). */
  now?: number;
}

/** Checks a v3 signature: a timestamp within 5 minutes either way, then a constant-time comparison. */
export function verifyV3(input: V3Input): SignatureVerdict {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{10,16}$/.test(input.timestamp.trim())) return { ok: false, reason: 'stale' };
  const ts = Number(input.timestamp);
  if (Math.abs((input.now ?? Date.now()) - ts) > SIGNATURE_MAX_SKEW_MS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signatureV3(input.clientSecret, input.method, input.uri, input.body, input.timestamp.trim()), 'base64');
  const given = Buffer.from(input.signature.trim(), 'base64');
  return sameBytes(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Constant-time check of a hex v1/v2 signature. */
export function verifyHex(expectedHex: string, givenHex: string | undefined): boolean {
  if (!givenHex || !/^[0-9a-f]+$/i.test(givenHex)) return false;
  return sameBytes(Buffer.from(expectedHex, 'hex'), Buffer.from(givenHex.toLowerCase(), 'hex'));
}
