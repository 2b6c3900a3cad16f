/**
 * `icp-sync setup salesforce [--dry-run] [--check] [--model PATH]`: creates or updates the ICP fields on
 * Accounts (and Leads; Contacts when the model has roles), keeps tier, tag, role and priority-tier picklists in
 * line with the model, grants and assigns the permission set; `--check` only diagnoses. A single short run: it does not need Redis.
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
import { createLocalGate, createLocalUsageStore } from './shared-state.ts';

export async function runSetupCommand(options: { dryRun: boolean; check: boolean; model?: string }, ctx: CliContext): Promise<number> {
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
    if (options.check) {
      out(`Checking Salesforce (${env.SALESFORCE_LOGIN_URL ?? ''}, API ${env.SALESFORCE_API_VERSION ?? ''})`);
      // With roles in the model, the people side is checked too; a model that does not load is setup's to report.
      const people = await loadModel(options.model).then(
        ({ scorer }) => setupSpecOf(scorer),
        () => undefined,
      );
      const peopleCheck = people?.people
        ? { fields: (t: string) => objectOutputFields(t, { ...outputFieldNames, ...objectOutputFieldNames[t] }).filter((f) => neededBySpec(f, people)) }
        : undefined;
      const lines = await runSalesforceCheck(connector.client, env, connector.objectTypes, buildOutputFields(outputFieldNames), peopleCheck);
      for (const l of lines) out(`  ${l.ok ? 'ok ' : 'FIX'} ${l.text}`);
      return lines.every((l) => l.ok) ? 0 : 1;
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
      outputFields: (t) => objectOutputFields(t, { ...outputFieldNames, ...objectOutputFieldNames[t] }),
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
