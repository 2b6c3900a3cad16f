/**
 * The shapes of Salesforce reads: records as the query and retrieve calls answer them, the resumable listing
 * cursor, and how a requested field list becomes the columns asked (Contacts: AccountId added, the roles
 * pseudo-field read apart) and then a `CrmRecord`.
 */
import { z } from 'zod';
import { CrmValidationError } from '../../errors.ts';
import type { CrmRecord } from '../port.ts';
import { CONTACT_OBJECT, CONTACT_ROLES_FIELD } from './contact-roles.ts';
import { isoFromSalesforce } from './soql.ts';

export const sfRecord = z.looseObject({ Id: z.string(), SystemModstamp: z.string().nullish() });
export type SfRecord = z.infer<typeof sfRecord>;

export const queryResult = z.object({
  done: z.boolean(),
  totalSize: z.number().optional(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(sfRecord),
});

export const retrieveResult = z.array(sfRecord.nullable());

/** Resumable position in a listing. */
const cursorSchema = z.object({
  /**
   * nextRecordsUrl of the open query locator, as Salesforce sent it: a path (`/services/data/…`) or a full
   * URL; the client follows a full URL only on the instance's own origin.
   */
  n: z.string().regex(/^(\/services\/data\/|https?:\/\/)/i).optional(),
  /** Last Id returned (absent at the start of the Contacts' own phase). */
  i: z.string().optional(),
  /** Last SystemModstamp returned (incremental listing). */
  m: z.string().optional(),
  /** Lower bound of the incremental listing. */
  s: z.string().optional(),
  /**
   * Contacts' incremental listing: `o` while listing the Contacts of changed OpportunityContactRoles, `c` (or
   * absent) for the Contacts' own changes.
   */
  p: z.enum(['o', 'c']).optional(),
  /** Last ContactId listed in the `o` phase. */
  c: z.string().optional(),
  /** When the listing started (ISO 8601): the watermark never passes it (see `contact-changes.ts`). */
  t: z.string().optional(),
  /** Highest OpportunityContactRole SystemModstamp seen in the `o` phase. */
  w: z.string().optional(),
});
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new CrmValidationError('invalid Salesforce listing cursor', { crm: 'salesforce' });
  }
}

/** How one object type is read: which columns go in the calls, and what is added after. */
export interface ReadPlan {
  /** Fields asked of Salesforce (the roles pseudo-field left out; AccountId added for Contacts). */
  columns: string[];
  /** Contacts: fill `accountId`. */
  person: boolean;
  /** Contacts asked for `OpportunityContactRole.Role`. */
  roles: boolean;
}

export function readPlan(type: string, fields: readonly string[]): ReadPlan {
  const person = type === CONTACT_OBJECT;
  const roles = person && fields.includes(CONTACT_ROLES_FIELD);
  const columns = fields.filter((f) => !(person && f === CONTACT_ROLES_FIELD));
  if (person && !columns.some((f) => f.toLowerCase() === 'accountid')) columns.push('AccountId');
  return { columns, person, roles };
}

export function toRecord(r: SfRecord, fields: readonly string[], plan?: ReadPlan): CrmRecord {
  const raw = r as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = raw[f] ?? null;
  const modifiedAt = isoFromSalesforce(r.SystemModstamp);
  const accountId = plan?.person ? (typeof raw.AccountId === 'string' && raw.AccountId !== '' ? raw.AccountId : null) : undefined;
  return { id: r.Id, fields: out, ...(modifiedAt ? { modifiedAt } : {}), ...(accountId === undefined ? {} : { accountId }) };
}
