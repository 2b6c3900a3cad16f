/**
 * The Salesforce adapter of the `CrmConnector` port: Accounts (and Leads when `SALESFORCE_OBJECTS` has them),
 * and Contacts as people (synced by the runtime only when the model has roles).
 * Reads by id through collection retrieve (up to 2,000 ids per call, but a reported read batch of 200 so that
 * jobs stay small), listings through query/queryMore, live writes through sObject Collections (200 per call)
 * and large backfill writes through Bulk API 2.0. Every call goes through `SalesforceClient`.
 */
import { namesNow, rebuiltOnChange, type OutputNamesSource } from '../output-names.ts';
import type { Redis } from 'ioredis';
import type { Env } from '../../config/env.ts';
import { CrmValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type {
  CrmConnector,
  CrmRecord,
  FieldValue,
  IncrementalPage,
  OutputField,
  OutputKey,
  OutputValues,
  Page,
  RecordChange,
  RecordMatch,
  SetupReport,
  SetupSpec,
  WriteOptions,
  WriteOutcome,
} from '../port.ts';
import { createSalesforceSession, type SalesforceSession } from './auth.ts';
import { writeWithBulk, type BulkWriteOptions } from './bulk-ingest.ts';
import { SalesforceClient, type CallGate, type UsageStore } from './client.ts';
import { FieldCatalog } from './field-catalog.ts';
import { listDeletedSince, type DeletedSince } from './deleted.ts';
import { COLLECTION_WRITE_MAX, REPORTED_READ_BATCH } from './limits.ts';
import { runMetadataSetup } from './metadata-setup.ts';
import { CONTACT_OBJECT } from './contact-roles.ts';
import { encodeOutputValue, objectOutputFields } from './output-fields.ts';
import { searchByName } from './name-search.ts';
import { SalesforceReader } from './reads.ts';
import { createRedisGate, createRedisUsageStore } from './shared-state.ts';
import { writeWithCollections, type CollectionWriteOptions } from './writes.ts';

export interface SalesforceConnectorOptions {
  env: Env;
  /** Shared with the rest of the process (not closed by the connector). */
  redis: Redis;
  logger: Logger;
  /** Overrides of the output field API names (default `ICP_Fit_Score__c`… from PRODUCT.md §3). */
  outputFieldNames?: OutputNamesSource;
  /**
   * Overrides per object (`Contact`, `Lead`…; the mappings' `outputs:` of each object), applied over
   * `outputFieldNames`, so that setup creates the names the pipeline writes. A getter follows mapping changes.
   */
  objectOutputFieldNames?: OutputNamesSource<Readonly<Record<string, Partial<Record<OutputKey, string>> | undefined>>>;
}

/** Knobs for tests and benchmarks; production uses the defaults of `limits.ts` and the env. */
export interface SalesforceConnectorTuning {
  session?: SalesforceSession;
  gate?: CallGate;
  usage?: UsageStore;
  retry?: { attempts: number; baseMs: number; maxMs: number };
  collections?: CollectionWriteOptions;
  bulk?: BulkWriteOptions;
}

export interface SalesforceConnector extends CrmConnector {
  /** Always present on this connector (see `CrmConnector.searchByName`). */
  searchByName(objectType: string, text: string, limit: number): Promise<RecordMatch[]>;
  /** Always present on this connector (see `CrmConnector.dailyUsage`). */
  dailyUsage(): Promise<{ used: number; limit: number } | undefined>;
  /** The client choke point (API call counts, daily usage). */
  readonly client: SalesforceClient;
  /**
   * Ids of `objectType` records deleted since `since` (getDeleted, whole minutes, 15 days back at most), for
   * a runtime that wants deleted Contacts forgotten before their next read: rescoring these ids reads them
   * as missing. Not part of the port: no other CRM needs it (HubSpot sends deletion events).
   */
  listDeletedSince(objectType: string, since: string): Promise<DeletedSince>;
}

export function createSalesforceConnector(opts: SalesforceConnectorOptions, tuning: SalesforceConnectorTuning = {}): SalesforceConnector {
  const { env, logger } = opts;
  const objectTypes: readonly string[] = [...env.SALESFORCE_OBJECTS];
  const personObjectTypes: readonly string[] = [CONTACT_OBJECT];
  const known = [...objectTypes, ...personObjectTypes];
  const fieldsByTypeNow = rebuiltOnChange(
    () => [namesNow(opts.outputFieldNames), namesNow(opts.objectOutputFieldNames)] as const,
    ([names, perObject]) => new Map(known.map((t) => [t, objectOutputFields(t, { ...names, ...perObject?.[t] })])),
  );
  const prefix = env.REDIS_PREFIX ?? 'icp';
  const client = new SalesforceClient({
    session: tuning.session ?? createSalesforceSession(env, logger),
    logger,
    gate: tuning.gate ?? createRedisGate(opts.redis, { prefix, maxConcurrency: env.SALESFORCE_MAX_CONCURRENCY ?? 10 }),
    usage: tuning.usage ?? createRedisUsageStore(opts.redis, prefix),
    dailyReserve: (env.SALESFORCE_DAILY_RESERVE_PERCENT ?? 10) / 100,
    ...(tuning.retry ? { retry: tuning.retry } : {}),
  });
  const catalog = new FieldCatalog(client, logger);
  const reader = new SalesforceReader(client, catalog, logger);
  const bulkThreshold = env.SALESFORCE_BULK_THRESHOLD ?? 2000;

  const checkType = (objectType: string): void => {
    if (!known.includes(objectType)) {
      throw new CrmValidationError(`Salesforce object "${objectType}" is not synced (SALESFORCE_OBJECTS=${objectTypes.join(',')}; people: ${personObjectTypes.join(',')})`, {
        crm: 'salesforce',
        vendorCode: 'INVALID_TYPE',
      });
    }
  };

  return {
    crm: 'salesforce',
    objectTypes,
    personObjectTypes,
    objectKinds: {
      ...Object.fromEntries(objectTypes.map((t) => [t, t === 'Lead' ? 'lead' : 'account'] as const)),
      ...Object.fromEntries(personObjectTypes.map((t) => [t, 'person'] as const)),
    },
    batchSize: { read: REPORTED_READ_BATCH, write: COLLECTION_WRITE_MAX },
    client,
    async dailyUsage() {
      try {
        const usage = await client.usage();
        return usage && usage.limit > 0 ? usage : undefined;
      } catch {
        // Redis away: unknown, as before any call reported it.
        return undefined;
      }
    },

    outputFields(objectType: string): readonly OutputField[] {
      checkType(objectType);
      return fieldsByTypeNow().get(objectType) ?? [];
    },

    encode(field: OutputField, values: OutputValues): FieldValue {
      return encodeOutputValue(field, values);
    },

    async readByIds(objectType: string, ids: readonly string[], readFields: readonly string[]): Promise<CrmRecord[]> {
      checkType(objectType);
      if (ids.length === 0) return [];
      return reader.readByIds(objectType, ids, readFields);
    },

    async searchByName(objectType: string, text: string, limit: number) {
      checkType(objectType);
      return searchByName(client, objectType, text, limit);
    },

    async valueLabels(objectType: string, fields: readonly string[]) {
      checkType(objectType);
      return catalog.labels(objectType, fields);
    },

    async describeFields(objectType: string) {
      checkType(objectType);
      return catalog.fields(objectType);
    },

    async listAll(objectType: string, readFields: readonly string[], cursor?: string): Promise<Page> {
      checkType(objectType);
      return reader.listAll(objectType, readFields, cursor);
    },

    async listModifiedSince(objectType: string, readFields: readonly string[], since: string, cursor?: string): Promise<IncrementalPage> {
      checkType(objectType);
      return reader.listModifiedSince(objectType, readFields, since, cursor);
    },

    async listDeletedSince(objectType: string, since: string): Promise<DeletedSince> {
      checkType(objectType);
      return listDeletedSince(client, logger, objectType, since);
    },

    async writeChanges(objectType: string, changes: readonly RecordChange[], options: WriteOptions = {}): Promise<WriteOutcome> {
      checkType(objectType);
      if (changes.length === 0) return { written: [], failed: [], calls: 0 };
      if (options.background) await client.assertDailyBudget('writeChanges');
      if (options.mode === 'bulk' && changes.length > bulkThreshold) {
        return writeWithBulk(client, logger, objectType, changes, tuning.bulk);
      }
      return writeWithCollections(client, logger, objectType, changes, tuning.collections);
    },

    async setup(spec: SetupSpec, setupOptions: { dryRun?: boolean } = {}): Promise<SetupReport> {
      try {
        return await runMetadataSetup({
          client,
          logger,
          objectTypes: spec.people ? known : objectTypes,
          outputFields: (t) => fieldsByTypeNow().get(t) ?? [],
          spec,
          dryRun: setupOptions.dryRun ?? false,
        });
      } finally {
        // Setup creates fields and grants access to them: reads must see them at once.
        catalog.forget();
      }
    },

    async close(): Promise<void> {
      // jsforce keeps no sockets open between calls (native fetch); Redis belongs to the caller.
    },
  };
}
