/**
 * Batch jobs may carry the records a listing already read, to save the read call. Such records are
 * trusted only when the service itself queued them: the job carries an HMAC of its records under a
 * secret every worker process shares (kept in Redis, created once), so a job added from outside —
 * through the queue dashboard, say — cannot make the workers write invented CRM values. A job
 * without a valid signature is still processed, from a fresh read by id.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The shared secret: read from Redis, or created there by the first process (SET NX). */
export async function jobSigningSecret(redis: Redis, key: string): Promise<string> {
  const existing = await redis.get(key);
  if (existing !== null) return existing;
  await redis.set(key, randomBytes(32).toString('hex'), 'NX');
  const secret = await redis.get(key);
  if (secret === null) throw new Error('the job signing secret could not be stored in Redis');
  return secret;
}

interface SignedRecord {
  id: string;
  fields: Readonly<Record<string, unknown>>;
  modifiedAt?: string | undefined;
  accountId?: string | null | undefined;
}

interface Signed {
  crm: string;
  objectType: string;
  records?: readonly SignedRecord[] | undefined;
}

/**
 * The records in a form that survives the trip through Redis and the job schema unchanged: fixed
 * order of parts, field names sorted, absent values dropped.
 */
function canonical(records: readonly SignedRecord[]): unknown[] {
  return records.map((r) => [
    r.id,
    Object.keys(r.fields)
      .filter((k) => r.fields[k] !== undefined)
      .sort()
      .map((k) => [k, r.fields[k]]),
    r.modifiedAt ?? null,
    r.accountId ?? null,
  ]);
}

function mac(secret: string, data: Signed): Buffer {
  return createHmac('sha256', secret)
    .update(JSON.stringify([data.crm, data.objectType, canonical(data.records ?? [])]))
    .digest();
}

export function signRecords(secret: string, data: Signed): string {
  return mac(secret, data).toString('base64url');
}

export function recordsSignedBy(secret: string, data: Signed & { sig?: string | undefined }): boolean {
  if (data.sig === undefined) return false;
  const given = Buffer.from(data.sig, 'base64url');
  const expected = mac(secret, data);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
