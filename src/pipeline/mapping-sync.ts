/**
 * Mapping change: when a newer mappings revision becomes active, each CRM's output fields are set
 * up again (a renamed output field must exist before it is written), then a backfill rescores every
 * record with the new attributes, as a model publish does (`AUTO_BACKFILL_ON_MODEL_CHANGE`, runs
 * with the `model-change` trigger). Each revision is done once per CRM across processes: the
 * revision done is kept in Redis and only a newer one may take the work. The first revision a CRM
 * sees is its baseline (the mappings it was synced with): no backfill.
 */
import type { Redis } from 'ioredis';
import type { CrmConnector } from '../connectors/port.ts';
import { setupSpecOf } from '../connectors/setup-spec.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { Logger } from '../logging.ts';
import type { Backfills } from './backfill.ts';

export interface MappingSyncOptions {
  redis: Redis;
  /** The key holding the revision done for this CRM (`mappingStoreKeys(prefix).syncedRevision(crm)`). */
  key: string;
  /** The active mappings revision. */
  revision: number;
  scorer: Scorer;
  backfills: Backfills;
  logger: Logger;
  auto: boolean;
}

export type MappingSyncOutcome = 'unchanged' | 'baseline' | 'backfill-started' | 'pending' | 'setup-failed';

// KEYS: revision done. ARGV: revision. 0: a newer or equal revision was done; 1: first revision (baseline); 2: taken.
const TAKE = `
local done = redis.call('GET', KEYS[1])
if not done then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
if tonumber(done) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 2
`;

// Gives a revision back when its work failed, unless a newer one was taken meanwhile.
const GIVE_BACK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`;

export async function syncMappingsRevision(connector: CrmConnector, o: MappingSyncOptions): Promise<MappingSyncOutcome> {
  const done = await o.redis.get(o.key);
  if (done !== null && Number(done) >= o.revision) return 'unchanged';
  if (done !== null && !o.auto) {
    o.logger.warn({ crm: connector.crm, revision: o.revision }, 'field mappings changed; AUTO_BACKFILL_ON_MODEL_CHANGE is off, run `icp-sync backfill` to rescore');
    return 'pending';
  }
  const taken = Number(await o.redis.eval(TAKE, 1, o.key, String(o.revision)));
  if (taken === 0) return 'unchanged';
  if (taken === 1) return 'baseline';
  try {
    const report = await connector.setup(setupSpecOf(o.scorer));
    if (report.problems.length > 0) throw new Error(report.problems.join('; '));
  } catch (err) {
    await o.redis.eval(GIVE_BACK, 1, o.key, String(o.revision), done ?? '0');
    o.logger.error({ crm: connector.crm, revision: o.revision, err: (err as Error).message }, 'field mappings changed but the CRM fields could not be set up; no backfill started');
    return 'setup-failed';
  }
  const { id } = await o.backfills.start(connector.crm, undefined, 'model-change');
  o.logger.info({ crm: connector.crm, revision: o.revision, run: id }, 'field mappings changed: backfill started');
  return 'backfill-started';
}
