/**
 * What the queue processors in `workers/` need, assembled once by the runtime.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Env } from '../config/env.ts';
import type { CrmConnector } from '../connectors/port.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { Backfills } from './backfill.ts';
import type { BulkStage } from './bulk-stage.ts';
import type { FailedSet } from './failed-set.ts';
import type { PipelineKeys } from './keys.ts';
import type { ObjectPipeline } from './object-pipeline.ts';
import type { PeopleOptions } from './people.ts';
import type { RescoreProducer } from './requests.ts';
import type { ScoringContext } from './score-records.ts';

export interface PipelineServices {
  env: Env;
  logger: Logger;
  /** Shared BullMQ-style connection (`maxRetriesPerRequest: null`). */
  redis: Redis;
  keys: PipelineKeys;
  connectors: ReadonlyMap<CrmName, CrmConnector>;
  /** The object types synced for a CRM (people only when the model has roles). */
  objectTypes(crm: CrmName): readonly string[];
  /** The pipeline of one object type; throws when the CRM or object type is not configured. */
  pipeline(crm: CrmName, objectType: string): ObjectPipeline;
  scoring: ScoringContext;
  batchQueue(crm: CrmName): Queue;
  listings: Queue;
  producer: RescoreProducer;
  failed: FailedSet;
  backfills: Backfills;
  /** Backfill changes gathered for a bulk write. */
  bulkStage: BulkStage;
  /** Signs and checks the records batch jobs carry (see job-signature.ts). */
  jobSecret(): Promise<string>;
  /** Buying roles: present when the model has roles. */
  people?: PeopleOptions;
}
