/**
 * Reads: by ids through sObject Collections retrieve (only the requested fields, never a describe-driven
 * "all fields" retrieve), the full listing and the incremental listing through query + queryMore. Cursors
 * carry the query locator and the last key seen, so an expired locator (15 minutes idle) resumes by keyset.
 * Requested fields the org lacks are left out of every call (see `field-catalog.ts`) and read as empty.
 *
 * Contacts (people) also read `AccountId` into `CrmRecord.accountId`, and their explicit roles when asked
 * (`contact-roles.ts`). Their incremental listing also returns the Contacts whose OpportunityContactRoles
 * changed (`contact-changes.ts`): such a change does not touch the Contact's own SystemModstamp.
 */
import type { z } from 'zod';
import { CrmValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { CrmRecord, IncrementalPage, Page } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import type { FieldCatalog } from './field-catalog.ts';
import { CONTACT_ROLES_FIELD, ContactRoles } from './contact-roles.ts';
import { changedContactsPage, type ContactPhase } from './contact-changes.ts';
import { COLLECTION_RETRIEVE_MAX, QUERY_PAGE_SIZE } from './limits.ts';
import { decodeCursor, encodeCursor, queryResult, readPlan, retrieveResult, toRecord, type Cursor, type ReadPlan, type SfRecord } from './read-records.ts';
import { isIdOf, isoFromSalesforce, selectList, soqlDateTime, soqlName, soqlString } from './soql.ts';

const QUERY_HEADERS = { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` };

/** The column an INVALID_FIELD answer names (`No such column 'X' on entity 'Account'`), when it is one of `asked`. */
function refusedColumn(message: string, asked: readonly string[]): string | undefined {
  const named = /No such column '([A-Za-z0-9_]+)'/i.exec(message)?.[1]?.toLowerCase();
  return named === undefined ? undefined : asked.find((f) => f.toLowerCase() === named);
}

export class SalesforceReader {
  private readonly client: SalesforceClient;
  private readonly catalog: FieldCatalog;
  private readonly logger: Logger;
  private readonly roles: ContactRoles;
  constructor(client: SalesforceClient, catalog: FieldCatalog, logger: Logger) {
    this.client = client;
    this.catalog = catalog;
    this.logger = logger;
    this.roles = new ContactRoles(client, logger);
  }

  /** Fills `OpportunityContactRole.Role` on Contacts read with a plan that asks for roles. */
  async withRoles(records: CrmRecord[], plan: ReadPlan): Promise<CrmRecord[]> {
    if (!plan.roles || records.length === 0) return records;
    const roles = await this.roles.rolesOf(records.map((r) => r.id));
    return records.map((r) => ({ ...r, fields: { ...r.fields, [CONTACT_ROLES_FIELD]: roles.get(r.id.slice(0, 15)) ?? null } }));
  }

  /** Collection retrieve of `ids` (chunked), only `columns`; ids that do not exist are left out. */
  async retrieve(type: string, ids: readonly string[], columns: readonly string[]): Promise<SfRecord[]> {
    const out: SfRecord[] = [];
    for (let i = 0; i < ids.length; i += COLLECTION_RETRIEVE_MAX) {
      const chunk = ids.slice(i, i + COLLECTION_RETRIEVE_MAX);
      const rows = await this.withPresentFields(type, columns, (present) =>
        this.client.rest(
          'retrieve',
          // Id asked for explicitly: the retrieve answers only the fields listed.
          { method: 'POST', url: `/composite/sobjects/${type}`, body: { ids: chunk, fields: selectList(present) } },
          retrieveResult,
        ),
      );
      for (const r of rows) if (r) out.push(r);
    }
    return out;
  }

  /**
   * Runs `call` with the requested fields the object has. Should Salesforce still refuse a field
   * (INVALID_FIELD: deleted since the describe, or its access revoked), the describe is refreshed and the call
   * made once more without it.
   */
  async withPresentFields<T>(type: string, fields: readonly string[], call: (present: string[]) => Promise<T>): Promise<T> {
    selectList(fields);
    const present = await this.catalog.present(type, fields);
    try {
      return await call(present);
    } catch (err) {
      if (!(err instanceof CrmValidationError && err.vendorCode === 'INVALID_FIELD')) throw err;
      this.catalog.forget(type);
      const refused = refusedColumn(err.message, present);
      if (refused !== undefined) await this.catalog.markAbsent(type, refused);
      const retry = await this.catalog.present(type, fields);
      // Nothing left out this time: the refusal is about something else, and asking again would not help.
      if (present.every((f) => retry.includes(f))) throw err;
      this.logger.warn({ crm: 'salesforce', objectType: type, dropped: present.length - retry.length }, 'INVALID_FIELD: describe refreshed, read again without the refused fields');
      return call(retry);
    }
  }

  async readByIds(objectType: string, ids: readonly string[], fields: readonly string[]): Promise<CrmRecord[]> {
    const type = soqlName(objectType);
    // Malformed ids, or ids of another object, can fail the whole call; they cannot exist, so they are absent.
    const wanted = [...new Set(ids.filter((id) => isIdOf(type, id)))];
    const plan = readPlan(type, fields);
    const rows = await this.retrieve(type, wanted, plan.columns);
    return this.withRoles(rows.map((r) => toRecord(r, fields, plan)), plan);
  }

  async listAll(objectType: string, fields: readonly string[], cursor?: string): Promise<Page> {
    const type = soqlName(objectType);
    const c = cursor === undefined ? undefined : decodeCursor(cursor);
    const soql = (present: readonly string[], after?: string) =>
      `SELECT ${selectList(present).join(', ')} FROM ${type}${after ? ` WHERE Id > ${soqlString(after)}` : ''} ORDER BY Id ASC`;
    const plan = readPlan(type, fields);
    const res = await this.withPresentFields(type, plan.columns, (present) => this.page('listAll', c, () => soql(present, c?.i)));
    const last = res.records.at(-1);
    const next = res.nextRecordsUrl && last ? encodeCursor({ n: res.nextRecordsUrl, i: last.Id }) : undefined;
    const records = await this.withRoles(res.records.map((r) => toRecord(r, fields, plan)), plan);
    return { records, ...(next ? { next } : {}) };
  }

  async listModifiedSince(objectType: string, fields: readonly string[], since: string, cursor?: string): Promise<IncrementalPage> {
    const type = soqlName(objectType);
    const c = cursor === undefined ? undefined : decodeCursor(cursor);
    const lower = c?.s ?? since;
    const plan = readPlan(type, fields);
    // Contacts: first those whose OpportunityContactRoles changed, then their own changes.
    if (plan.person && (c === undefined || c.p === 'o')) {
      const phase: ContactPhase = { reader: this, fields, plan, lower, cursor: c, startedAt: c?.t ?? new Date().toISOString() };
      return changedContactsPage(phase);
    }
    const sinceMs = Date.parse(lower);
    const soql = (present: readonly string[]) => {
      const from = `SystemModstamp >= ${soqlDateTime(lower)}`;
      const after = c?.m && c.i
        ? ` AND (SystemModstamp > ${soqlDateTime(c.m)} OR (SystemModstamp = ${soqlDateTime(c.m)} AND Id > ${soqlString(c.i)}))`
        : '';
      return `SELECT ${selectList(present).join(', ')} FROM ${type} WHERE ${from}${after} ORDER BY SystemModstamp ASC, Id ASC`;
    };
    const res = await this.withPresentFields(type, plan.columns, (present) => this.page('listModifiedSince', c, () => soql(present)));
    // The query bound is rounded down to the second; the port promises records at or after `since`.
    const listed = res.records.map((r) => toRecord(r, fields, plan)).filter((r) => r.modifiedAt === undefined || Date.parse(r.modifiedAt) >= sinceMs);
    const records = await this.withRoles(listed, plan);
    const last = res.records.at(-1);
    const lastM = isoFromSalesforce(last?.SystemModstamp);
    const carried = c?.t ? { t: c.t, ...(c.w ? { w: c.w } : {}) } : {};
    const next = res.nextRecordsUrl && last && lastM ? encodeCursor({ n: res.nextRecordsUrl, i: last.Id, m: lastM, s: lower, ...carried }) : undefined;
    let watermark = records.reduce<string | undefined>((w, r) => (r.modifiedAt && (!w || r.modifiedAt > w) ? r.modifiedAt : w), undefined);
    if (c?.t) {
      // Contacts: the role changes seen in the first phase count once every Contact is listed, and the
      // watermark stays behind the listing's start (role changes made since were not looked for).
      if (next === undefined && c.w && (!watermark || c.w > watermark)) watermark = c.w;
      if (watermark && watermark > c.t) watermark = c.t;
    }
    return { records, ...(next ? { next } : {}), ...(watermark ? { watermark } : {}) };
  }

  /**
   * The next page through the locator, or a fresh keyset query when there is none or it expired. `resource`
   * `queryAll` also returns deleted rows (recycle bin).
   */
  async page(operation: string, c: Cursor | undefined, soql: () => string, resource: 'query' | 'queryAll' = 'query'): Promise<z.infer<typeof queryResult>> {
    if (c?.n) {
      try {
        return await this.client.rest(operation, { method: 'GET', url: c.n, headers: QUERY_HEADERS }, queryResult);
      } catch (err) {
        if (!(err instanceof CrmValidationError && err.vendorCode === 'INVALID_QUERY_LOCATOR')) throw err;
      }
    }
    return this.client.rest(
      operation,
      { method: 'GET', url: `/${resource}?q=${encodeURIComponent(soql())}`, headers: QUERY_HEADERS },
      queryResult,
    );
  }
}
