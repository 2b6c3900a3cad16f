/**
 * Model change: when `icp.yaml`'s `version` differs from the version last synced to a CRM, the CRM's
 * options (tiers, tags, roles and priority tiers) are brought in line, then a backfill rescores every record
 * (`AUTO_BACKFILL_ON_MODEL_CHANGE`, default on). A CRM never synced counts as a change.
 *
 * With the model history (src/model-store/), each history entry is done once per CRM: the revision
 * last done is kept beside the version, and only a newer revision may take the work, so that a
 * process still on an older model (a missed message) never sets a CRM back to it.
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
  /** The history entry of `scorer`'s model, with the key holding the revision done for this CRM. */
  revision?: { revision: number; key: string };
}

export type ModelSyncOutcome = 'unchanged' | 'backfill-started' | 'pending' | 'setup-failed';

// Compare-and-set, so that of several processes starting at once only one starts the work.
const SWAP_IF = `
local cur = redis.call('GET', KEYS[1])
if (cur or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

// KEYS: revision done, version synced. ARGV: revision, version, previous version as read ('' for none).
// 0: a newer or equal revision was done (or the version moved meanwhile); 1: taken, same version
// (nothing to do); 2: taken, the version changes.
const TAKE_REVISION = `
local done = tonumber(redis.call('GET', KEYS[1]) or '0')
if done >= tonumber(ARGV[1]) then return 0 end
local cur = redis.call('GET', KEYS[2]) or ''
if cur ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
if cur == ARGV[2] then return 1 end
redis.call('SET', KEYS[2], ARGV[2])
return 2
`;

async function take(o: ModelSyncOptions, key: string, previous: string | null, version: string): Promise<'won' | 'same' | 'lost'> {
  if (o.revision === undefined) return (await o.redis.eval(SWAP_IF, 1, key, previous ?? '', version)) === 1 ? 'won' : 'lost';
  const r = await o.redis.eval(TAKE_REVISION, 2, o.revision.key, key, String(o.revision.revision), version, previous ?? '');
  return r === 2 ? 'won' : r === 1 ? 'same' : 'lost';
}

export async function syncModelVersion(connector: CrmConnector, o: ModelSyncOptions): Promise<ModelSyncOutcome> {
  const key = o.keys.modelVersion(connector.crm);
  const version = o.scorer.model.version;
  const previous = await o.redis.get(key);
  const doneRevision = o.revision === undefined ? null : await o.redis.get(o.revision.key);
  if (o.revision !== undefined && Number(doneRevision ?? 0) >= o.revision.revision) return 'unchanged';
  if (previous === version) {
    if (o.revision !== undefined) await take(o, key, previous, version);
    return 'unchanged';
  }
  if (!o.auto) {
    o.logger.warn({ crm: connector.crm, previous, version }, 'model version changed; AUTO_BACKFILL_ON_MODEL_CHANGE is off, run `icp-sync backfill` to rescore');
    return 'pending';
  }
  const taken = await take(o, key, previous, version);
  if (taken !== 'won') return 'unchanged';
  try {
    const report = await connector.setup(setupSpecOf(o.scorer));
    if (report.problems.length > 0) throw new Error(report.problems.join('; '));
  } catch (err) {
    // Give the version back so that the next start tries again.
    await o.redis.eval(SWAP_IF, 1, key, version, previous ?? '');
    if (previous === null) await o.redis.del(key);
    if (o.revision !== undefined) {
      await o.redis.eval(SWAP_IF, 1, o.revision.key, String(o.revision.revision), doneRevision ?? '');
      if (doneRevision === null) await o.redis.del(o.revision.key);
    }
    o.logger.error({ crm: connector.crm, err: (err as Error).message }, 'model changed but the CRM options could not be updated; no backfill started');
    return 'setup-failed';
  }
  const { id } = await o.backfills.start(connector.crm, undefined, 'model-change');
  o.logger.info({ crm: connector.crm, previous, version, run: id }, 'model version changed: backfill started');
  return 'backfill-started';
}
