/**
 * The runtime API that `start`, `work`, the admin routes and the CLI commands use.
 */
import type { Queue } from 'bullmq';
import type { CrmConnector, CrmFieldInfo, OutputField } from '../connectors/port.ts';
import type { MappingStore, MappingSummary } from '../mapping-store/types.ts';
import type { Mappings } from '../mappings/types.ts';
import type { IcpModel } from '../domain/types.ts';
import type { CrmName } from '../errors.ts';
import type { ModelStore, ModelSummary } from '../model-store/types.ts';
import type { ModelPreview } from '../preview/model-preview.ts';
import type { SampleCache } from '../preview/sample-cache.ts';
import type { DealCache } from '../preview/deal-cache.ts';
import type { CalibrationRuns } from '../calibration/calibration-runs.ts';
import type { BackfillState } from './backfill.ts';
import type { ModelHealthMonitor } from './model-health.ts';
import type { Explanation } from './explain.ts';
import type { FailedPage } from './failed-set.ts';
import type { RescoreProducer } from './requests.ts';

export interface QueueDepths {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  failed: number;
  completed: number;
}

export interface ObjectStatus {
  crm: CrmName;
  objectType: string;
  /** Ids waiting for their debounce window. */
  pending: number;
  /** ISO 8601 position of the incremental sync, when it has run. */
  watermark: string | null;
}

export interface PipelineStatus {
  modelVersion: string;
  /** CRM → the model version last synced to it (null: never). */
  syncedModelVersion: Partial<Record<CrmName, string | null>>;
  queues: QueueDepths[];
  objects: ObjectStatus[];
  backfills: BackfillState[];
}

export interface ActiveModelInfo {
  version: string;
  revision?: number;
  entry?: ModelSummary;
  model: IcpModel;
}

export interface Runtime {
  producer: RescoreProducer;
  connectors: ReadonlyMap<CrmName, CrmConnector>;
  /** The object types synced for a CRM: its accounts and leads, and its people when the model has roles. */
  objectTypes(crm: CrmName): readonly string[];
  /** The CRM fields one synced object type reads (its mapping) and writes (configured names). */
  fields(crm: CrmName, objectType: string): { input: readonly string[]; output: readonly OutputField[] };
  /** Every BullMQ queue (for the dashboard). */
  queues(): Queue[];
  /** Starts a backfill of one object type, or of every synced type; returns the run id. */
  startBackfill(crm: CrmName, objectType?: string): Promise<{ id: string }>;
  backfillStatus(crm?: CrmName): Promise<BackfillState[]>;
  /** Queues a rescore of the given ids (no debounce). Resolves once durably queued. */
  rescore(crm: CrmName, objectType: string | undefined, ids: readonly string[]): Promise<{ queued: number }>;
  /**
   * Dry run on one record; writes nothing. Without an object type, Salesforce ids tell theirs by their
   * prefix and other ids are looked for in each synced type. Throws `RecordNotFoundError` for an unknown id.
   */
  explain(crm: CrmName, objectType: string | undefined, id: string): Promise<Explanation>;
  failed: {
    list(options?: { limit?: number; offset?: number }): Promise<FailedPage>;
    /** Replays entries by id, or all; returns how many went back to the queues. */
    retry(ids: readonly string[] | 'all'): Promise<number>;
  };
  status(): Promise<PipelineStatus>;
  /**
   * The model history shared by every process (console Model and Publish pages): publish, rollback,
   * history, diff, export. `publish` and `rollback` resolve once this process scores with the new
   * entry; every other process follows within seconds (pub/sub, else its next poll).
   */
  models: ModelStore;
  /**
   * The field mappings history shared by every process (console Mappings page). `save` and
   * `rollback` resolve once this process reads with the new entry; the others follow within
   * seconds. Always set by `createRuntime`; absent in test doubles.
   */
  mappings?: MappingStore;
  /** The mappings this process reads with now (`entry` absent for mappings given directly). Always set by `createRuntime`. */
  activeMappings?(): { mappings: Mappings; entry?: MappingSummary };
  /** The CRM's fields of an object type (HubSpot properties, Salesforce describe), cached a few minutes; [] when the connector cannot list them. */
  crmFields?(crm: CrmName, objectType: string): Promise<CrmFieldInfo[]>;
  /** The model this process scores with now (`entry` absent for a model given directly, in tests). */
  activeModel(): ActiveModelInfo;
  /** What-if previews of a draft model over a cached sample of real records. */
  preview: {
    samples: SampleCache;
    /** The CRM's closed deals the preview compares draft and current on (always set by `createRuntime`). */
    deals?: DealCache;
    preview: ModelPreview['preview'];
    /** Mappings page: coverage of the current mapping on the sample (always set by `createRuntime`). */
    coverage?: ModelPreview['coverage'];
    /** Mappings page: an edited mappings text's effect on completeness and scores (always set by `createRuntime`). */
    previewMappings?: ModelPreview['previewMappings'];
  };
  /**
   * The active model's health against the deals closed since it was published: `snapshot()` reads the
   * stored checks (console, `/admin/model`), `check()` runs one now. Absent in test doubles.
   */
  modelHealth?: ModelHealthMonitor;
  /** Console Calibration page: `calibrate --crm X --report` as background runs, the last result kept in Redis. Absent in test doubles. */
  calibration?: CalibrationRuns;
  /** Redis answers. */
  ready(): Promise<boolean>;
  /** Starts the workers, the dispatcher, the incremental schedules and the model-change check. Idempotent. */
  startWorkers(): Promise<void>;
  /** Graceful: stops taking work, lets in-flight jobs finish (or hands them back), closes connectors and Redis. */
  close(): Promise<void>;
}
