/**
 * Reads: batch read by ids, the full listing (paging with `after`), and the incremental listing by
 * `hs_lastmodifieddate` (contacts: `lastmodifieddate`) through search. Contacts also get their account
 * (`CrmRecord.accountId`) from one associations batch read per page (`associations.ts`), so a page of
 * people costs two calls. Search stops at 10,000 results per query, so the listing
 * re-windows: when the next page would pass the cap, it starts a new query at the last timestamp
 * seen (records at that exact time come again; the caller's dedup absorbs them). When 10,000 records
 * share one timestamp, it pins that timestamp and walks it by `hs_object_id`.
 */
import { z } from 'zod';
import { CrmValidationError } from '../../errors.ts';
import type { CrmRecord, IncrementalPage, Page } from '../port.ts';
import { readPrimaryCompanies } from './associations.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import { BATCH_SIZE, LIST_PAGE_SIZE, SEARCH_MAX_RESULTS, SEARCH_PAGE_SIZE } from './limits.ts';
import type { HubSpotPaths } from './paths.ts';
import {
  batchResponseSchema,
  decodeCursor,
  encodeCursor,
  listResponseSchema,
  modifiedProperty,
  parseVendor,
  searchResponseSchema,
  toRecord,
} from './records.ts';

const listCursorSchema = z.object({ k: z.literal('list'), after: z.string().min(1) });

const incrementalCursorSchema = z.discriminatedUnion('k', [
  /** A window `modified >= from` (or `>` when `strict`), at search offset `after`. */
  z.object({ k: z.literal('win'), from: z.number(), strict: z.boolean(), after: z.number().int().min(0) }),
  /** Every record modified exactly at `ts`, walked by id after `lastId`. */
  z.object({ k: z.literal('pin'), ts: z.number(), lastId: z.string() }),
]);
type IncrementalCursor = z.infer<typeof incrementalCursorSchema>;

function badCursor(): CrmValidationError {
  return new CrmValidationError('HubSpot listing cursor is not valid (it must come from a previous page)', {
    crm: 'hubspot',
    vendorCode: 'BAD_CURSOR',
  });
}

function withSystemFields(fields: readonly string[], objectType: string): string[] {
  return [...new Set([...fields, modifiedProperty(objectType)])];
}

/** The object types whose records are people: their reads fill `accountId`. */
export const PERSON_TYPES: ReadonlySet<string> = new Set(['contacts']);

/** Fills `accountId` on the records of a person type, with one associations call per page. */
async function withAccounts(client: HubSpotHttpClient, paths: HubSpotPaths, objectType: string, records: CrmRecord[]): Promise<CrmRecord[]> {
  if (!PERSON_TYPES.has(objectType) || records.length === 0) return records;
  const accounts = await readPrimaryCompanies(client, paths, records.map((r) => r.id));
  return records.map((r) => ({ ...r, accountId: accounts.get(r.id) ?? null }));
}

export async function readByIds(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  objectType: string,
  ids: readonly string[],
  fields: readonly string[],
): Promise<CrmRecord[]> {
  // HubSpot ids are numeric; anything else cannot exist and would fail the whole batch.
  const unique = [...new Set(ids)].filter((id) => /^\d+$/.test(id));
  const out: CrmRecord[] = [];
  for (let i = 0; i < unique.length; i += BATCH_SIZE) {
    const chunk = unique.slice(i, i + BATCH_SIZE);
    const res = await client.request({
      method: 'POST',
      path: `${paths.objects(objectType)}/batch/read`,
      query: { archived: false },
      body: { properties: withSystemFields(fields, objectType), propertiesWithHistory: [], inputs: chunk.map((id) => ({ id })) },
      // 207: some ids were not found (deleted or merged away); the others are in `results`.
      // 404: none of them exists.
      accept: [207, 404],
    });
    if (res.status === 404) continue;
    const body = parseVendor(batchResponseSchema, res.body, 'batch read');
    const records = body.results.map((obj) => toRecord(obj, fields, modifiedProperty(objectType)));
    out.push(...(await withAccounts(client, paths, objectType, records)));
  }
  return out;
}

export async function listAll(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  objectType: string,
  fields: readonly string[],
  cursor?: string,
): Promise<Page> {
  let after: string | undefined;
  if (cursor !== undefined) {
    const state = decodeCursor(listCursorSchema, cursor);
    if (!state) throw badCursor();
    after = state.after;
  }
  const res = await client.request({
    method: 'GET',
    path: paths.objects(objectType),
    query: { limit: LIST_PAGE_SIZE, after, properties: withSystemFields(fields, objectType).join(','), archived: false },
  });
  const body = parseVendor(listResponseSchema, res.body, 'list');
  const next = body.paging?.next?.after;
  const records = body.results.map((o) => toRecord(o, fields, modifiedProperty(objectType)));
  return {
    records: await withAccounts(client, paths, objectType, records),
    ...(next !== undefined ? { next: encodeCursor({ k: 'list', after: next }) } : {}),
  };
}

function searchBody(state: IncrementalCursor, fields: readonly string[], objectType: string) {
  const modified = modifiedProperty(objectType);
  const properties = withSystemFields([...fields, 'hs_object_id'], objectType);
  if (state.k === 'pin') {
    return {
      filterGroups: [
        {
          filters: [
            { propertyName: modified, operator: 'EQ', value: String(state.ts) },
            { propertyName: 'hs_object_id', operator: 'GT', value: state.lastId },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties,
      limit: SEARCH_PAGE_SIZE,
      after: '0',
    };
  }
  return {
    filterGroups: [{ filters: [{ propertyName: modified, operator: state.strict ? 'GT' : 'GTE', value: String(state.from) }] }],
    sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
    properties,
    limit: SEARCH_PAGE_SIZE,
    after: String(state.after),
  };
}

function nextState(state: IncrementalCursor, records: CrmRecord[], nextAfter: string | undefined): IncrementalCursor | undefined {
  const last = records.at(-1);
  if (state.k === 'pin') {
    if (nextAfter === undefined || last === undefined) return { k: 'win', from: state.ts, strict: true, after: 0 };
    return { k: 'pin', ts: state.ts, lastId: last.id };
  }
  if (nextAfter === undefined || last === undefined) return undefined;
  const after = Number(nextAfter);
  if (after + SEARCH_PAGE_SIZE <= SEARCH_MAX_RESULTS) return { ...state, after };
  // The next page would pass the 10,000 cap: start a new query at the last timestamp seen.
  const lastTs = last.modifiedAt === undefined ? NaN : Date.parse(last.modifiedAt);
  if (!Number.isFinite(lastTs)) return undefined;
  if (lastTs > state.from) return { k: 'win', from: lastTs, strict: false, after: 0 };
  return { k: 'pin', ts: lastTs, lastId: last.id };
}

export async function listModifiedSince(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  objectType: string,
  fields: readonly string[],
  since: string,
  cursor?: string,
): Promise<IncrementalPage> {
  let state: IncrementalCursor;
  if (cursor !== undefined) {
    const decoded = decodeCursor(incrementalCursorSchema, cursor);
    if (!decoded) throw badCursor();
    state = decoded;
  } else {
    const from = Date.parse(since);
    if (!Number.isFinite(from)) {
      throw new CrmValidationError(`listModifiedSince: "${since}" is not an ISO 8601 time`, { crm: 'hubspot', vendorCode: 'BAD_SINCE' });
    }
    state = { k: 'win', from, strict: false, after: 0 };
  }
  const res = await client.request({
    method: 'POST',
    path: `${paths.objects(objectType)}/search`,
    body: searchBody(state, fields, objectType),
    budget: 'search',
  });
  const body = parseVendor(searchResponseSchema, res.body, 'search');
  const records = await withAccounts(client, paths, objectType, body.results.map((o) => toRecord(o, fields, modifiedProperty(objectType))));
  const next = nextState(state, records, body.paging?.next?.after);
  const floor = state.k === 'pin' ? state.ts : state.from;
  const times = records.map((r) => (r.modifiedAt ? Date.parse(r.modifiedAt) : NaN)).filter(Number.isFinite);
  const watermark = times.length > 0 ? new Date(Math.max(floor, ...times)).toISOString() : undefined;
  return {
    records,
    ...(next ? { next: encodeCursor(next) } : {}),
    ...(watermark ? { watermark } : {}),
    ...(body.total !== undefined && cursor === undefined ? { total: body.total } : {}),
  };
}
