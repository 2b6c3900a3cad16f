/**
 * What the webhook receivers, schedulers and admin routes hand to the pipeline. The producer
 * deduplicates per record and coalesces requests into batch jobs (see `src/pipeline/`).
 */
import type { CrmName } from '../errors.ts';

/** `cascade`: an account's fit moved its people's priority, or a person moved its account's committee. */
export type RescoreTrigger = 'webhook' | 'rescore' | 'incremental' | 'backfill' | 'model-change' | 'cascade';

export interface RescoreRequest {
  crm: CrmName;
  /** `companies` or `contacts` (HubSpot); `Account`, `Lead` or `Contact` (Salesforce). */
  objectType: string;
  /** CRM record id. */
  id: string;
  trigger: RescoreTrigger;
  /** When the change happened at the vendor (ms epoch), for end-to-end latency. */
  occurredAt?: number;
}

export interface RescoreProducer {
  /**
   * Durably records the requests in Redis. Resolves only once they are safe (a crash after this
   * loses nothing); rejects with `QueueUnavailableError` when Redis cannot take them.
   */
  enqueue(requests: readonly RescoreRequest[]): Promise<void>;
}
