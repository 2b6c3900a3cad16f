/**
 * Live writes through sObject Collections update (`allOrNone: false`, at most 200 records per call):
 * per-record results, and records that failed on UNABLE_TO_LOCK_ROW retried alone after a backoff.
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-update.html
 */
import { z } from 'zod';
import type { Logger } from '../../logging.ts';
import type { RecordChange, RecordFailure, WriteOutcome } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import { COLLECTION_WRITE_MAX, LOCK_RETRY_ROUNDS } from './limits.ts';
import { isRetryableRecordCode } from './map-error.ts';
import { mergeChangesById } from './changes.ts';
import { isSalesforceId, soqlName } from './soql.ts';

// jsforce types this as `errorCode`, Salesforce sends `statusCode` (jsforce issue #1067): read both.
const saveError = z.looseObject({
  statusCode: z.string().optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
});
const saveResults = z.array(
  z.looseObject({ id: z.string().nullish(), success: z.boolean(), errors: z.array(saveError).default([]) }),
);

export interface CollectionWriteOptions {
  /** Wait before each round of lock retries, ms (doubles each round). Default 1000. */
  lockRetryBaseMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function writeWithCollections(
  client: SalesforceClient,
  logger: Logger,
  objectType: string,
  changes: readonly RecordChange[],
  opts: CollectionWriteOptions = {},
): Promise<WriteOutcome> {
  const type = soqlName(objectType);
  const written: string[] = [];
  const failed: RecordFailure[] = [];
  let calls = 0;
  let pending: RecordChange[] = [];
  for (const c of mergeChangesById(changes)) {
    if (isSalesforceId(c.id)) pending.push(c);
    else failed.push({ id: c.id, code: 'MALFORMED_ID', message: `${type} ID: id value of incorrect type: ${c.id}`, retryable: false });
  }

  for (let round = 0; pending.length > 0; round += 1) {
    const locked: Array<{ change: RecordChange; failure: RecordFailure }> = [];
    for (let i = 0; i < pending.length; i += COLLECTION_WRITE_MAX) {
      const chunk = pending.slice(i, i + COLLECTION_WRITE_MAX);
      calls += 1;
      const results = await client.rest(
        'collections.update',
        {
          method: 'PATCH',
          url: '/composite/sobjects',
          body: { allOrNone: false, records: chunk.map((c) => ({ attributes: { type }, id: c.id, ...c.fields })) },
        },
        saveResults,
      );
      // Results come back in request order, one per record.
      chunk.forEach((change, idx) => {
        const r = results[idx];
        if (r?.success) {
          written.push(change.id);
          return;
        }
        const e = r?.errors[0];
        const code = e?.statusCode ?? e?.errorCode ?? 'UNKNOWN_EXCEPTION';
        const failure: RecordFailure = { id: change.id, code, message: e?.message ?? 'no result for this record', retryable: isRetryableRecordCode(code) };
        if (code === 'UNABLE_TO_LOCK_ROW') locked.push({ change, failure });
        else failed.push(failure);
      });
    }
    if (locked.length === 0) break;
    if (round >= LOCK_RETRY_ROUNDS) {
      failed.push(...locked.map((l) => l.failure));
      break;
    }
    const wait = (opts.lockRetryBaseMs ?? 1000) * 2 ** round;
    logger.info({ crm: 'salesforce', objectType: type, records: locked.length, round: round + 1, waitMs: wait }, 'records locked, retrying them');
    await sleep(wait);
    pending = locked.map((l) => l.change);
  }
  return { written, failed, calls };
}
