/**
 * The first phase of the Contacts' incremental listing: Contacts whose OpportunityContactRoles changed since
 * the lower bound. Adding, editing or deleting a contact role changes the role's SystemModstamp, not the
 * Contact's, so the Contact's own `SystemModstamp` listing alone would miss a new explicit role.
 *
 * - `queryAll` (not `query`): a deleted contact role is still listed (IsDeleted, recycle bin), so the
 *   Contact that lost a role is read again. Roles purged from the recycle bin before the pass are not seen.
 * - Ordered by ContactId, and the cursor keeps the last ContactId listed: a Contact appears once however
 *   many of its roles changed, also across pages.
 * - Contacts whose own SystemModstamp is at or after the bound are left to the second phase (the usual
 *   `SystemModstamp` listing), which lists them anyway: no Contact is listed twice in one pass.
 * - No watermark in this phase. The second phase's watermark never passes the time the listing started
 *   (`t`): a role changed while the Contacts were being listed has a later SystemModstamp and is seen by the
 *   next pass (the caller's overlap absorbs clock skew between icp-sync and Salesforce).
 */
import { z } from 'zod';
import type { CrmRecord, IncrementalPage } from '../port.ts';
import { CONTACT_OBJECT } from './contact-roles.ts';
import { encodeCursor, toRecord, type Cursor, type queryResult, type ReadPlan, type SfRecord } from './read-records.ts';
import { isoFromSalesforce, soqlDateTime, soqlString } from './soql.ts';

/** What this phase needs of the reader (`reads.ts`). */
export interface ContactReader {
  page(operation: string, c: Cursor | undefined, soql: () => string, resource: 'query' | 'queryAll'): Promise<z.infer<typeof queryResult>>;
  retrieve(type: string, ids: readonly string[], columns: readonly string[]): Promise<SfRecord[]>;
  withRoles(records: CrmRecord[], plan: ReadPlan): Promise<CrmRecord[]>;
}

export interface ContactPhase {
  reader: ContactReader;
  fields: readonly string[];
  plan: ReadPlan;
  /** Lower bound of the listing (ISO 8601). */
  lower: string;
  cursor: Cursor | undefined;
  /** When the listing started (ISO 8601). */
  startedAt: string;
}

const roleChange = z.looseObject({ ContactId: z.string().nullish(), SystemModstamp: z.string().nullish() });

/** The SOQL of the first phase (exported for tests and the docs). */
export function changedRolesSoql(lower: string, afterContactId?: string): string {
  const after = afterContactId ? ` AND ContactId > ${soqlString(afterContactId)}` : '';
  return `SELECT Id, ContactId, SystemModstamp FROM OpportunityContactRole WHERE SystemModstamp >= ${soqlDateTime(lower)}${after} ORDER BY ContactId ASC, Id ASC`;
}

export async function changedContactsPage(p: ContactPhase): Promise<IncrementalPage> {
  const { reader, fields, plan, lower, cursor } = p;
  const lowerMs = Date.parse(lower);
  const res = await reader.page('listModifiedSince.contactRoles', cursor, () => changedRolesSoql(lower, cursor?.c), 'queryAll');

  // ContactId → latest change of one of its roles, in ContactId order; the last Contact of the previous page
  // (whose roles may continue on this one) is not listed again.
  const changed = new Map<string, string>();
  let highest = cursor?.w;
  let lastContact = cursor?.c;
  for (const raw of res.records) {
    const row = roleChange.parse(raw);
    const at = isoFromSalesforce(row.SystemModstamp);
    if (at && (!highest || at > highest)) highest = at;
    // Only the Contact the previous page ended on can continue here (rows come in Salesforce's ContactId order).
    if (!row.ContactId || (cursor?.c && row.ContactId.slice(0, 15) === cursor.c.slice(0, 15))) continue;
    // The query bound is rounded down to the second.
    if (at && Date.parse(at) < lowerMs) continue;
    lastContact = row.ContactId;
    const prev = changed.get(row.ContactId);
    if (at && (!prev || at > prev)) changed.set(row.ContactId, at);
    else if (!prev) changed.set(row.ContactId, at ?? '');
  }

  const ids = [...changed.keys()];
  const rows = ids.length === 0 ? [] : await reader.retrieve(CONTACT_OBJECT, ids, plan.columns);
  const listed = rows
    .map((r) => toRecord(r, fields, plan))
    // Changed themselves since the bound: the second phase lists them.
    .filter((r) => r.modifiedAt === undefined || Date.parse(r.modifiedAt) < lowerMs)
    .map((r) => {
      const roleAt = changed.get(r.id) ?? '';
      return roleAt && (!r.modifiedAt || roleAt > r.modifiedAt) ? { ...r, modifiedAt: roleAt } : r;
    });
  const records = await reader.withRoles(listed, plan);

  const common = { s: lower, t: p.startedAt, ...(highest ? { w: highest } : {}) };
  const next: Cursor = res.nextRecordsUrl
    ? { p: 'o', n: res.nextRecordsUrl, ...(lastContact ? { c: lastContact } : {}), ...common }
    : { p: 'c', ...common };
  return { records, next: encodeCursor(next) };
}
