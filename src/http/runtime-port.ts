/**
 * What the HTTP edge needs from the pipeline runtime, and nothing more. `start`/`serve` adapt the
 * real runtime (`src/pipeline/runtime.ts`) to it; HTTP tests pass a small double.
 */
import type { Queue } from 'bullmq';
import type { CrmConnector, CrmName } from '../connectors/port.ts';
import type { RescoreProducer } from '../pipeline/requests.ts';

/** A JSON object handed back to admin clients as is. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The parts of a connector the routes read: its object types and output field names. */
export type ConnectorInfo = Pick<CrmConnector, 'crm' | 'objectTypes' | 'outputFields'> & {
  /** The CRM fields the mapping of a synced object type reads (webhooks rescore on their changes). */
  inputFields?(objectType: string): readonly string[];
};

export interface HttpRuntime {
  /** Where webhook receivers put change requests. */
  readonly producer: RescoreProducer;
  /** The configured connector for a CRM, or `undefined` when that CRM is not configured. */
  connector(crm: CrmName): ConnectorInfo | undefined;
  /** BullMQ queues, shown on the dashboard and counted by `icp_sync_queue_depth`. */
  queues(): readonly Queue[];
  /** Resolves when Redis answers; rejects (any error) otherwise. */
  ready(): Promise<void>;
  /** Queue counts, schedules and backfill progress, as one JSON object. */
  status(): Promise<JsonObject>;
  /** Starts (or resumes) a backfill; resolves once it is queued, long before it ends. */
  startBackfill(crm: CrmName, objectType?: string): Promise<JsonObject>;
  /** Progress of backfills, all CRMs or one. */
  backfillStatus(crm?: CrmName): Promise<JsonObject>;
  /** Queues the records for a rescore now (trigger `rescore`). */
  rescore(crm: CrmName, objectType: string, ids: readonly string[]): Promise<JsonObject>;
  /** Reads, enriches and scores one record without writing anything back. */
  explain(crm: CrmName, objectType: string | undefined, id: string): Promise<JsonObject>;
  /**
   * The active model's health (re-challenge monitor): stored checks, age and warnings; with `check`, a
   * check of the deals closed since publication runs first (`ran: false` when another process is running
   * one). Absent when this runtime has no monitor.
   */
  modelHealth?(options: { check: boolean }): Promise<JsonObject>;
  readonly failed: {
    /** Jobs that failed for good, newest first. */
    list(page: { limit: number; offset: number }): Promise<JsonObject>;
    /** Puts failed jobs back in their queue; `'all'` retries every failed job. */
    retry(ids: readonly string[] | 'all'): Promise<JsonObject>;
  };
}
