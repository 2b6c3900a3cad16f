/**
 * Keeps `icp_tier`/`icp_tags` options — and, with roles, the role and priority-tier options on
 * contacts — (and the properties themselves) in line with the model at start, so that a write never fails on an unknown option. Runs `setup` only when the model's tiers,
 * tags or the output names changed since the last successful run (a fingerprint in Redis), so a
 * fleet of workers starting together costs HubSpot a few calls once, not per process.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logging.ts';
import type { CrmConnector, SetupReport, SetupSpec } from '../port.ts';

export interface OptionSyncOptions {
  connector: CrmConnector;
  redis: Redis;
  /** REDIS_PREFIX. The fingerprint lives at `{prefix}:hubspot:setup-fingerprint`. */
  prefix: string;
  spec: SetupSpec;
  logger: Logger;
}

export type OptionSyncResult = { ran: false } | { ran: true; report: SetupReport };

export function specFingerprint(spec: SetupSpec, outputNames: readonly string[]): string {
  const canonical = JSON.stringify({
    tiers: [...spec.tiers].sort(),
    tags: [...spec.tags].sort(),
    map: Object.entries(spec.builtinTierMap ?? {}).sort(),
    outputs: [...outputNames].sort(),
    // Absent without roles, so a model without roles keeps the fingerprint it always had.
    ...(spec.people ? { people: { roles: spec.people.roles.map((r) => [r.id, r.label]), priorityTiers: [...spec.people.priorityTiers], committee: spec.people.committee } } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Runs setup when the fingerprint changed. A report with problems is logged and not remembered,
 * so the next start tries again.
 */
export async function syncHubSpotOptions(o: OptionSyncOptions): Promise<OptionSyncResult> {
  const types = o.spec.people ? ['companies', 'contacts'] : ['companies'];
  const names = types.flatMap((t) => o.connector.outputFields(t).map((f) => `${t}.${f.name}`));
  const fingerprint = specFingerprint(o.spec, names);
  const key = `${o.prefix}:hubspot:setup-fingerprint`;
  if ((await o.redis.get(key)) === fingerprint) return { ran: false };
  const report = await o.connector.setup(o.spec);
  if (report.problems.length > 0) {
    o.logger.error({ problems: report.problems }, 'HubSpot options could not be brought in line with the model; run `icp-sync setup hubspot`');
  } else {
    await o.redis.set(key, fingerprint);
    if (report.changed.length > 0) o.logger.info({ changes: report.changed }, 'HubSpot properties and options updated for the model');
  }
  return { ran: true, report };
}
