/**
 * The associations v4 batch read, one implementation for every pair of object types the sandbox
 * serves (contacts ↔ companies, deals → companies/contacts): 400 on a bad body or too many inputs,
 * 207 with a `NO_ASSOCIATIONS_FOUND` error per input without associations, each input's
 * associations paged with an opaque `after`.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/batch/get-associations
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorBody } from './error-bodies.ts';
import type { SandboxStore } from './store.ts';

/** A record id, as HubSpot accepts it: digits as a string, or a non-negative integer. */
export const idText = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const batchReadSchema = z.object({ inputs: z.array(z.object({ id: idText, after: z.string().optional() })) });

/** HubSpot's 400 body. */
export const bad = (reply: FastifyReply, message: string) => reply.code(400).send(errorBody('VALIDATION_ERROR', message));

/** The offset an `after` cursor stands for (0 without one); `undefined` when it is not ours. */
export function decodeAfter(after: string | undefined): number | undefined {
  if (after === undefined) return 0;
  const n = Number(Buffer.from(after, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export interface AssociationBatchRead {
  /** Singular names for the error texts and context (`deal`, `company`, `contact`). */
  from: string;
  to: string;
  /** The associations of a record; `[]` when it has none or does not exist. */
  linksOf(id: string): ReadonlyArray<{ id: string; typeIds: readonly number[] }>;
  /** The label HubSpot shows for a type id (`Primary`), else `null`. */
  label(typeId: number): string | null;
}

/** Answers one batch read request. */
export function answerAssociationBatchRead(body: unknown, reply: FastifyReply, store: SandboxStore, read: AssociationBatchRead): FastifyReply {
  const parsed = batchReadSchema.safeParse(body);
  if (!parsed.success) return bad(reply, 'Invalid input JSON on line 1');
  if (parsed.data.inputs.length > store.limits.assocBatchReadMax) {
    return bad(reply, `Batch read may not exceed ${store.limits.assocBatchReadMax} inputs (got ${parsed.data.inputs.length}).`);
  }
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const pageSize = store.limits.assocPageSize;
  for (const input of parsed.data.inputs) {
    const all = read.linksOf(input.id);
    const offset = decodeAfter(input.after);
    if (offset === undefined) return bad(reply, `Invalid after for ${input.id}`);
    if (all.length === 0) {
      errors.push(
        errorBody('OBJECT_NOT_FOUND', `No ${read.to} is associated with ${read.from} ${input.id}.`, {
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          context: { fromObjectId: [input.id], fromObjectType: [read.from], toObjectType: [read.to] },
        }),
      );
      continue;
    }
    const page = all.slice(offset, offset + pageSize);
    const next = offset + pageSize;
    results.push({
      from: { id: input.id },
      // HubSpot's own responses show numeric ids here (the spec says string).
      to: page.map((l) => ({
        toObjectId: Number(l.id),
        associationTypes: l.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: read.label(typeId) })),
      })),
      ...(next < all.length ? { paging: { next: { after: Buffer.from(String(next), 'utf8').toString('base64url'), link: null } } } : {}),
    });
  }
  const now = new Date().toISOString();
  return reply.code(errors.length > 0 ? 207 : 200).send({
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: now,
    completedAt: now,
  });
}
