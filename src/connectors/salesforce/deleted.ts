/**
 * Records deleted since a time, through getDeleted (`GET /sobjects/{type}/deleted/?start=&end=`): Salesforce
 * sends no outbound message for a deletion, and a listing never returns what is gone. The answer covers
 * whole minutes up to `latestDateCovered` (the next call starts there) and at most 15 days back.
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-getdeleted.html
 */
import { z } from 'zod';
import type { Logger } from '../../logging.ts';
import type { SalesforceClient } from './client.ts';
import { isoFromSalesforce, soqlName } from './soql.ts';

/** getDeleted answers for no more than 15 days before the call; a minute of margin for clocks. */
export const GET_DELETED_MAX_AGE_MS = 15 * 86_400_000 - 60_000;

const deletedResult = z.object({
  deletedRecords: z.array(z.looseObject({ id: z.string(), deletedDate: z.string().optional() })),
  latestDateCovered: z.string().nullish(),
});

export interface DeletedSince {
  /** Ids deleted at or after `since` (and before `watermark`). */
  ids: string[];
  /** ISO 8601: where the next call starts (Salesforce's latestDateCovered); `since` when nothing was covered. */
  watermark: string;
}

export async function listDeletedSince(client: SalesforceClient, logger: Logger, objectType: string, since: string, now = Date.now()): Promise<DeletedSince> {
  const type = soqlName(objectType);
  let start = Date.parse(since);
  if (Number.isNaN(start)) throw new Error(`"${since}" is not an ISO 8601 date-time`);
  if (start < now - GET_DELETED_MAX_AGE_MS) {
    logger.warn({ crm: 'salesforce', objectType: type, since }, 'deletions older than 15 days cannot be listed: a backfill forgets the people deleted before');
    start = now - GET_DELETED_MAX_AGE_MS;
  }
  // Salesforce counts whole minutes: a window shorter than one covers nothing yet.
  if (now - start < 60_000) return { ids: [], watermark: since };
  const res = await client.rest(
    'getDeleted',
    {
      method: 'GET',
      url: `/sobjects/${type}/deleted/?start=${encodeURIComponent(new Date(start).toISOString())}&end=${encodeURIComponent(new Date(now).toISOString())}`,
    },
    deletedResult,
  );
  return {
    ids: res.deletedRecords.map((d) => d.id),
    watermark: isoFromSalesforce(res.latestDateCovered) ?? since,
  };
}
