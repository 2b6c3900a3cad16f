/**
 * Model change: when `icp.yaml`'s `version` differs from the version last synced to a CRM, the CRM's
 * options (tiers, tags, roles and priority tiers) are brought in line, then a backfill rescores every record
 * (`AUTO_BACKFILL_ON_MODEL_CHANGE`, default on). A CRM never synced counts as a change.
 */
import type { Redis } from 'ioredis';
import type { CrmConnector } from '../connectors/port.ts';
import { setupSpecOf } from '../connectors/setup-spec.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { Logger } from '../logging.ts';
import type { Backfills } from './backfill.ts';
import type { PipelineKeys } from './keys.ts';


export interface ModelSyncOptions {
  redis: Redis;
  keys: PipelineKeys;
  scorer: Scorer;
  backfills: Backfills;
  logger: Logger;
  auto: boolean;
}

export type ModelSyncOutcome = 'unchanged' | 'backfill-started' | 'pending' | 'setup-failed';

// Compare-and-set, so that of several processes starting at once only one starts the work.
const SWAP_IF = `
local cur = redis.call('GET', KEYS[1])
if (cur or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

export async function syncModelVersion(connector: CrmConnector, o: ModelSyncOptions): Promise<ModelSyncOutcome> {
  const key = o.keys.modelVersion(connector.crm);
  const version = o.scorer.model.version;
  const previous = await o.redis.get(key);
  if (previous === version) return 'unchanged';
  if (!o.auto) {
    o.logger.warn({ crm: connector.crm, previous, version }, 'model version changed; AUTO_BACKFILL_ON_MODEL_CHANGE is off, run `icp-sync backfill` to rescore');
    return 'pending';
  }
  const won = (await o.redis.eval(SWAP_IF, 1, key, previous ?? '', version)) === 1;
  if (!won) return 'unchanged';
  try {
    const report = await connector.setup(setupSpecOf(o.scorer));
    if (report.problems.length > 0) throw new Error(report.problems.join('; '));
  } catch (err) {
    // Give the version back so that the next start tries again.
    await o.redis.eval(SWAP_IF, 1, key, version, previous ?? '');
    if (previous === null) await o.redis.del(key);
    o.logger.error({ crm: connector.crm, err: (err as Error).message }, 'model changed but the CRM options could not be updated; no backfill started');
    return 'setup-failed';
  }
  const { id } = await o.backfills.start(connector.crm, undefined, 'model-change');
  o.logger.info({ crm: connector.crm, previous, version, run: id }, 'model version changed: backfill started');
  return 'backfill-started';
}
