/**
 * The HubSpot connector: companies, and contacts when the model has roles, through the shared choke point (`http-client.ts`), on the
 * date-versioned CRM paths (`HUBSPOT_API_VERSION`).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Env } from '../../config/env.ts';
import { ConfigError, CrmRateLimitError, CrmValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { MemoryRateLimiter } from '../../rate-limit/memory-limiter.ts';
import { RedisRateLimiter } from '../../rate-limit/redis-limiter.ts';
import type { RateLimiter } from '../../rate-limit/limiter.ts';
import { namesNow, rebuiltOnChange, type OutputNamesSource } from '../output-names.ts';
import { COMMITTEE_OUTPUT_KEYS, type CrmConnector, type OutputField, type OutputKey, type RecordMatch, type SetupReport, type SetupSpec } from '../port.ts';
import { searchByName } from './name-search.ts';
import { writeBatches } from './batch-write.ts';
import { createDailyBudget, type DailyBudget } from './daily-budget.ts';
import { HubSpotHttpClient, type HubSpotHttpClientOptions } from './http-client.ts';
import { BATCH_SIZE, BURST_WINDOW_MARGIN_MS, BURST_WINDOW_MS, SEARCH_PER_SECOND, SEARCH_WINDOW_MARGIN_MS, SEARCH_WINDOW_MS } from './limits.ts';

const BURST_WINDOW = BURST_WINDOW_MS + BURST_WINDOW_MARGIN_MS;
const SEARCH_WINDOW = SEARCH_WINDOW_MS + SEARCH_WINDOW_MARGIN_MS;
import { untilNextDay } from './map-error.ts';
import { buildContactOutputFields, buildOutputFields, encodeOutput, parseTierMap } from './output-fields.ts';
import { OptionLabels } from './option-labels.ts';
import { hubspotPaths } from './paths.ts';
import { listAll, listModifiedSince, readByIds } from './reads.ts';
import { listProperties } from './property-list.ts';
import type { ListRegistry } from './list-registry.ts';
import { plannedLists, syncLists, type WantedList } from './lists.ts';
import { runRemove, unneededProperties } from './remove.ts';
import { LISTS_SCOPES, missingScopeProblems, PEOPLE_SCOPES, readTokenScopes, runSetup } from './setup.ts';
import type { IcpModel } from '../../domain/types.ts';
import type { ViewsConfig } from '../../mappings/views.ts';

export const OBJECT_TYPE = 'companies';
/** People: synced only when the model has roles (PRODUCT.md §2). */
export const CONTACT_OBJECT_TYPE = 'contacts';

export interface HubSpotConnectorOptions {
  env: Env;
  redis: Redis;
  logger: Logger;
  /** Output property names overriding PRODUCT.md §3's defaults (a getter follows mapping changes). */
  outputFieldNames?: OutputNamesSource;
  /**
   * Contact output property names (`mappings.hubspot.contacts.outputs`). Unset: `outputFieldNames`,
   * whose `modelVersion`/`scoredAt` names then hold for contacts too.
   */
  contactOutputFieldNames?: OutputNamesSource;
}

/** The port plus HubSpot-only checks used by `icp-sync setup hubspot --check`. */
export interface HubSpotConnector extends CrmConnector {
  /** Always present on this connector (see `CrmConnector.searchByName`). */
  searchByName(objectType: string, text: string, limit: number): Promise<RecordMatch[]>;
  /**
   * Missing scopes as problem lines (empty when all are granted or the token cannot be introspected).
   * `people`: also the contacts scopes a model with roles needs.
   */
  checkScopes(options?: { people?: boolean; lists?: boolean }): Promise<string[]>;
  /** The active lists a model needs (`views` of the mappings), filtered on this connector's property names. */
  planLists(model: IcpModel, views: ViewsConfig): WantedList[];
  /**
   * Creates missing lists, renames and refilters icp-sync's own (those in `registry`), reports the rest.
   * Idempotent; `dryRun` changes nothing (not even the registry).
   */
  syncLists(wanted: readonly WantedList[], registry: ListRegistry, options?: { dryRun?: boolean }): Promise<SetupReport>;
  /** `setup --remove`: deletes the lists in `registry`, icp-sync's properties and its empty groups, nothing else. */
  remove(registry: ListRegistry, options?: { dryRun?: boolean }): Promise<SetupReport>;
  /** For `setup --check`: icp-sync's properties the spec no longer needs (committee without required roles, contacts without roles). */
  unneededProperties(spec: SetupSpec): Promise<string[]>;
  /** The choke point, for callers that need a HubSpot call the port does not cover. */
  readonly client: HubSpotHttpClient;
}

/** Limiter key per app: a short hash of the token, never the token itself. */
export function limiterKeyFor(token: string): string {
  return `hubspot:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
}

export interface HubSpotConnectorDeps {
  env: Env;
  logger: Logger;
  limiters: { burst: RateLimiter; search: RateLimiter };
  daily: DailyBudget;
  outputFieldNames?: OutputNamesSource;
  /** See `HubSpotConnectorOptions.contactOutputFieldNames`. */
  contactOutputFieldNames?: OutputNamesSource;
  /** Overrides of retry settings (tests use short backoffs). */
  http?: Partial<Pick<HubSpotHttpClientOptions, 'maxAttempts' | 'max429Attempts' | 'baseBackoffMs' | 'maxBackoffMs' | 'timeoutMs'>>;
}

function requireToken(env: Env): string {
  if (!env.HUBSPOT_ACCESS_TOKEN) throw new ConfigError(['env: HUBSPOT_ACCESS_TOKEN: required for HubSpot (an app or service-key access token)']);
  return env.HUBSPOT_ACCESS_TOKEN;
}

export function tierMapOf(env: Env): Record<string, string> | undefined {
  try {
    return parseTierMap(env.HUBSPOT_TIER_MAP);
  } catch (err) {
    throw new ConfigError([`env: ${(err as Error).message}`]);
  }
}

/** Builds the connector from explicit parts (an in-process limiter for a CLI run without Redis, tests). */
export function createHubSpotConnectorWith(deps: HubSpotConnectorDeps): HubSpotConnector {
  const token = requireToken(deps.env);
  const paths = hubspotPaths(deps.env.HUBSPOT_API_VERSION);
  const tierMap = tierMapOf(deps.env);
  const outputsNow = rebuiltOnChange(() => [namesNow(deps.outputFieldNames)] as const, ([names]) => buildOutputFields(names, tierMap));
  const contactOutputsNow = rebuiltOnChange(
    () => [namesNow(deps.contactOutputFieldNames) ?? namesNow(deps.outputFieldNames)] as const,
    ([names]) => buildContactOutputFields(names),
  );
  const client = new HubSpotHttpClient({
    baseUrl: deps.env.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com',
    accessToken: token,
    limiters: deps.limiters,
    limiterKey: limiterKeyFor(token),
    daily: deps.daily,
    logger: deps.logger,
    ...deps.http,
  });
  const optionLabels = new OptionLabels(client, paths, deps.logger);
  const check = (objectType: string) => {
    if (objectType !== OBJECT_TYPE && objectType !== CONTACT_OBJECT_TYPE) {
      throw new CrmValidationError(`HubSpot connector syncs "${OBJECT_TYPE}" and "${CONTACT_OBJECT_TYPE}", not "${objectType}"`, {
        crm: 'hubspot',
        vendorCode: 'OBJECT_TYPE',
      });
    }
  };

  return {
    crm: 'hubspot',
    objectTypes: [OBJECT_TYPE],
    personObjectTypes: [CONTACT_OBJECT_TYPE],
    objectKinds: { [OBJECT_TYPE]: 'account', [CONTACT_OBJECT_TYPE]: 'person' },
    batchSize: { read: BATCH_SIZE, write: BATCH_SIZE },
    client,
    async dailyUsage() {
      const reading = await deps.daily.read();
      return reading ? { used: Math.max(0, reading.limit - reading.remaining), limit: reading.limit } : undefined;
    },
    outputFields(objectType: string): readonly OutputField[] {
      check(objectType);
      return objectType === CONTACT_OBJECT_TYPE ? contactOutputsNow() : outputsNow();
    },
    encode: (field, values) => encodeOutput(field, values, tierMap),
    async readByIds(objectType, ids, fields) {
      check(objectType);
      return readByIds(client, paths, objectType, ids, fields);
    },
    async listAll(objectType, fields, cursor) {
      check(objectType);
      return listAll(client, paths, objectType, fields, cursor);
    },
    async listModifiedSince(objectType, fields, since, cursor) {
      check(objectType);
      return listModifiedSince(client, paths, objectType, fields, since, cursor);
    },
    async valueLabels(objectType, fields) {
      check(objectType);
      return optionLabels.of(objectType, fields);
    },
    async describeFields(objectType) {
      check(objectType);
      return listProperties(client, paths, objectType);
    },
    async searchByName(objectType, text, limit) {
      check(objectType);
      return searchByName(client, paths, objectType, text, limit);
    },
    async writeChanges(objectType, changes, options = {}) {
      check(objectType);
      if (changes.length === 0) return { written: [], failed: [], calls: 0 };
      if (options.background) {
        const { below, reading } = await deps.daily.belowReserve();
        if (below && reading) {
          throw new CrmRateLimitError(
            `HubSpot daily budget under its ${deps.env.HUBSPOT_DAILY_RESERVE_PERCENT}% reserve (${reading.remaining}/${reading.limit} left): background writes wait for the reset`,
            { crm: 'hubspot', vendorCode: 'DAILY_RESERVE', daily: true, retryAfterMs: untilNextDay() },
          );
        }
      }
      return writeBatches(client, paths, objectType, changes);
    },
    async setup(spec: SetupSpec, options = {}): Promise<SetupReport> {
      const full: SetupSpec = tierMap && !spec.builtinTierMap ? { ...spec, builtinTierMap: tierMap } : spec;
      return runSetup({ client, paths, accessToken: token, objectType: OBJECT_TYPE, outputs: outputsNow(), contactOutputs: contactOutputsNow() }, full, options.dryRun ?? false);
    },
    async checkScopes(options = {}) {
      return missingScopeProblems(await readTokenScopes(client, token), { ...(options.people ? PEOPLE_SCOPES : {}), ...(options.lists ? LISTS_SCOPES : {}) });
    },
    planLists(model, views) {
      const name = (fields: readonly OutputField[], key: OutputKey) => fields.find((f) => f.key === key)?.name ?? key;
      const outputs = outputsNow();
      const contactOutputs = contactOutputsNow();
      return plannedLists(model, views, {
        tier: name(outputs, 'tier'),
        committeeCoverage: name(outputs, 'committeeCoverage'),
        priorityTier: name(contactOutputs, 'priorityTier'),
      });
    },
    async syncLists(wanted, registry, options = {}) {
      const report: SetupReport = { changed: [], unchanged: [], problems: [] };
      await syncLists({ client, paths, registry }, wanted, options.dryRun ?? false, report);
      return report;
    },
    async unneededProperties(spec) {
      const committee = spec.people?.committee === true;
      const outputs = outputsNow();
      const contactOutputs = contactOutputsNow();
      return unneededProperties({ client, paths }, [
        [OBJECT_TYPE, outputs, (f) => committee || !COMMITTEE_OUTPUT_KEYS.includes(f.key)],
        // Contacts share modelVersion/scoredAt names with companies but are their own properties.
        [CONTACT_OBJECT_TYPE, contactOutputs, () => spec.people !== undefined],
      ]);
    },
    async remove(registry, options = {}) {
      return runRemove({ client, paths, registry, outputs: [[OBJECT_TYPE, outputsNow()], [CONTACT_OBJECT_TYPE, contactOutputsNow()]] }, options.dryRun ?? false);
    },
    async close() {
      // Sockets belong to fetch's global dispatcher and Redis to the caller: nothing to release here.
    },
  };
}

/**
 * The HubSpot connector used by workers, the HTTP app and the CLI. Rate limits are shared by every
 * process through `redis` (`HUBSPOT_RATE_LIMIT_PER_10S` per 10 s, and 5 searches per second).
 * `redis` is shared, not owned: `close()` leaves it open.
 */
export function createHubSpotConnector(opts: HubSpotConnectorOptions): HubSpotConnector {
  const prefix = opts.env.REDIS_PREFIX;
  return createHubSpotConnectorWith({
    env: opts.env,
    logger: opts.logger,
    outputFieldNames: opts.outputFieldNames,
    ...(opts.contactOutputFieldNames ? { contactOutputFieldNames: opts.contactOutputFieldNames } : {}),
    limiters: {
      burst: new RedisRateLimiter(opts.redis, { prefix, limit: opts.env.HUBSPOT_RATE_LIMIT_PER_10S, windowMs: BURST_WINDOW }),
      search: new RedisRateLimiter(opts.redis, { prefix, limit: SEARCH_PER_SECOND, windowMs: SEARCH_WINDOW }),
    },
    daily: createDailyBudget(opts.env.HUBSPOT_DAILY_RESERVE_PERCENT / 100, opts.redis, `${prefix}:hubspot:daily`),
  });
}

/** In-process limiters: for one short CLI run when Redis is unreachable. */
export function memoryLimiters(env: Env): { burst: RateLimiter; search: RateLimiter } {
  return {
    burst: new MemoryRateLimiter({ limit: env.HUBSPOT_RATE_LIMIT_PER_10S, windowMs: BURST_WINDOW }),
    search: new MemoryRateLimiter({ limit: SEARCH_PER_SECOND, windowMs: SEARCH_WINDOW }),
  };
}
