/**
 * Processor of the `batches-<crm>` queues: one job = up to one CRM batch of record ids of one object
 * type. Reads (unless listed), enriches, scores, diffs, writes only what changed. Records the CRM
 * refused for good go to the failed set with its message; retryable ones come back in a new job.
 */
import type { Job } from 'bullmq';
import { batchJobSchema, type BatchJob, type BatchJobData } from '../src/pipeline/batch-job.ts';
import { enrichRetryDelayMs, retryDelayMs, withJobErrorPolicy } from '../src/pipeline/job-errors.ts';
import { processBatch, writeChanges, type BatchOutcome } from '../src/pipeline/process-batch.ts';
import { BULK_FLUSH_JOB, bulkFlushJobSchema, queueBulkFlush, type BulkFlushJobData } from '../src/pipeline/bulk-stage.ts';
import { recordsSignedBy } from '../src/pipeline/job-signature.ts';
import { cascadeAfterBatch } from '../src/pipeline/people.ts';
import type { PipelineServices } from '../src/pipeline/services.ts';
import { HELD_RETRY_ROUNDS, heldRetryDelayMs } from '../src/enrichment/retry.ts';
import { e2eLatencySeconds, recordsTotal, scoreHistogram, tierTotal } from '../src/observability/metrics.ts';

export interface BatchJobResult {
  written: number;
  unchanged: number;
  missing: number;
  failed: number;
  retried: number;
  writeCalls: number;
}

function observe(data: BatchJob, out: BatchOutcome, now: number): void {
  const crm = data.crm;
  recordsTotal.inc({ crm, outcome: 'written' }, out.written.length);
  recordsTotal.inc({ crm, outcome: 'unchanged' }, out.unchanged.length);
  recordsTotal.inc({ crm, outcome: 'missing' }, out.missing.length);
  recordsTotal.inc({ crm, outcome: 'failed' }, out.failed.length);
  for (const s of out.scored) {
    scoreHistogram.observe({ crm }, s.score);
    tierTotal.inc({ crm, tier: s.tier });
  }
  for (const id of out.written) {
    const at = data.occurredAt?.[id];
    if (at !== undefined) e2eLatencySeconds.observe({ crm }, Math.max(0, now - at) / 1000);
  }
}

export function createBatchProcessor(s: PipelineServices): (job: Job<BatchJobData>) => Promise<BatchJobResult> {
  return async (job) => {
    if (job.name === BULK_FLUSH_JOB) return flushStage(s, job);
    const data = batchJobSchema.parse(job.data);
    const queue = s.batchQueue(data.crm);
    if (data.records !== undefined && !recordsSignedBy(await s.jobSecret(), data)) {
      // Not queued by this service (the dashboard, a script): its values are not the CRM's. Read them.
      s.logger.warn({ crm: data.crm, objectType: data.objectType, jobId: job.id, records: data.records.length }, 'batch job carries unsigned records: they are ignored and read from the CRM');
      delete data.records;
    }
    if (!s.objectTypes(data.crm).includes(data.objectType)) {
      // Queued before a model change that stopped syncing this type (people of a model without roles).
      s.logger.debug({ crm: data.crm, objectType: data.objectType, records: data.ids.length }, 'batch of an object type no longer synced dropped');
      return { written: 0, unchanged: 0, missing: 0, failed: 0, retried: 0, writeCalls: 0 };
    }
    return withJobErrorPolicy(queue, async () => {
      const op = s.pipeline(data.crm, data.objectType);
      const background = data.trigger === 'backfill' || data.trigger === 'model-change';
      const deferWrites = data.backfillRun !== undefined && data.live !== true && op.connector.bulkWriteThreshold !== undefined;
      // A record a provider failed on is held back (not written) for a few short retries first.
      const hold = data.round < HELD_RETRY_ROUNDS && data.round + 1 < s.env.JOB_ATTEMPTS;
      const out = await processBatch(op, s.scoring, { ids: data.ids, ...(data.records ? { records: data.records } : {}), background, deferWrites, holdIncomplete: hold });
      if (data.backfillRun !== undefined && out.deferred.length > 0) {
        const staged = await s.bulkStage.stage(data.crm, data.objectType, data.backfillRun, out.deferred);
        // The run is over (a newer one replaced it): these changes are written now, not gathered.
        if (staged === undefined) await writeChanges(op, out.deferred, { mode: 'live', background }, out);
        else if (staged > (op.connector.bulkWriteThreshold ?? Infinity)) await queueFlush(s, data.crm, data.objectType, data.backfillRun, 'threshold');
      }
      observe(data, out, Date.now());
      if (out.unrecognised.length > 0) {
        // A value the mapping cannot read (a misspelt country) scores as missing: say which, and how often.
        const values = out.unrecognised.slice(0, 10).map((u) => ({ attribute: u.attribute, value: u.value, records: u.records }));
        s.logger.warn(
          { crm: data.crm, objectType: data.objectType, count: out.unrecognised.reduce((n, u) => n + u.records, 0), values },
          'CRM values not recognised by the field mappings: scored as missing',
        );
      }
      if (s.people) await cascadeAfterBatch({ people: s.people, producer: s.producer, backfills: s.backfills, logger: s.logger }, op, out);

      let retried = 0;
      if (out.retry.length > 0) {
        if (data.round + 1 < s.env.JOB_ATTEMPTS) {
          const ids = out.retry.map((f) => f.id);
          const occurredAt = Object.fromEntries(ids.flatMap((id) => (data.occurredAt?.[id] === undefined ? [] : [[id, data.occurredAt[id]]])));
          const retryJob: BatchJobData = { crm: data.crm, objectType: data.objectType, ids, occurredAt, round: data.round + 1 };
          if (data.trigger) retryJob.trigger = data.trigger;
          if (data.backfillRun) retryJob.backfillRun = data.backfillRun;
          if (data.live) retryJob.live = true;
          await queue.add('retry', retryJob, { delay: retryDelayMs(data.round) });
          retried = ids.length;
        } else {
          out.failed.push(...out.retry);
        }
      }
      if (out.enrichLater.length > 0 && data.round + 1 < s.env.JOB_ATTEMPTS) {
        // Providers never make scoring fail; the records come back once the provider may answer again.
        const again: BatchJobData = { crm: data.crm, objectType: data.objectType, ids: out.enrichLater, round: data.round + 1 };
        if (data.trigger) again.trigger = data.trigger;
        // Held records were neither written nor counted: the retry writes them and counts them for the run.
        if (hold && data.backfillRun) {
          again.backfillRun = data.backfillRun;
          again.live = true;
        }
        await queue.add('enrich-retry', again, { delay: hold ? heldRetryDelayMs(data.round) : enrichRetryDelayMs(data.round) });
      }
      if (out.failed.length > 0) {
        await s.failed.add(data.crm, data.objectType, out.failed, data.round + 1);
        s.logger.warn({ crm: data.crm, objectType: data.objectType, count: out.failed.length, codes: [...new Set(out.failed.map((f) => f.code))] }, 'records refused by the CRM moved to the failed set');
      }
      if (data.backfillRun) {
        await s.backfills.batchDone(data.crm, data.objectType, data.backfillRun, job.id ?? '', {
          written: out.written.length,
          unchanged: out.unchanged.length,
          failed: out.failed.length,
          missing: out.missing.length,
        });
        if (deferWrites && (await s.bulkStage.finalDue(data.crm, data.objectType, data.backfillRun))) {
          await queueFlush(s, data.crm, data.objectType, data.backfillRun, 'final');
        }
      }
      return {
        written: out.written.length,
        unchanged: out.unchanged.length,
        missing: out.missing.length,
        failed: out.failed.length,
        retried,
        writeCalls: out.writeCalls,
      };
    });
  };
}

async function queueFlush(s: PipelineServices, crm: BulkFlushJobData['crm'], objectType: string, run: string, reason: BulkFlushJobData['reason']): Promise<void> {
  await queueBulkFlush(s.batchQueue(crm), { crm, objectType, run, reason });
}

/**
 * Writes the changes a backfill staged: one Bulk API call when over the connector's threshold, else
 * synchronous batches. A retry of this job (crash, 429, timeout) writes the same changes again.
 */
async function flushStage(s: PipelineServices, job: Job): Promise<BatchJobResult> {
  const data = bulkFlushJobSchema.parse(job.data);
  const queue = s.batchQueue(data.crm);
  const jobId = job.id ?? '';
  return withJobErrorPolicy(queue, async () => {
    const op = s.pipeline(data.crm, data.objectType);
    const threshold = op.connector.bulkWriteThreshold ?? 0;
    const changes = await s.bulkStage.claim(data.crm, data.objectType, data.run, jobId, data.reason === 'final' ? 1 : threshold + 1);
    const none: BatchJobResult = { written: 0, unchanged: 0, missing: 0, failed: 0, retried: 0, writeCalls: 0 };
    if (changes.length === 0) return none;
    const out: Pick<BatchOutcome, 'written' | 'failed' | 'retry' | 'writeCalls'> = { written: [], failed: [], retry: [], writeCalls: 0 };
    await writeChanges(op, changes, { mode: 'bulk', background: true }, out);
    recordsTotal.inc({ crm: data.crm, outcome: 'written' }, out.written.length);
    recordsTotal.inc({ crm: data.crm, outcome: 'failed' }, out.failed.length);
    if (out.retry.length > 0) {
      // Retryable refusals (row locks…) come back as a batch of the run written at once, with the
      // usual rounds: gathering them again could repeat a failing bulk write without end.
      const retryJob: BatchJobData = { crm: data.crm, objectType: data.objectType, ids: out.retry.map((f) => f.id), round: 1, trigger: 'backfill', backfillRun: data.run, live: true };
      await queue.add('retry', retryJob, { delay: retryDelayMs(0) });
    }
    if (out.failed.length > 0) {
      await s.failed.add(data.crm, data.objectType, out.failed, 1);
      s.logger.warn({ crm: data.crm, objectType: data.objectType, count: out.failed.length, codes: [...new Set(out.failed.map((f) => f.code))] }, 'records refused by the CRM moved to the failed set');
    }
    await s.backfills.batchDone(data.crm, data.objectType, data.run, `flush-${jobId}`, {
      written: out.written.length,
      unchanged: 0,
      failed: out.failed.length,
      missing: 0,
      unstaged: changes.length,
    });
    await s.bulkStage.release(data.crm, data.objectType, data.run, jobId);
    s.logger.info({ crm: data.crm, objectType: data.objectType, run: data.run, records: changes.length, written: out.written.length, calls: out.writeCalls }, 'backfill changes written');
    if (await s.bulkStage.finalDue(data.crm, data.objectType, data.run)) await queueFlush(s, data.crm, data.objectType, data.run, 'final');
    return { ...none, written: out.written.length, failed: out.failed.length, retried: out.retry.length, writeCalls: out.writeCalls };
  });
}
