/**
 * Every Redis key the pipeline uses, in one place. All keys share one hash tag (`{icp}`) so that
 * BullMQ's multi-key Lua scripts and our own work on Redis Cluster: a tag pins every key to one
 * slot (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 */
import type { CrmName } from '../errors.ts';

/** `icp` → `{icp}`; a prefix that already carries a `{…}` tag is kept as is. */
export function hashTagPrefix(prefix: string): string {
  return /\{[^{}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

export interface PipelineKeys {
  /** BullMQ `prefix` option; queues live under `<prefix>:<queue>:…`. */
  readonly bullPrefix: string;
  /** Sorted set of record ids waiting for their debounce window: member = id, score = due time (ms). */
  pending(crm: CrmName, objectType: string): string;
  /** Hash: record id → earliest `occurredAt` (ms) of the pending change, for end-to-end latency. */
  pendingAt(crm: CrmName, objectType: string): string;
  /** Hash: claim id → batch of ids taken from `pending` but not yet confirmed as a queued job. */
  readonly claims: string;
  /** Set of `crm:objectType` pairs that have had pending ids (so dispatchers know what to scan). */
  readonly pendingIndex: string;
  /** String: ISO time of the last incremental sync position. */
  watermark(crm: CrmName, objectType: string): string;
  /** String: ISO time from which the next pass lists deleted records (CRMs without deletion webhooks). */
  deletedWatermark(crm: CrmName, objectType: string): string;
  /** Hash: state of the current or last backfill of one object type. */
  backfill(crm: CrmName, objectType: string): string;
  /** Set: batch job ids already counted in the current backfill run (a job redone after a crash counts once). */
  backfillJobs(crm: CrmName, objectType: string): string;
  /** Hash: record id → JSON fields to write, changes of a backfill run gathered for one bulk write. */
  bulkStage(crm: CrmName, objectType: string, run: string): string;
  /** Hash: the changes one bulk-flush job took from the stage (kept until written, so a retry resumes). */
  bulkFlush(crm: CrmName, objectType: string, run: string, jobId: string): string;
  /** String: the model version last synced to a CRM. */
  modelVersion(crm: CrmName): string;
  /** String: the secret batch jobs carrying records are signed with (see job-signature.ts). */
  readonly jobSecret: string;
  /** Hash: account id key → `score\ttier\texcluded` of the account's fit, as last computed (buying roles). */
  accountFits(crm: CrmName): string;
  /** Hash: person id key → `accountKey\trole` (accountKey empty when the person has no account). */
  personLinks(crm: CrmName): string;
  /** Prefix of the hashes `<prefix><accountKey>`: person id → role, the people one account counts. */
  accountPeoplePrefix(crm: CrmName): string;
  /** Hash: failed-set entry id → JSON entry. */
  readonly failed: string;
  /** Sorted set: failed-set entry id by time (ms) for listing newest first. */
  readonly failedIndex: string;
}

export function pipelineKeys(prefix: string): PipelineKeys {
  const p = hashTagPrefix(prefix);
  return {
    bullPrefix: p,
    pending: (crm, objectType) => `${p}:pending:${crm}:${objectType}`,
    pendingAt: (crm, objectType) => `${p}:pending-at:${crm}:${objectType}`,
    claims: `${p}:pending-claims`,
    pendingIndex: `${p}:pending-index`,
    watermark: (crm, objectType) => `${p}:watermark:${crm}:${objectType}`,
    deletedWatermark: (crm, objectType) => `${p}:deleted-watermark:${crm}:${objectType}`,
    backfill: (crm, objectType) => `${p}:backfill:${crm}:${objectType}`,
    backfillJobs: (crm, objectType) => `${p}:backfill-jobs:${crm}:${objectType}`,
    bulkStage: (crm, objectType, run) => `${p}:bulk-stage:${crm}:${objectType}:${run}`,
    bulkFlush: (crm, objectType, run, jobId) => `${p}:bulk-flush:${crm}:${objectType}:${run}:${jobId}`,
    modelVersion: (crm) => `${p}:model-version:${crm}`,
    jobSecret: `${p}:job-secret`,
    accountFits: (crm) => `${p}:account-fits:${crm}`,
    personLinks: (crm) => `${p}:person-links:${crm}`,
    accountPeoplePrefix: (crm) => `${p}:account-people:${crm}:`,
    failed: `${p}:failed`,
    failedIndex: `${p}:failed-index`,
  };
}
