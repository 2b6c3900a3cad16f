/**
 * `icp-sync setup salesforce [--dry-run] [--check] [--remove] [--model PATH]`: creates or updates the ICP
 * fields on Accounts (and Leads; Contacts when the model has roles), keeps tier, tag, role and priority-tier
 * picklists in line with the model, grants and assigns the permission set, deploys the ICP list views;
 * `--check` only diagnoses (and shows the list views: up to date, missing or outdated, and what icp-sync
 * created that the model no longer needs); `--remove` deletes every field, list view and permission set
 * icp-sync created, and nothing else. A single short run: it does not need Redis.
 */
import { config as loadDotenv } from 'dotenv';
import { Redis } from 'ioredis';
import type { CliContext } from '../../cli/context.ts';
import { parseEnv } from '../../config/env.ts';
import { loadModel } from '../../config/model-loader.ts';
import { CrmError } from '../../errors.ts';
import { createLogger } from '../../logging.ts';
import { loadMappings } from '../../mappings/load.ts';
import { DEFAULT_VIEWS, topTierNames } from '../../mappings/views.ts';
import { plannedListViews } from './list-views.ts';
import { syncListViews } from './list-views-setup.ts';
import { runSalesforceCheck } from './check.ts';
import { createSalesforceConnector } from './connector.ts';
import { neededBySpec } from './field-definitions.ts';
import { buildOutputFields, objectOutputFields } from './output-fields.ts';
import { setupSpecOf } from '../setup-spec.ts';
import type { OutputField, SetupReport } from '../port.ts';
import { REMOVABLE_OBJECTS, runSalesforceRemove, unneededByModel } from './remove.ts';
import { createLocalGate, createLocalUsageStore } from './shared-state.ts';

export async function runSetupCommand(options: { dryRun: boolean; check: boolean; remove?: boolean; model?: string }, ctx: CliContext): Promise<number> {
  loadDotenv({ quiet: true });
  const env = parseEnv(process.env);
  const logger = createLogger({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, destination: ctx.stderr });
  const mappings = await loadMappings(env.ICP_MAPPINGS_PATH === 'config/mappings.yaml' ? {} : { path: env.ICP_MAPPINGS_PATH, required: true });
  const outputFieldNames = mappings.salesforce['Account']?.outputs ?? {};
  // Each object's own names (Contact, Lead): setup creates what the pipeline writes.
  const objectOutputFieldNames = Object.fromEntries(Object.entries(mappings.salesforce).map(([t, m]) => [t, m?.outputs]));
  // Never connected: a CLI run shares nothing with workers, so the connector gets in-process coordination.
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const out = (s: string) => ctx.stdout.write(`${s}\n`);
  try {
    const connector = createSalesforceConnector(
      { env, redis, logger, outputFieldNames, objectOutputFieldNames },
      { gate: createLocalGate(), usage: createLocalUsageStore() },
    );
    const namesOf = (t: string) => ({ ...outputFieldNames, ...objectOutputFieldNames[t] });
    const where = `${env.SALESFORCE_LOGIN_URL ?? ''}, API ${env.SALESFORCE_API_VERSION ?? ''}`;
    if (options.remove) {
      out(`Salesforce remove${options.dryRun ? ' (dry run: nothing is changed)' : ''} (${where}): every field, list view and permission set icp-sync created`);
      const report = await runSalesforceRemove({
        client: connector.client,
        outputs: REMOVABLE_OBJECTS.map((t) => [t, objectOutputFields(t, namesOf(t))] as const),
        dryRun: options.dryRun,
      });
      for (const l of report.changed) out(`  - ${l}`);
      for (const l of report.unchanged) out(`  = ${l}`);
      for (const l of report.problems) ctx.stderr.write(`  ! ${l}\n`);
      if (report.problems.length > 0) {
        ctx.stderr.write(`Remove is incomplete: ${report.problems.length} problem(s) to fix in Salesforce, then run it again.\n`);
        return 1;
      }
      if (report.changed.length === 0) out('Nothing to remove: Salesforce holds nothing icp-sync created.');
      else out(`${options.dryRun ? 'Dry run' : 'Done'}: ${report.changed.length} item(s) ${options.dryRun ? 'would be removed' : 'removed'}.`);
      return 0;
    }
    if (options.check) {
      out(`Checking Salesforce (${where})`);
      // With roles in the model, the people side is checked too; a model that does not load is setup's to report.
      const loaded = await loadModel(options.model).catch(() => undefined);
      const spec = loaded ? setupSpecOf(loaded.scorer) : undefined;
      const peopleCheck = spec?.people
        ? { fields: (t: string) => objectOutputFields(t, namesOf(t)).filter((f) => neededBySpec(f, spec)) }
        : undefined;
      const lines = await runSalesforceCheck(connector.client, env, connector.objectTypes, buildOutputFields(outputFieldNames), peopleCheck);
      for (const l of lines) out(`  ${l.ok ? 'ok ' : 'FIX'} ${l.text}`);
      const ok = lines.every((l) => l.ok);
      if (!ok || !loaded || !spec) return ok ? 0 : 1;
      // The list views and what the model no longer needs: shown, not judged (the exit code says whether
      // the integration user can run setup), like the HubSpot lists.
      const planned = plannedListViews({
        views: mappings.views ?? DEFAULT_VIEWS,
        ...topTierNames(loaded.scorer.model),
        people: spec.people !== undefined,
        committee: spec.people?.committee === true,
        objectTypes: connector.objectTypes,
        outputFields: (t) => objectOutputFields(t, namesOf(t)),
      });
      const views: SetupReport = { changed: [], unchanged: [], problems: [] };
      await syncListViews(connector.client, planned, true, views);
      for (const l of views.changed) out(`  todo ${l.replace(/^would /, '')} (run setup salesforce)`);
      for (const l of views.problems) out(`  todo ${l}`);
      const synced = spec.people ? [...connector.objectTypes, 'Contact'] : connector.objectTypes;
      try {
        const unneeded = await unneededByModel(
          connector.client,
          planned.map((v) => v.fullName),
          REMOVABLE_OBJECTS.map((t) => [t, objectOutputFields(t, namesOf(t)), (f: OutputField) => synced.includes(t) && neededBySpec(f, spec)] as const),
        );
        for (const l of unneeded) out(`  note ${l}`);
      } catch (err) {
        if (!(err instanceof CrmError)) throw err;
        out(`  todo could not list what icp-sync created: ${err.message}`);
      }
      for (const l of views.unchanged) out(`  ok  ${l}`);
      return 0;
    }
    const { scorer, path } = await loadModel(options.model);
    const spec = setupSpecOf(scorer);
    const objects = spec.people ? [...connector.objectTypes, ...connector.personObjectTypes] : connector.objectTypes;
    out(`Salesforce setup${options.dryRun ? ' (dry run: nothing is changed)' : ''} for ${objects.join(', ')}, model ${path}`);
    let report;
    try {
      report = await connector.setup(spec, { dryRun: options.dryRun });
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      ctx.stderr.write(`icp-sync: ${err.message}\nRun "icp-sync setup salesforce --check" for a diagnosis.\n`);
      return 1;
    }
    // The ICP list views (`views` in the mappings), once the fields they show exist.
    const listViews = plannedListViews({
      views: mappings.views ?? DEFAULT_VIEWS,
      ...topTierNames(scorer.model),
      people: spec.people !== undefined,
      committee: spec.people?.committee === true,
      objectTypes: connector.objectTypes,
      outputFields: (t) => objectOutputFields(t, namesOf(t)),
    });
    await syncListViews(connector.client, listViews, options.dryRun, report);
    for (const l of report.changed) out(`  ${options.dryRun ? '~' : '+'} ${l}`);
    for (const l of report.unchanged) out(`  = ${l}`);
    for (const l of report.problems) out(`  ! ${l}`);
    const me = connector.client.session.identity();
    if (me && !options.dryRun) {
      out(`Outbound messages: set SALESFORCE_ORG_ID=${me.orgId} and SALESFORCE_INTEGRATION_USER_ID=${me.userId} in the environment.`);
    }
    if (report.changed.length === 0 && report.problems.length === 0) out('Nothing to change.');
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    redis.disconnect();
  }
}
