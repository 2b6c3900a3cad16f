/**
 * The data of a batch job: a list of record ids of one CRM object type (so a retry or a crash loses
 * nothing), optionally with the records already read by a listing (backfill, incremental sync),
 * which saves the read call.
 */
import { z } from 'zod';
import type { CrmName } from '../errors.ts';

const triggers = ['webhook', 'rescore', 'incremental', 'backfill', 'model-change', 'cascade'] as const;

export const batchJobSchema = z.object({
  crm: z.enum(['hubspot', 'salesforce']),
  objectType: z.string().min(1),
  ids: z.array(z.string().min(1)).min(1),
  /** Records as listed, fields included; absent → the worker reads them by id. */
  records: z
    .array(
      z.object({
        id: z.string(),
        fields: z.record(z.string(), z.unknown()),
        modifiedAt: z.string().optional(),
        /** People: the account the person counts for (see `CrmRecord.accountId`). */
        accountId: z.string().nullable().optional(),
      }),
    )
    .optional(),
  /** HMAC of the records by the service (see job-signature.ts); records without it are not trusted. */
  sig: z.string().optional(),
  /** What caused the work (debounced changes may mix causes; then absent). */
  trigger: z.enum(triggers).optional(),
  /** Record id → when the change happened at the CRM (ms epoch), for end-to-end latency. */
  occurredAt: z.record(z.string(), z.number()).optional(),
  /** The backfill run this batch belongs to, for its progress counts. */
  backfillRun: z.string().optional(),
  /** Write at once even when the backfill gathers its changes for a bulk write (retries of a bulk write). */
  live: z.boolean().optional(),
  /** How many times these ids were handed back after retryable per-record failures. */
  round: z.number().int().min(0).default(0),
});

export type BatchJobData = z.input<typeof batchJobSchema>;
export type BatchJob = z.output<typeof batchJobSchema>;

/** Queue of one CRM's batch jobs: a 429 pauses this CRM's queue only. */
export function batchQueueName(crm: CrmName): string {
  return `batches-${crm}`;
}

/** Queue of listing jobs (backfill, incremental sync) of every CRM. */
export const LISTINGS_QUEUE = 'listings';

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
