/**
 * Starts the BullMQ workers of one process (the processors themselves live in `workers/`), and
 * counts job outcomes. Any number of such processes, on any number of machines, share one Redis.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobsTotal } from '../observability/metrics.ts';
import { createBatchProcessor } from '../../workers/batch-processor.ts';
import { createListingProcessor } from '../../workers/listing-processor.ts';
import { batchQueueName, LISTINGS_QUEUE } from './batch-job.ts';
import type { PipelineServices } from './services.ts';

/** Listing jobs run at once per process: a backfill and an incremental sync of each object type. */
const LISTING_CONCURRENCY = 4;

export interface WorkerPool {
  workers: Worker[];
  close(): Promise<void>;
}

function countOutcomes(worker: Worker): void {
  worker.on('completed', () => jobsTotal.inc({ queue: worker.name, outcome: 'completed' }));
  worker.on('failed', (job: Job | undefined, err: Error) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    jobsTotal.inc({ queue: worker.name, outcome: final ? 'failed' : 'retried' });
  });
}

export function startWorkerPool(s: PipelineServices, connection: Redis): WorkerPool {
  const common = {
    connection,
    prefix: s.keys.bullPrefix,
    lockDuration: s.env.WORKER_LOCK_MS,
    stalledInterval: s.env.WORKER_LOCK_MS,
    // A job whose worker died is handed to another this many times before it counts as failed.
    maxStalledCount: 3,
  };
  const workers: Worker[] = [];
  const batchProcessor = createBatchProcessor(s);
  for (const crm of s.connectors.keys()) {
    const w = new Worker(batchQueueName(crm), batchProcessor, {
      ...common,
      concurrency: s.env.WORKER_CONCURRENCY,
      // BullMQ only honours `queue.rateLimit()` (a vendor 429) on workers that have a limiter; this
      // one never binds: the connectors' shared limiter sets the pace.
      limiter: { max: 100_000, duration: 1000 },
    });
    w.on('error', (err) => s.logger.warn({ queue: w.name, err: err.message }, 'worker connection error'));
    countOutcomes(w);
    workers.push(w);
  }
  const stopping = new AbortController();
  const listing = new Worker(LISTINGS_QUEUE, createListingProcessor(s, stopping.signal), { ...common, concurrency: LISTING_CONCURRENCY });
  listing.on('error', (err) => s.logger.warn({ queue: listing.name, err: err.message }, 'worker connection error'));
  countOutcomes(listing);
  workers.push(listing);
  return {
    workers,
    async close() {
      // Listings stop at their next page (a backfill hands itself back with its cursor saved), so
      // closing waits for one page, not for a whole CRM.
      stopping.abort();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
