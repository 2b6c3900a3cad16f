/**
 * HubSpot object responses (list, batch, search) validated with zod, and the mapping to `CrmRecord`.
 */
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { CrmRecord } from '../port.ts';

export const simpleObjectSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()).default({}),
    updatedAt: z.string().optional(),
  })
  .loose();

const pagingSchema = z.object({ next: z.object({ after: z.union([z.string(), z.number()]).transform(String) }).optional() }).optional();

export const listResponseSchema = z.object({ results: z.array(simpleObjectSchema), paging: pagingSchema });

export const searchResponseSchema = z.object({
  total: z.number().optional(),
  results: z.array(simpleObjectSchema),
  paging: pagingSchema,
});

export const batchErrorSchema = z
  .object({
    status: z.string().optional(),
    category: z.string().optional(),
    subCategory: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    message: z.string().default(''),
    context: z.record(z.string(), z.unknown()).optional(),
    errors: z.array(z.object({ message: z.string().optional(), code: z.string().optional() }).loose()).optional(),
  })
  .loose();

export const batchResponseSchema = z.object({
  results: z.array(simpleObjectSchema).default([]),
  errors: z.array(batchErrorSchema).default([]),
});

export type BatchError = z.infer<typeof batchErrorSchema>;
export type SimpleObject = z.infer<typeof simpleObjectSchema>;

/** Parses a vendor body we depend on; a shape change becomes a retryable `CrmError`, not a crash later. */
export function parseVendor<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const res = schema.safeParse(body);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  throw new CrmError(`HubSpot ${what}: unexpected response (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`, {
    crm: 'hubspot',
    vendorCode: 'UNEXPECTED_RESPONSE',
  });
}

export const MODIFIED = 'hs_lastmodifieddate';

/**
 * The last-modified property of an object type: contacts keep theirs in `lastmodifieddate` (the search
 * guide lists it among the contacts' default properties), companies and the rest in `hs_lastmodifieddate`.
 * https://developers.hubspot.com/docs/api/crm/search
 */
export function modifiedProperty(objectType: string): string {
  return objectType === 'contacts' ? 'lastmodifieddate' : MODIFIED;
}

/** Only the requested fields, `null` when empty; `modifiedAt` from the last-modified property or `updatedAt`. */
export function toRecord(obj: SimpleObject, fields: readonly string[], modified: string = MODIFIED): CrmRecord {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = obj.properties[f];
    out[f] = v === undefined || v === '' ? null : v;
  }
  const raw = obj.properties[modified] ?? obj.updatedAt;
  const ms = raw === undefined || raw === null ? NaN : /^\d+$/.test(String(raw)) ? Number(raw) : Date.parse(String(raw));
  return { id: obj.id, fields: out, ...(Number.isFinite(ms) ? { modifiedAt: new Date(ms).toISOString() } : {}) };
}

/** Ids a batch error refers to: `context.objectWriteTraceId` (we set it to the record id) or `context.ids`. */
export function idsOfError(error: BatchError): string[] {
  const ctx = error.context ?? {};
  const pick = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
  const traced = pick(ctx.objectWriteTraceId);
  return traced.length > 0 ? traced : pick(ctx.ids);
}

/** Opaque cursors: base64url JSON, validated when read back. */
export function encodeCursor(state: unknown): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeCursor<T>(schema: z.ZodType<T>, cursor: string): T | undefined {
  try {
    const res = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return res.success ? res.data : undefined;
  } catch {
    return undefined;
  }
}
