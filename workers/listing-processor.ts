/**
 * Processor of the `listings` queue: backfill runs and scheduled incremental syncs. Both page through
 * the CRM and turn each page into batch jobs that carry the records already read (a full pass costs
 * one list call plus at most one write call per batch). A backfill saves its cursor after each page
 * is queued, so a restart resumes where it stopped; an incremental sync moves its watermark forward
 * the same way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, type Job } from 'bullmq';
import { z } from 'zod';
import type { CrmRecord, IncrementalPage, Page } from '../src/connectors/port.ts';
import { CrmRateLimitError, type CrmName } from '../src/errors.ts';
import { chunk, type BatchJobData } from '../src/pipeline/batch-job.ts';
import { DEFAULT_RATE_LIMIT_PAUSE_MS } from '../src/pipeline/job-errors.ts';
import type { RescoreTrigger } from '../src/pipeline/requests.ts';
import { queueBulkFlush } from '../src/pipeline/bulk-stage.ts';
import { signRecords } from '../src/pipeline/job-signature.ts';
import type { PipelineServices } from '../src/pipeline/services.ts';

const crmSchema = z.enum(['hubspot', 'salesforce']);
const backfillSchema = z.object({ crm: crmSchema, objectType: z.string(), run: z.string() });
const incrementalSchema = z.object({ crm: crmSchema, objectType: z.string() });

/**
 * Batch jobs a listing may keep waiting before it pauses: enough to keep every worker busy, little
 * enough that Redis never holds a whole CRM.
 */
export const MAX_WAITING_BATCHES = 40;

export interface ListingResult {
  pages: number;
  records: number;
}

/** Calls the CRM, sleeping through 429s in place: a listing holds its position rather than restart. */
async function patiently<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof CrmRateLimitError) || err.daily) throw err;
      await sleep(err.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS);
    }
  }
}

/** A page fetched ahead may be abandoned when the job fails first: never an unhandled rejection. */
function prefetched<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

async function waitForRoom(s: PipelineServices, crm: CrmName, stopping?: AbortSignal): Promise<void> {
  const queue = s.batchQueue(crm);
  // While the process stops, its batch workers no longer drain the queue: do not wait for them.
  while (!stopping?.aborted && (await queue.getWaitingCount()) + (await queue.getPrioritizedCount()) >= MAX_WAITING_BATCHES) {
    await sleep(100);
  }
}

/**
 * Deterministic id of a backfill batch job, so that a page queued again after a crash is dropped by
 * BullMQ as a duplicate. Every part that tells two batches apart is in it: the backfills of all
 * object types of a CRM share one run id, so the CRM and object type must be part of the id too.
 * BullMQ refuses custom ids containing ":", hence "-" between the parts.
 */
export function backfillBatchJobId(crm: CrmName, objectType: string, run: string, page: number, index: number): string {
  return `bf-${crm}-${objectType}-${run}-${page}-${index}`;
}

async function queuePage(
  s: PipelineServices,
  crm: CrmName,
  objectType: string,
  records: readonly CrmRecord[],
  trigger: RescoreTrigger,
  ids?: { run: string; page: number },
): Promise<void> {
  if (records.length === 0) return;
  const size = s.connectors.get(crm)?.batchSize.write ?? 100;
  const secret = await s.jobSecret();
  const jobs = chunk(records, size).map((part, i) => {
    const data: BatchJobData = { crm, objectType, ids: part.map((r) => r.id), records: part, trigger };
    data.sig = signRecords(secret, data);
    if (ids) data.backfillRun = ids.run;
    return { name: trigger, data, opts: ids ? { jobId: backfillBatchJobId(crm, objectType, ids.run, ids.page, i) } : {} };
  });
  await s.batchQueue(crm).addBulk(jobs);
}

/**
 * Gives a backfill listing back to the queue when this process stops between two pages: its cursor
 * is saved after every page, so whichever worker takes it next goes on from there, and the process
 * stops within one page rather than walking a whole CRM before it may exit.
 */
async function handBack(job: Job, token: string | undefined): Promise<never> {
  if (token === undefined) throw new Error('cannot hand the backfill listing back without its lock token');
  await job.moveToDelayed(Date.now(), token);
  throw new DelayedError();
}

/** How often a people backfill checks whether its accounts' backfill is over. */
const PEOPLE_WAIT_MS = 1000;

async function accountsBackfilling(s: PipelineServices, crm: CrmName): Promise<boolean> {
  const connector = s.connectors.get(crm);
  for (const t of s.objectTypes(crm)) {
    if (connector?.objectKinds[t] !== 'account') continue;
    if ((await s.backfills.state(crm, t))?.status === 'running') return true;
  }
  return false;
}

async function backfill(s: PipelineServices, job: Job, token?: string, stopping?: AbortSignal): Promise<ListingResult> {
  const { crm, objectType, run } = backfillSchema.parse(job.data);
  const state = await s.backfills.state(crm, objectType);
  if (!state || state.run !== run || state.status !== 'running' || state.listingDone) return { pages: 0, records: 0 };
  const op = s.pipeline(crm, objectType);
  if (op.kind === 'person' && (await accountsBackfilling(s, crm))) {
    // People after their accounts: their priority reads the accounts' fits, which the accounts'
    // backfill is computing; listing them now would read and score those accounts a second time.
    if (token === undefined) throw new Error('cannot delay the people backfill without its lock token');
    await job.moveToDelayed(Date.now() + PEOPLE_WAIT_MS, token);
    throw new DelayedError();
  }
  const cursor = await s.backfills.cursor(crm, objectType);
  let pageNo = state.pages;
  let records = 0;
  const startPages = pageNo;
  const fetchPage = (c: string | undefined) => prefetched(patiently(() => op.connector.listAll(objectType, op.readFields, c)));
  // One page ahead: the next list call is in flight while this page is queued and recorded, so the
  // chain of page cursors — which cannot be parallelised — never waits on Redis.
  let next: Promise<Page> = fetchPage(cursor);
  for (;;) {
    const page = await next;
    if (page.next !== undefined) next = fetchPage(page.next);
    await waitForRoom(s, crm, stopping);
    await queuePage(s, crm, objectType, page.records, state.trigger, { run, page: pageNo });
    await s.backfills.pageListed(crm, objectType, run, page.records.length, page.next, page.total);
    records += page.records.length;
    pageNo += 1;
    await job.updateProgress({ pages: pageNo, listed: state.listed + records });
    if (page.next === undefined) break;
    if (stopping?.aborted) {
      s.logger.info({ crm, objectType, run, pages: pageNo }, 'backfill listing handed back: this process is stopping');
      return handBack(job, token);
    }
  }
  // Every batch may be done before the listing is recorded as over: the last staged changes are due now.
  if (await s.bulkStage.finalDue(crm, objectType, run)) await queueBulkFlush(s.batchQueue(crm), { crm, objectType, run, reason: 'final' });
  s.logger.info({ crm, objectType, run, records }, 'backfill listing finished');
  return { pages: pageNo - startPages, records };
}

async function incremental(s: PipelineServices, job: Job, stopping?: AbortSignal): Promise<ListingResult> {
  const { crm, objectType } = incrementalSchema.parse(job.data);
  const key = s.keys.watermark(crm, objectType);
  const stored = await s.redis.get(key);
  if (stored === null) {
    // First pass: nothing to catch up on (a backfill covers what came before); start watching now.
    await s.redis.set(key, new Date().toISOString());
    return { pages: 0, records: 0 };
  }
  const op = s.pipeline(crm, objectType);
  const since = new Date(Date.parse(stored) - s.env.INCREMENTAL_SYNC_OVERLAP_MS).toISOString();
  let pages = 0;
  let records = 0;
  let watermark = stored;
  const fetchPage = (c: string | undefined) => prefetched(patiently(() => op.connector.listModifiedSince(objectType, op.readFields, since, c)));
  let next: Promise<IncrementalPage> = fetchPage(undefined);
  for (;;) {
    const page = await next;
    if (page.next !== undefined) next = fetchPage(page.next);
    await waitForRoom(s, crm, stopping);
    await queuePage(s, crm, objectType, page.records, 'incremental');
    if (page.watermark !== undefined && Date.parse(page.watermark) > Date.parse(watermark)) {
      watermark = page.watermark;
      await s.redis.set(key, watermark);
    }
    pages += 1;
    records += page.records.length;
    // Stopping: the watermark covers the pages queued so far; the next scheduled run goes on from it.
    if (page.next === undefined || stopping?.aborted) break;
  }
  if (records > 0) s.logger.info({ crm, objectType, records, watermark }, 'incremental sync queued changed records');
  if (op.kind === 'person' && op.connector.listDeletedSince !== undefined) await queueDeletedPeople(s, crm, objectType, op.connector.listDeletedSince.bind(op.connector));
  return { pages, records };
}

/**
 * People deleted in a CRM that sends no webhook for deletions: rescoring them finds them gone, which
 * takes them out of their account's committee (and the account is rescored).
 */
async function queueDeletedPeople(
  s: PipelineServices,
  crm: CrmName,
  objectType: string,
  list: (objectType: string, since: string) => Promise<{ ids: string[]; watermark: string }>,
): Promise<void> {
  const key = s.keys.deletedWatermark(crm, objectType);
  const stored = await s.redis.get(key);
  if (stored === null) {
    await s.redis.set(key, new Date().toISOString());
    return;
  }
  const { ids, watermark } = await patiently(() => list(objectType, stored));
  if (ids.length > 0) {
    await s.producer.enqueue(ids.map((id) => ({ crm, objectType, id, trigger: 'incremental' as const })));
    s.logger.info({ crm, objectType, records: ids.length }, 'deleted people queued: they leave their accounts\' committees');
  }
  if (Date.parse(watermark) > Date.parse(stored)) await s.redis.set(key, watermark);
}

/** `stopping` aborts when the process closes its workers: listings then stop at the next page. */
export function createListingProcessor(
  s: PipelineServices,
  stopping?: AbortSignal,
): (job: Job, token?: string) => Promise<ListingResult> {
  return async (job, token) => {
    if (job.name === 'backfill') return backfill(s, job, token, stopping);
    if (job.name === 'incremental') return incremental(s, job, stopping);
    throw new Error(`unknown listing job "${job.name}"`);
  };
}
