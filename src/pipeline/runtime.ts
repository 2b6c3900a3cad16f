/**
 * Assembles the pipeline for one process: Redis connections, connectors, queues, producer,
 * dispatcher, workers and schedules. `start` and `work` create it with workers; `serve`, the admin
 * routes and the one-shot CLI commands without.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Env } from '../config/env.ts';
import { loadModel, resolveModelPath } from '../config/model-loader.ts';
import type { CrmConnector } from '../connectors/port.ts';
import type { Scorer } from '../domain/scorer.ts';
import { createModelStore } from '../model-store/store.ts';
import type { LoadedModel, ModelWatcher } from '../model-store/model-watcher.ts';
import { startProcessModel, staticProcessModel } from '../model-store/process-model.ts';
import type { ModelStore } from '../model-store/types.ts';
import { createModelPreview } from '../preview/model-preview.ts';
import { createSampleCache } from '../preview/sample-cache.ts';
import { createDealCache } from '../preview/deal-cache.ts';
import { closedDealReader } from '../calibration/deal-source.ts';
import { createCalibrationRuns } from '../calibration/calibration-runs.ts';
import type { Enricher } from '../enrichment/port.ts';
import { ConfigError, type CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { inputFields } from '../mappings/apply.ts';
import { readMappingsFile } from '../mappings/load.ts';
import { createMappingStore } from '../mapping-store/store.ts';
import { staticMappings, type MappingsWatcher } from '../mapping-store/mapping-watcher.ts';
import { startProcessMappings } from '../mapping-store/process-mappings.ts';
import type { MappingStore } from '../mapping-store/types.ts';
import type { CrmFieldInfo } from '../connectors/port.ts';
import { syncMappingsRevision } from './mapping-sync.ts';
import type { Mappings } from '../mappings/types.ts';
import { setModelHealthSource, setQueueDepthSource, QUEUE_STATES } from '../observability/metrics.ts';
import { createRuntimeModelHealth, healthReading } from './model-health-wiring.ts';
import { createBackfills } from './backfill.ts';
import { createBulkStage } from './bulk-stage.ts';
import { RecordNotFoundError } from '../errors.ts';
import { createPeopleLookups, type PeopleOptions } from './people.ts';
import { createPeopleStore } from './people-store.ts';
import { objectTypeOfId, recordIdKey } from './record-ids.ts';
import { batchQueueName, LISTINGS_QUEUE } from './batch-job.ts';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import { explainRecord } from './explain.ts';
import { createFailedSet } from './failed-set.ts';
import { JOB_BACKOFF } from './job-errors.ts';
import { jobSigningSecret } from './job-signature.ts';
import { pipelineKeys } from './keys.ts';
import { syncModelVersion } from './model-sync.ts';
import { objectPipeline, type ObjectPipeline } from './object-pipeline.ts';
import { createRescoreProducer } from './producer.ts';
import { crmOnlyEnricher, type ScoringContext } from './score-records.ts';
import type { PipelineServices } from './services.ts';
import type { PipelineStatus, Runtime } from './runtime-types.ts';
import { startWorkerPool, type WorkerPool } from './worker-pool.ts';
import { buildConnectors, buildEnricher } from './wiring.ts';

export type { Runtime } from './runtime-types.ts';

export interface RuntimeOptions {
  env: Env;
  logger: Logger;
  /** Start the workers now (as `start` and `work` do). Default false. */
  workers?: boolean;
  /** Connectors to use instead of those built from the environment (the demo, tests, benchmarks). */
  connectors?: ReadonlyMap<CrmName, CrmConnector>;
  /**
   * Scorer to use instead of loading `ICP_MODEL_PATH` and following the model history: used as is,
   * never reloaded (tests, benchmarks). `models` still reads and writes the history.
   */
  scorer?: Scorer;
  /** How often the model history's head is polled besides its pub/sub message, ms (default 5000). */
  modelPollMs?: number;
  /** Mappings to use instead of loading `ICP_MAPPINGS_PATH` and following the mappings history: used as is, never reloaded. */
  mappings?: Mappings;
  /** How often the mappings history's head is polled besides its pub/sub message, ms (default 5000). */
  mappingsPollMs?: number;
  enricher?: Enricher;
  /** Dispatcher poll period, ms (default 200). */
  dispatchPollMs?: number;
}

const DEFAULT_MAPPINGS_PATH = 'config/mappings.yaml';
const DEFAULT_MODEL_PATH = 'config/icp.yaml';
/** How long a CRM's field listing is reused by the Mappings page, ms. */
const FIELD_LISTING_TTL_MS = 5 * 60_000;

/** The CRM field of a record's display name, read into preview samples beside the mapped fields. */
function sampleNameFields(objectType: string): string[] {
  const f = ({ companies: 'name', Account: 'Name', Lead: 'Company' } as Record<string, string | undefined>)[objectType];
  return f === undefined ? [] : [f];
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, logger } = opts;
  const mappingsFile =
    opts.mappings === undefined ? await readMappingsFile({ path: env.ICP_MAPPINGS_PATH, required: env.ICP_MAPPINGS_PATH !== DEFAULT_MAPPINGS_PATH }) : undefined;
  // The file is read and validated before any connection opens: a bad model fails fast.
  const file =
    opts.scorer === undefined ? await loadModel(resolveModelPath(env.ICP_MODEL_PATH === DEFAULT_MODEL_PATH ? undefined : env.ICP_MODEL_PATH, {})) : undefined;
  const keys = pipelineKeys(env.REDIS_PREFIX);

  // BullMQ needs `maxRetriesPerRequest: null` (blocking commands); the producer's own connection
  // fails fast instead, so that webhooks answer 503 at once while Redis is away.
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const fastRedis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  for (const [name, conn] of [['main', redis], ['producer', fastRedis]] as const) {
    conn.on('error', (err: Error) => logger.debug({ connection: name, err: err.message }, 'redis connection error'));
  }

  // The model: the newest entry of the shared history, swapped between batches when it moves.
  const store = createModelStore({ redis, prefix: env.REDIS_PREFIX });
  const models: ModelWatcher =
    file === undefined
      ? staticProcessModel(opts.scorer as Scorer)
      : await startProcessModel({
          store,
          channel: store.keys.channel,
          subscriber: redis.duplicate({ lazyConnect: false }),
          logger,
          file: { text: file.text, path: file.path, scorer: file.scorer },
          ...(opts.modelPollMs === undefined ? {} : { pollMs: opts.modelPollMs }),
        });
  // The field mappings: the newest entry of their history, swapped between batches when it moves.
  const mappingStore = createMappingStore({ redis, prefix: env.REDIS_PREFIX });
  const mappingsWatcher: MappingsWatcher =
    mappingsFile === undefined
      ? staticMappings(opts.mappings as Mappings)
      : await startProcessMappings({
          store: mappingStore,
          channel: mappingStore.keys.channel,
          subscriber: redis.duplicate({ lazyConnect: false }),
          logger,
          file: mappingsFile,
          ...(opts.mappingsPollMs === undefined ? {} : { pollMs: opts.mappingsPollMs }),
        });
  const currentMappings = (): Mappings => mappingsWatcher.current().mappings;
  const initialModel = models.current();
  const scorer = initialModel.scorer;

  let connectors: ReadonlyMap<CrmName, CrmConnector>;
  let enricher: Enricher;
  try {
    connectors = opts.connectors ?? (await buildConnectors(env, redis, logger, currentMappings));
    enricher = opts.enricher ?? (env.ENRICHMENT_PROVIDERS.length === 0 ? crmOnlyEnricher : await buildEnricher(env, redis, logger));
  } catch (err) {
    // A bad CRM or provider configuration must not leave sockets open (the process would hang).
    await models.close();
    await mappingsWatcher.close();
    redis.disconnect();
    fastRedis.disconnect();
    throw err;
  }
  if (connectors.size === 0) logger.warn('no CRM configured (set HUBSPOT_ACCESS_TOKEN or Salesforce credentials)');

  /** The object types synced: accounts and leads, and people when the active model has roles. */
  const objectTypes = (crm: CrmName): readonly string[] => {
    const c = connectors.get(crm);
    if (!c) return [];
    return models.current().roles === null ? c.objectTypes : [...c.objectTypes, ...c.personObjectTypes];
  };

  if (env.ENRICHMENT_PROVIDERS.length === 0) {
    for (const [crm, c] of connectors) {
      for (const objectType of c.objectTypes) {
        const mapped = currentMappings()[crm][objectType]?.attributes ?? {};
        const unmapped = [...new Set([...scorer.model.criteria, ...scorer.model.exclusions].map((x) => x.attribute))].filter((a) => !(a in mapped));
        if (unmapped.length > 0) {
          logger.warn({ crm, objectType, attributes: unmapped }, 'model attributes with no field mapping and no enrichment provider: they will always be missing');
        }
      }
    }
  }

  const queueOpts = {
    connection: redis,
    prefix: keys.bullPrefix,
    defaultJobOptions: {
      attempts: env.JOB_ATTEMPTS,
      backoff: JOB_BACKOFF,
      // Completed jobs stay an hour so that a re-queued claim or page finds its id and is dropped.
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    },
  };
  const batchQueues = new Map<CrmName, Queue>();
  for (const crm of connectors.keys()) batchQueues.set(crm, new Queue(batchQueueName(crm), queueOpts));
  const listings = new Queue(LISTINGS_QUEUE, queueOpts);
  const allQueues = (): Queue[] => [...batchQueues.values(), listings];
  // Without a listener a lost Redis connection surfaces as an unhandled 'error' event.
  for (const q of allQueues()) q.on('error', (err: Error) => logger.warn({ queue: q.name, err: err.message }, 'queue connection error'));

  const producer = createRescoreProducer({ redis: fastRedis, keys, debounceMs: env.SYNC_DEBOUNCE_MS });
  const backfills = createBackfills({ redis, keys, listings, objectTypes });
  const failed = createFailedSet({ redis, keys, queues: allQueues, producer });

  // Per mappings object: a save builds new pipelines; a batch under way keeps the one it took.
  let pipelines = new Map<string, ObjectPipeline>();
  let pipelinesOf: Mappings | undefined;
  function connectorOf(crm: CrmName): CrmConnector {
    const c = connectors.get(crm);
    if (!c) throw new ConfigError([`env: ${crm} is not configured`]);
    return c;
  }
  function objectTypeOf(crm: CrmName, objectType: string | undefined): string {
    const synced = (connectorOf(crm), objectTypes(crm));
    const t = objectType ?? synced[0];
    if (t === undefined || !synced.includes(t)) {
      throw new ConfigError([`${crm}: object type "${objectType ?? ''}" is not synced (expected one of ${synced.join(', ')})`]);
    }
    return t;
  }
  /** What the model asks of one pipeline (person and committee fields), from the active model's roles. */
  function pipelineFor(model: LoadedModel, crm: CrmName, objectType: string): ObjectPipeline {
    const roles = model.roles;
    const peopleOptions = { roles: roles !== null, committee: (roles?.requiredRoles.length ?? 0) > 0 };
    const key = `${crm}:${objectType}:${peopleOptions.roles ? 'r' : ''}${peopleOptions.committee ? 'c' : ''}`;
    const mappings = currentMappings();
    if (pipelinesOf !== mappings) {
      pipelines = new Map();
      pipelinesOf = mappings;
    }
    let p = pipelines.get(key);
    if (!p) {
      p = objectPipeline(connectorOf(crm), mappings, objectTypeOf(crm, objectType), peopleOptions);
      pipelines.set(key, p);
    }
    return p;
  }
  const pipeline = (crm: CrmName, objectType: string): ObjectPipeline => pipelineFor(models.current(), crm, objectType);

  const peopleStore = createPeopleStore(redis, keys);
  /**
   * Everything that depends on the model, built once per model: a batch takes `scoring` once and
   * keeps it to its end (its people lookups score unknown accounts with the same model).
   */
  interface ModelContext {
    loaded: LoadedModel;
    scoring: ScoringContext;
    people: PeopleOptions | undefined;
  }
  function modelContext(loaded: LoadedModel): ModelContext {
    const roles = loaded.roles;
    const people: PeopleOptions | undefined =
      roles === null
        ? undefined
        : {
            roles,
            store: peopleStore,
            accountPipeline(crm) {
              const c = connectors.get(crm);
              const t = c?.objectTypes.find((x) => c.objectKinds[x] === 'account');
              return t === undefined ? undefined : pipelineFor(loaded, crm, t);
            },
            personType: (crm) => connectors.get(crm)?.personObjectTypes.find((t) => objectTypes(crm).includes(t)),
          };
    const baseScoring = { scorer: loaded.scorer, enricher };
    const scoring: ScoringContext =
      people === undefined
        ? baseScoring
        : { ...baseScoring, roles, people: createPeopleLookups(people, () => baseScoring), fillCrmRole: env.HUBSPOT_FILL_BUYING_ROLE };
    return { loaded, scoring, people };
  }
  let modelCtx = modelContext(initialModel);
  const currentContext = (): ModelContext => {
    const loaded = models.current();
    if (modelCtx.loaded !== loaded) modelCtx = modelContext(loaded);
    return modelCtx;
  };

  /** The synced types an id may belong to: Salesforce tells by its key prefix; else every synced type. */
  function candidateTypes(crm: CrmName, id: string): readonly string[] {
    const synced = objectTypes(crm);
    const guess = crm === 'salesforce' ? objectTypeOfId(id) : undefined;
    return guess !== undefined && synced.includes(guess) ? [guess] : synced;
  }

  // Read at the first batch that needs it (workers only run with Redis up); a failure is retried.
  let secret: Promise<string> | undefined;
  const jobSecret = (): Promise<string> => {
    secret ??= jobSigningSecret(redis, keys.jobSecret).catch((err: unknown) => {
      secret = undefined;
      throw err;
    });
    return secret;
  };
  const services: PipelineServices = {
    env,
    logger,
    redis,
    keys,
    connectors,
    objectTypes,
    pipeline,
    get scoring() {
      return currentContext().scoring;
    },
    get people() {
      return currentContext().people;
    },
    batchQueue: (crm) => {
      const q = batchQueues.get(crm);
      if (!q) throw new ConfigError([`env: ${crm} is not configured`]);
      return q;
    },
    listings,
    producer,
    failed,
    backfills,
    bulkStage: createBulkStage(redis, keys),
    jobSecret,
  };

  setQueueDepthSource(async () => {
    const out = [];
    for (const q of allQueues()) {
      const counts = await q.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) out.push({ queue: q.name, state, count: counts[state] ?? 0 });
    }
    return out;
  });

  // Model health (issue 11): checked on a schedule by worker processes, read by every process.
  const modelHealth = createRuntimeModelHealth({
    env,
    redis,
    logger,
    connectors,
    mappings: currentMappings,
    current: () => {
      const m = models.current();
      return { scorer: m.scorer, ...(m.entry === undefined ? {} : { publishedAt: m.entry.publishedAt }) };
    },
  });
  setModelHealthSource(async () => healthReading(await modelHealth.snapshot()));

  let pool: WorkerPool | undefined;
  let closed = false;
  let dispatcher: Dispatcher | undefined;

  /** The model-change work (CRM options, backfill) of this model, done once per history entry across processes. */
  async function syncModel(model: LoadedModel): Promise<void> {
    for (const connector of connectors.values()) {
      const revision = model.entry === undefined ? undefined : { revision: model.entry.revision, key: store.keys.syncedRevision(connector.crm) };
      await syncModelVersion(connector, { redis, keys, scorer: model.scorer, backfills, logger, auto: env.AUTO_BACKFILL_ON_MODEL_CHANGE, ...(revision ? { revision } : {}) });
    }
  }
  models.onChange(async (next) => {
    // Only processes with workers do the model-change work, as at start.
    if (pool && !closed) await syncModel(next);
  });

  /** The mapping-change work (output fields, backfill) of the active mappings revision, once per revision across processes. */
  async function syncMappings(): Promise<void> {
    const revision = mappingsWatcher.current().entry?.revision;
    if (revision === undefined) return;
    for (const connector of connectors.values()) {
      await syncMappingsRevision(connector, {
        redis,
        key: mappingStore.keys.syncedRevision(connector.crm),
        revision,
        scorer: models.current().scorer,
        backfills,
        logger,
        auto: env.AUTO_BACKFILL_ON_MODEL_CHANGE,
      });
    }
  }
  mappingsWatcher.onChange(async () => {
    if (pool && !closed) await syncMappings();
  });

  async function startWorkers(): Promise<void> {
    if (pool) return;
    pool = startWorkerPool(services, redis);
    dispatcher = createDispatcher({
      redis,
      keys,
      queues: batchQueues,
      batchSize: (crm) => connectors.get(crm)?.batchSize.read ?? 100,
      dailyUsage: async (crm) => connectors.get(crm)?.dailyUsage?.(),
      logger,
      ...(opts.dispatchPollMs === undefined ? {} : { pollMs: opts.dispatchPollMs }),
    });
    dispatcher.start();
    for (const crm of connectors.keys()) {
      for (const objectType of objectTypes(crm)) {
        const schedulerId = `incremental-${crm}-${objectType}`;
        if (env.INCREMENTAL_SYNC_INTERVAL_MS > 0) {
          await listings.upsertJobScheduler(schedulerId, { every: env.INCREMENTAL_SYNC_INTERVAL_MS }, { name: 'incremental', data: { crm, objectType } });
        } else {
          await listings.removeJobScheduler(schedulerId);
        }
      }
    }
    await syncModel(models.current());
    await syncMappings();
    modelHealth.start();
    logger.info({ crms: [...connectors.keys()], concurrency: env.WORKER_CONCURRENCY }, 'workers started');
  }

  async function status(): Promise<PipelineStatus> {
    const queues = await Promise.all(
      allQueues().map(async (q) => {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
        return { queue: q.name, waiting: c['waiting'] ?? 0, active: c['active'] ?? 0, delayed: c['delayed'] ?? 0, prioritized: c['prioritized'] ?? 0, failed: c['failed'] ?? 0, completed: c['completed'] ?? 0 };
      }),
    );
    const objects = [];
    const syncedModelVersion: PipelineStatus['syncedModelVersion'] = {};
    for (const crm of connectors.keys()) {
      syncedModelVersion[crm] = await redis.get(keys.modelVersion(crm));
      for (const objectType of objectTypes(crm)) {
        objects.push({ crm, objectType, pending: await redis.zcard(keys.pending(crm, objectType)), watermark: await redis.get(keys.watermark(crm, objectType)) });
      }
    }
    return { modelVersion: models.current().scorer.model.version, syncedModelVersion, queues, objects, backfills: await backfills.status() };
  }

  /** Publishes resolve once this process scores with the new entry (other processes follow within seconds). */
  const modelsApi: ModelStore = {
    ...store,
    async publish(input) {
      const entry = await store.publish(input);
      await models.refresh();
      return entry;
    },
    async rollback(revision, by) {
      const entry = await store.rollback(revision, by);
      await models.refresh();
      return entry;
    },
  };
  /** Saves resolve once this process reads with the new entry (other processes follow within seconds). */
  const mappingsApi: MappingStore = {
    ...mappingStore,
    async save(input) {
      const entry = await mappingStore.save(input);
      await mappingsWatcher.refresh();
      return entry;
    },
    async rollback(revision, by) {
      const entry = await mappingStore.rollback(revision, by);
      await mappingsWatcher.refresh();
      return entry;
    },
  };
  /** CRM field listings, kept a few minutes: the Mappings page asks on every view. */
  const fieldListings = new Map<string, { at: number; fields: Promise<CrmFieldInfo[]> }>();
  async function crmFields(crm: CrmName, objectType: string): Promise<CrmFieldInfo[]> {
    const c = connectorOf(crm);
    if (c.describeFields === undefined) return [];
    const key = `${crm}:${objectType}`;
    const cached = fieldListings.get(key);
    if (cached !== undefined && Date.now() - cached.at < FIELD_LISTING_TTL_MS) return cached.fields;
    const entry = { at: Date.now(), fields: c.describeFields(objectType) };
    fieldListings.set(key, entry);
    entry.fields.catch(() => {
      if (fieldListings.get(key) === entry) fieldListings.delete(key);
    });
    return entry.fields;
  }
  const samples = createSampleCache({
    redis,
    prefix: env.REDIS_PREFIX,
    logger,
    source(crm, objectType) {
      const p = pipeline(crm, objectType);
      return { connector: p.connector, fields: [...new Set([...p.readFields, ...sampleNameFields(objectType)])] };
    },
  });
  // Closed deals for the console (what-if deal check, Calibration page): the calibration reader over the sync's connectors.
  // `mappings` is read at each call: a getter follows mapping saves.
  const readDeals = closedDealReader({
    connectors,
    get mappings() {
      return currentMappings();
    },
    env,
    model: () => models.current().scorer.model,
  });
  const deals = createDealCache({ redis, prefix: env.REDIS_PREFIX, logger, read: readDeals });
  const calibration = createCalibrationRuns({
    redis,
    prefix: env.REDIS_PREFIX,
    logger,
    read: readDeals,
    current: () => models.current().scorer.model,
    rechallengeMonths: env.MODEL_RECHALLENGE_MONTHS,
  });
  const preview = createModelPreview({
    samples,
    deals,
    minDeals: env.MODEL_HEALTH_MIN_DEALS,
    mapping: (crm, objectType) => pipeline(crm, objectType).mapping,
    active() {
      const m = models.current();
      return { scorer: m.scorer, ...(m.entry ? { revision: m.entry.revision } : {}) };
    },
  });

  const runtime: Runtime = {
    modelHealth,
    calibration,
    producer,
    connectors,
    objectTypes,
    fields(crm, objectType) {
      const p = pipeline(crm, objectType);
      return { input: inputFields(p.mapping), output: p.outputFields };
    },
    queues: allQueues,
    startWorkers,
    async startBackfill(crm, objectType) {
      const { id } = await backfills.start(crm, objectType === undefined ? undefined : objectTypeOf(crm, objectType));
      return { id };
    },
    backfillStatus: (crm) => backfills.status(crm),
    async rescore(crm, objectType, ids) {
      const t = objectTypeOf(crm, objectType);
      // One request per record: a Salesforce id given in its 15- and its 18-character form is one record.
      const byKey = new Map<string, string>();
      for (const id of ids) if (!byKey.has(recordIdKey(crm, id))) byKey.set(recordIdKey(crm, id), id);
      const unique = [...byKey.values()];
      await producer.enqueue(unique.map((id) => ({ crm, objectType: t, id, trigger: 'rescore' as const })));
      return { queued: unique.length };
    },
    async explain(crm, objectType, id) {
      if (objectType !== undefined) return explainRecord(pipeline(crm, objectTypeOf(crm, objectType)), services.scoring, id);
      // No type given: the id tells (Salesforce key prefixes), else the first synced type that has it.
      const types = candidateTypes(crm, id);
      for (const t of types) {
        try {
          return await explainRecord(pipeline(crm, t), services.scoring, id);
        } catch (err) {
          if (!(err instanceof RecordNotFoundError) || t === types.at(-1)) throw err;
        }
      }
      throw new RecordNotFoundError(crm, objectTypeOf(crm, undefined), id);
    },
    failed: { list: (o) => failed.list(o), retry: (ids) => failed.retry(ids) },
    status,
    models: modelsApi,
    mappings: mappingsApi,
    activeMappings() {
      const m = mappingsWatcher.current();
      return { mappings: m.mappings, ...(m.entry === undefined ? {} : { entry: m.entry }) };
    },
    crmFields,
    activeModel() {
      const m = models.current();
      return { version: m.scorer.model.version, ...(m.entry ? { revision: m.entry.revision, entry: m.entry } : {}), model: m.scorer.model };
    },
    preview: { samples, deals, preview: (req) => preview.preview(req), coverage: (crm, t) => preview.coverage(crm, t), previewMappings: (req) => preview.previewMappings(req) },
    async ready() {
      if (fastRedis.status !== 'ready') return false;
      try {
        return (await fastRedis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      setQueueDepthSource(undefined);
      setModelHealthSource(undefined);
      await modelHealth.stop();
      await dispatcher?.stop();
      await pool?.close();
      await models.close();
      await mappingsWatcher.close();
      await Promise.all(allQueues().map((q) => q.close()));
      await Promise.all([...connectors.values()].map((c) => c.close()));
      await Promise.allSettled([redis.quit(), fastRedis.quit()]);
    },
  };
  if (opts.workers === true) await startWorkers();
  return runtime;
}
