/**
 * Reads: by ids through sObject Collections retrieve (only the requested fields, never a describe-driven
 * "all fields" retrieve), the full listing and the incremental listing through query + queryMore. Cursors
 * carry the query locator and the last key seen, so an expired locator (15 minutes idle) resumes by keyset.
 * Requested fields the org lacks are left out of every call (see `field-catalog.ts`) and read as empty.
 */
import { z } from 'zod';
import { CrmValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { CrmRecord, IncrementalPage, Page } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import type { FieldCatalog } from './field-catalog.ts';
import { COLLECTION_RETRIEVE_MAX, QUERY_PAGE_SIZE } from './limits.ts';
import { isIdOf, isoFromSalesforce, selectList, soqlDateTime, soqlName, soqlString } from './soql.ts';

const sfRecord = z.looseObject({ Id: z.string(), SystemModstamp: z.string().nullish() });
type SfRecord = z.infer<typeof sfRecord>;

const queryResult = z.object({
  done: z.boolean(),
  totalSize: z.number().optional(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(sfRecord),
});

const retrieveResult = z.array(sfRecord.nullable());

/** Resumable position in a listing. */
const cursorSchema = z.object({
  /**
   * nextRecordsUrl of the open query locator, as Salesforce sent it: a path (`/services/data/…`) or a full
   * URL; the client follows a full URL only on the instance's own origin.
   */
  n: z.string().regex(/^(\/services\/data\/|https?:\/\/)/i).optional(),
  /** Last Id returned. */
  i: z.string(),
  /** Last SystemModstamp returned (incremental listing). */
  m: z.string().optional(),
  /** Lower bound of the incremental listing. */
  s: z.string().optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new CrmValidationError('invalid Salesforce listing cursor', { crm: 'salesforce' });
  }
}

function toRecord(r: SfRecord, fields: readonly string[]): CrmRecord {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (r as Record<string, unknown>)[f] ?? null;
  const modifiedAt = isoFromSalesforce(r.SystemModstamp);
  return { id: r.Id, fields: out, ...(modifiedAt ? { modifiedAt } : {}) };
}

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
  constructor(client: SalesforceClient, catalog: FieldCatalog, logger: Logger) {
    this.client = client;
    this.catalog = catalog;
    this.logger = logger;
  }

  /**
   * Runs `call` with the requested fields the object has. Should Salesforce still refuse a field
   * (INVALID_FIELD: deleted since the describe, or its access revoked), the describe is refreshed and the call
   * made once more without it.
   */
  private async withPresentFields<T>(type: string, fields: readonly string[], call: (present: string[]) => Promise<T>): Promise<T> {
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
    const out: CrmRecord[] = [];
    for (let i = 0; i < wanted.length; i += COLLECTION_RETRIEVE_MAX) {
      const chunk = wanted.slice(i, i + COLLECTION_RETRIEVE_MAX);
      const rows = await this.withPresentFields(type, fields, (present) =>
        this.client.rest(
          'retrieve',
          // Id asked for explicitly: the retrieve answers only the fields listed.
          { method: 'POST', url: `/composite/sobjects/${type}`, body: { ids: chunk, fields: selectList(present) } },
          retrieveResult,
        ),
      );
      for (const r of rows) if (r) out.push(toRecord(r, fields));
    }
    return out;
  }

  async listAll(objectType: string, fields: readonly string[], cursor?: string): Promise<Page> {
    const type = soqlName(objectType);
    const c = cursor === undefined ? undefined : decodeCursor(cursor);
    const soql = (present: readonly string[], after?: string) =>
      `SELECT ${selectList(present).join(', ')} FROM ${type}${after ? ` WHERE Id > ${soqlString(after)}` : ''} ORDER BY Id ASC`;
    const res = await this.withPresentFields(type, fields, (present) => this.page('listAll', c, () => soql(present, c?.i)));
    const last = res.records.at(-1);
    const next = res.nextRecordsUrl && last ? encodeCursor({ n: res.nextRecordsUrl, i: last.Id }) : undefined;
    return { records: res.records.map((r) => toRecord(r, fields)), ...(next ? { next } : {}) };
  }

  async listModifiedSince(objectType: string, fields: readonly string[], since: string, cursor?: string): Promise<IncrementalPage> {
    const type = soqlName(objectType);
    const c = cursor === undefined ? undefined : decodeCursor(cursor);
    const lower = c?.s ?? since;
    const sinceMs = Date.parse(lower);
    const soql = (present: readonly string[]) => {
      const from = `SystemModstamp >= ${soqlDateTime(lower)}`;
      const after = c?.m
        ? ` AND (SystemModstamp > ${soqlDateTime(c.m)} OR (SystemModstamp = ${soqlDateTime(c.m)} AND Id > ${soqlString(c.i)}))`
        : '';
      return `SELECT ${selectList(present).join(', ')} FROM ${type} WHERE ${from}${after} ORDER BY SystemModstamp ASC, Id ASC`;
    };
    const res = await this.withPresentFields(type, fields, (present) => this.page('listModifiedSince', c, () => soql(present)));
    // The query bound is rounded down to the second; the port promises records at or after `since`.
    const records = res.records.map((r) => toRecord(r, fields)).filter((r) => r.modifiedAt === undefined || Date.parse(r.modifiedAt) >= sinceMs);
    const last = res.records.at(-1);
    const lastM = isoFromSalesforce(last?.SystemModstamp);
    const watermark = records.reduce<string | undefined>((w, r) => (r.modifiedAt && (!w || r.modifiedAt > w) ? r.modifiedAt : w), undefined);
    const next = res.nextRecordsUrl && last && lastM ? encodeCursor({ n: res.nextRecordsUrl, i: last.Id, m: lastM, s: lower }) : undefined;
    return { records, ...(next ? { next } : {}), ...(watermark ? { watermark } : {}) };
  }

  /** The next page through the locator, or a fresh keyset query when there is none or it expired. */
  private async page(operation: string, c: Cursor | undefined, soql: () => string): Promise<z.infer<typeof queryResult>> {
    if (c?.n) {
      try {
        return await this.client.rest(operation, { method: 'GET', url: c.n, headers: QUERY_HEADERS }, queryResult);
      } catch (err) {
        if (!(err instanceof CrmValidationError && err.vendorCode === 'INVALID_QUERY_LOCATOR')) throw err;
      }
    }
    return this.client.rest(
      operation,
      { method: 'GET', url: `/query?q=${encodeURIComponent(soql())}`, headers: QUERY_HEADERS },
      queryResult,
    );
  }
}
