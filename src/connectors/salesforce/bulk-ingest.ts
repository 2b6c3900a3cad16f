/**
 * Backfill writes through Bulk API 2.0 ingest jobs (update): CSV built here (an empty cell leaves a field
 * as is, `#N/A` clears it), the job polled with backoff until a final state, then successful, failed and
 * unprocessed rows turned into one `WriteOutcome`. Rows that failed on a lock, or were never processed,
 * are reported retryable.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_bulk_v2/datafiles_understanding_bulk2_ingest.htm
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { RecordChange, RecordFailure, WriteOutcome } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import { BULK_JOB_MAX_RECORDS, BULK_POLL } from './limits.ts';
import { isRetryableRecordCode } from './map-error.ts';
import { mergeChangesById } from './changes.ts';
import { isSalesforceId, soqlName } from './soql.ts';

export interface BulkWriteOptions {
  /** Polling: first wait, growth, cap and overall timeout (ms). Defaults in `limits.ts`. */
  poll?: { initialMs: number; factor: number; maxMs: number; timeoutMs: number };
}

const jobInfo = z.looseObject({
  id: z.string(),
  state: z.enum(['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted']),
  errorMessage: z.string().optional(),
  numberRecordsProcessed: z.number().optional(),
  numberRecordsFailed: z.number().optional(),
});

const cell = (v: unknown): string => {
  // Bulk API 2.0: an empty cell is ignored on update; `#N/A` sets null.
  if (v === null) return '#N/A';
  if (v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function changesToCsv(changes: readonly RecordChange[]): string {
  const columns: string[] = [];
  for (const c of changes) for (const k of Object.keys(c.fields)) if (!columns.includes(k)) columns.push(soqlName(k));
  const lines = [['Id', ...columns].join(',')];
  for (const c of changes) lines.push([c.id, ...columns.map((k) => cell(c.fields[k]))].join(','));
  return `${lines.join('\n')}\n`;
}

/** jsforce parses result CSVs when it can and hands back the raw text otherwise. */
function rows(value: unknown): Array<Record<string, string>> {
  if (Array.isArray(value)) return value as Array<Record<string, string>>;
  if (typeof value === 'string' && value.trim() !== '') return parse(value, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return [];
}

/** `sf__Error` is `CODE:message:fields --`. */
function parseBulkError(raw: string | undefined): { code: string; message: string } {
  const m = /^([A-Z_]+):(.*)$/s.exec(raw ?? '');
  return m ? { code: m[1] as string, message: (m[2] as string).replace(/:[^:]*--\s*$/, '').trim() || raw || '' } : { code: 'UNKNOWN_EXCEPTION', message: raw ?? '' };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function writeWithBulk(
  client: SalesforceClient,
  logger: Logger,
  objectType: string,
  changes: readonly RecordChange[],
  opts: BulkWriteOptions = {},
): Promise<WriteOutcome> {
  const type = soqlName(objectType);
  const poll = opts.poll ?? BULK_POLL;
  const outcome: WriteOutcome = { written: [], failed: [], calls: 0 };
  const valid: RecordChange[] = [];
  for (const c of mergeChangesById(changes)) {
    if (isSalesforceId(c.id)) valid.push(c);
    else outcome.failed.push({ id: c.id, code: 'MALFORMED_ID', message: `${type} ID: id value of incorrect type: ${c.id}`, retryable: false });
  }
  for (let i = 0; i < valid.length; i += BULK_JOB_MAX_RECORDS) {
    const part = await runJob(client, logger, type, valid.slice(i, i + BULK_JOB_MAX_RECORDS), poll);
    outcome.written.push(...part.written);
    outcome.failed.push(...part.failed);
    outcome.calls += part.calls;
  }
  return outcome;
}

async function runJob(
  client: SalesforceClient,
  logger: Logger,
  type: string,
  changes: readonly RecordChange[],
  poll: NonNullable<BulkWriteOptions['poll']>,
): Promise<WriteOutcome> {
  const before = client.calls;
  const csv = changesToCsv(changes);
  // Creating and filling the job is not repeated on failure: a half-filled job must not be uploaded twice.
  const job = await client.run('bulk.create', async (conn) => {
    const j = conn.bulk2.createJob({ object: type, operation: 'update', lineEnding: 'LF', columnDelimiter: 'COMMA' });
    await j.open();
    return j;
  }, { retry: false });
  const jobId = job.id;
  logger.info({ crm: 'salesforce', objectType: type, jobId, records: changes.length }, 'bulk ingest job opened');
  try {
    await client.run('bulk.upload', () => job.uploadData(csv), { retry: false });
    await client.run('bulk.close', () => job.close());
  } catch (err) {
    await client.run('bulk.abort', () => job.abort()).catch(() => undefined);
    throw err;
  }

  let wait = poll.initialMs;
  const deadline = Date.now() + poll.timeoutMs;
  let info = jobInfo.parse(await client.run('bulk.poll', () => job.check()));
  while (info.state === 'UploadComplete' || info.state === 'InProgress') {
    if (Date.now() > deadline) {
      // The job keeps running at Salesforce; retrying later re-applies the same values (idempotent update).
      throw new CrmError(`salesforce bulk job ${jobId} still ${info.state} after ${poll.timeoutMs} ms`, { crm: 'salesforce', vendorCode: 'BULK_POLL_TIMEOUT' });
    }
    await sleep(wait);
    wait = Math.min(poll.maxMs, Math.ceil(wait * poll.factor));
    info = jobInfo.parse(await client.run('bulk.poll', () => job.check()));
  }
  if (info.state === 'Failed' || info.state === 'Aborted') {
    logger.warn({ crm: 'salesforce', jobId, state: info.state, processed: info.numberRecordsProcessed }, 'bulk ingest job did not complete');
  }

  const known = new Map(changes.map((c) => [c.id.slice(0, 15), c.id]));
  const original = (r: Record<string, string>) => known.get((r.Id || r.sf__Id || '').slice(0, 15)) ?? r.Id ?? r.sf__Id ?? '';
  // A completed job processed every row: each is a success or a failure. Its counts then say
  // whether there is anything to download — a clean job costs no result call, one with failures only
  // the failed rows (everything else was written).
  const complete = info.state === 'JobComplete' && info.numberRecordsProcessed === changes.length && info.numberRecordsFailed !== undefined;
  if (complete) {
    const bad = info.numberRecordsFailed === 0 ? [] : rows(await client.run('bulk.failedResults', () => job.getFailedResults()));
    const failed: RecordFailure[] = bad.map((r) => {
      const e = parseBulkError(r.sf__Error);
      return { id: original(r), code: e.code, message: e.message, retryable: isRetryableRecordCode(e.code) };
    });
    const refused = new Set(failed.map((f) => f.id));
    return { written: changes.map((c) => c.id).filter((id) => !refused.has(id)), failed, calls: client.calls - before };
  }
  const [ok, bad, unprocessed] = [
    rows(await client.run('bulk.successfulResults', () => job.getSuccessfulResults())),
    rows(await client.run('bulk.failedResults', () => job.getFailedResults())),
    rows(await client.run('bulk.unprocessedRecords', () => job.getUnprocessedRecords())),
  ];
  const written = new Set<string>();
  const failed: RecordFailure[] = [];
  for (const r of ok) written.add(original(r));
  for (const r of bad) {
    const e = parseBulkError(r.sf__Error);
    failed.push({ id: original(r), code: e.code, message: e.message, retryable: isRetryableRecordCode(e.code) });
  }
  const reason = info.errorMessage ?? `job ${info.state}`;
  for (const r of unprocessed) failed.push({ id: original(r), code: 'UNPROCESSED', message: `not processed: ${reason}`, retryable: true });
  // Rows the job never reported on (a job that failed before reading them) are retryable too.
  const reported = new Set([...written, ...failed.map((f) => f.id)]);
  for (const c of changes) {
    if (!reported.has(c.id)) failed.push({ id: c.id, code: 'UNPROCESSED', message: `not processed: ${reason}`, retryable: true });
  }
  return { written: [...written], failed, calls: client.calls - before };
}
