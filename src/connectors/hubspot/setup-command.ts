/**
 * `icp-sync setup hubspot [--dry-run] [--check] [--remove] [--model PATH]`: creates the `icp_sync` group and
 * the output properties, adds missing tier/tag options (never removes any), creates and updates the ICP
 * active lists (`views` in the mappings), checks the token's scopes. Running it twice changes nothing the
 * second time and says so. `--check` shows missing scopes and missing or outdated lists; `--remove`
 * deletes every list, property and group icp-sync created, and nothing else.
 *
 * Rate limits: the run shares the workers' Redis limiter when Redis answers. When it does not, setup
 * goes on with an in-process limiter — a handful of calls, far under any HubSpot budget — and says so.
 */
import { config as loadDotenv } from 'dotenv';
import { Redis } from 'ioredis';
import { CliError, type CliContext } from '../../cli/context.ts';
import { parseEnv, type Env } from '../../config/env.ts';
import { loadModel } from '../../config/model-loader.ts';
import { createLogger, type Logger } from '../../logging.ts';
import { loadMappings } from '../../mappings/load.ts';
import type { OutputKey, SetupSpec } from '../port.ts';
import { setupSpecOf } from '../setup-spec.ts';
import { DEFAULT_VIEWS } from '../../mappings/views.ts';
import { createHubSpotConnector, createHubSpotConnectorWith, limiterKeyFor, memoryLimiters, tierMapOf, type HubSpotConnector } from './connector.ts';
import { createDailyBudget } from './daily-budget.ts';
import { listRegistryKey, memoryListRegistry, redisListRegistry, type ListRegistry } from './list-registry.ts';

export { syncHubSpotOptions, type OptionSyncOptions, type OptionSyncResult } from './option-sync.ts';

const REDIS_WAIT_MS = 2000;

async function connectRedis(env: Env): Promise<Redis | undefined> {
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    connectTimeout: REDIS_WAIT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => {
    // Reported once below; setup goes on without Redis.
  });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

type Names = Partial<Record<OutputKey, string>>;

function buildConnector(env: Env, redis: Redis | undefined, logger: Logger, names: Names, contactNames: Names): HubSpotConnector {
  if (redis) return createHubSpotConnector({ env, redis, logger, outputFieldNames: names, contactOutputFieldNames: contactNames });
  return createHubSpotConnectorWith({
    env,
    logger,
    outputFieldNames: names,
    contactOutputFieldNames: contactNames,
    limiters: memoryLimiters(env),
    daily: createDailyBudget(env.HUBSPOT_DAILY_RESERVE_PERCENT / 100, undefined, 'local'),
  });
}

/** Lists icp-sync created, remembered in Redis per portal (`HUBSPOT_PORTAL_ID`, else per token). */
function listRegistryOf(env: Env, redis: Redis | undefined, token: string): ListRegistry {
  if (!redis) return memoryListRegistry();
  return redisListRegistry(redis, listRegistryKey(env.REDIS_PREFIX, env.HUBSPOT_PORTAL_ID ?? limiterKeyFor(token)));
}

export async function runSetupCommand(options: { dryRun: boolean; check: boolean; remove?: boolean; model?: string }, ctx: CliContext): Promise<number> {
  loadDotenv({ quiet: true });
  const env = parseEnv(process.env);
  if (!env.HUBSPOT_ACCESS_TOKEN) {
    throw new CliError(
      'HUBSPOT_ACCESS_TOKEN is not set: deploy the app in integrations/hubspot (or create a service key) with the scopes in docs/hubspot.md, and put its access token in .env',
      2,
    );
  }
  const out = (s: string) => ctx.stdout.write(`${s}\n`);
  const err = (s: string) => ctx.stderr.write(`${s}\n`);
  const logger = createLogger({ level: env.LOG_LEVEL === 'info' ? 'error' : env.LOG_LEVEL, destination: ctx.stderr });
  const mappings = await loadMappings(env.ICP_MAPPINGS_PATH === 'config/mappings.yaml' ? {} : { path: env.ICP_MAPPINGS_PATH, required: true });
  const names = mappings.hubspot['companies']?.outputs ?? {};
  const contactNames = mappings.hubspot['contacts']?.outputs ?? {};
  const tierMap = tierMapOf(env);

  const redis = await connectRedis(env);
  if (!redis) err('Redis does not answer (REDIS_URL): this run uses an in-process rate limiter. Fine for setup alone; avoid running it during a large backfill.');
  const connector = buildConnector(env, redis, logger, names, contactNames);
  const where = `${env.HUBSPOT_BASE_URL ?? ''}, API ${env.HUBSPOT_API_VERSION}`;
  try {
    const registry = listRegistryOf(env, redis, env.HUBSPOT_ACCESS_TOKEN);
    const views = mappings.views ?? DEFAULT_VIEWS;
    if (options.remove) {
      out(`HubSpot remove${options.dryRun ? ' (dry run: nothing is changed)' : ''} (${where}): every list, property and property group icp-sync created`);
      const report = await connector.remove(registry, { dryRun: options.dryRun });
      for (const line of report.changed) out(`  - ${line}`);
      for (const line of report.unchanged) out(`  = ${line}`);
      for (const line of report.problems) err(`  ! ${line}`);
      if (report.problems.length > 0) {
        err(`Remove is incomplete: ${report.problems.length} problem(s) to fix in HubSpot, then run it again.`);
        return 1;
      }
      if (report.changed.length === 0) out('Nothing to remove: HubSpot holds nothing icp-sync created.');
      else out(`${options.dryRun ? 'Dry run' : 'Done'}: ${report.changed.length} item(s) ${options.dryRun ? 'would be removed' : 'removed'}.`);
      return 0;
    }
    if (options.check) {
      out(`Checking the HubSpot token and lists (${where})`);
      // A check that cannot verify fails: one real read proves the token works and HubSpot answers
      // (scope introspection alone says nothing for an invalid token or an unreachable HubSpot).
      try {
        await connector.readByIds('companies', ['1'], []);
      } catch (e) {
        err(`  FAIL cannot verify the token: ${e instanceof Error ? e.message : String(e)}`);
        return 1;
      }
      // A model that cannot be read is checked by the setup run itself: then only the company scopes.
      const loaded = await loadModel(options.model).catch(() => undefined);
      const model = loaded?.model;
      const wanted = model ? connector.planLists(model, views) : [];
      const problems = await connector.checkScopes({ people: model?.roles !== undefined, lists: wanted.length > 0 });
      for (const p of problems) out(`  FIX ${p}`);
      if (problems.length === 0) out('  ok  the token works and has every scope icp-sync needs (or its scopes cannot be read: service key)');
      if (problems.length > 0) return 1;
      if (!loaded) return 0;
      // What exists, what is missing, what the model no longer needs: shown, not judged — the exit code
      // says whether the token can run setup.
      const spec: SetupSpec = { ...setupSpecOf(loaded.scorer), ...(tierMap ? { builtinTierMap: tierMap } : {}) };
      const fields = await connector.setup(spec, { dryRun: true });
      const lists = await connector.syncLists(wanted, registry, { dryRun: true });
      for (const line of [...fields.changed, ...lists.changed]) out(`  todo ${line.replace(/^would /, '')} (run setup hubspot)`);
      for (const line of [...fields.problems.filter((p) => !p.startsWith('the token lacks')), ...lists.problems]) out(`  todo ${line}`);
      for (const line of await connector.unneededProperties(spec)) out(`  note ${line}`);
      for (const line of [...fields.unchanged.filter((l) => !l.startsWith('token ')), ...lists.unchanged]) out(`  ok  ${line}`);
      return 0;
    }
    const { scorer, path } = await loadModel(options.model);
    // With roles, the contact properties and the companies' committee properties too.
    const spec: SetupSpec = { ...setupSpecOf(scorer), ...(tierMap ? { builtinTierMap: tierMap } : {}) };
    out(`HubSpot setup${options.dryRun ? ' (dry run: nothing is changed)' : ''} (${where}), model ${path} version ${scorer.model.version}`);
    const report = await connector.setup(spec, { dryRun: options.dryRun });
    // Lists filter on the properties: in a real run they exist by now; a dry run plans both.
    const lists = await connector.syncLists(connector.planLists(scorer.model, views), registry, { dryRun: options.dryRun });
    report.changed.push(...lists.changed);
    report.unchanged.push(...lists.unchanged);
    report.problems.push(...lists.problems);
    for (const line of report.changed) out(`  + ${line}`);
    for (const line of report.unchanged) out(`  = ${line}`);
    for (const line of report.problems) err(`  ! ${line}`);
    if (report.problems.length > 0) {
      err(`Setup is incomplete: ${report.problems.length} problem(s) to fix in HubSpot, then run it again.`);
      return 1;
    }
    if (report.changed.length === 0) out('Nothing to change: HubSpot already has every ICP property, option and list.');
    else if (options.dryRun) out(`Dry run: ${report.changed.length} change(s) would be made.`);
    else out(`Done: ${report.changed.length} change(s) made.`);
    return 0;
  } finally {
    await connector.close();
    if (redis) await redis.quit();
  }
}
