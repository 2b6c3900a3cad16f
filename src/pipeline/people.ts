/**
 * Buying roles in the pipeline: the lookups people scoring needs (accounts' fits and committees from
 * the shared store, reading and scoring in batches only the accounts never seen), and the cascades
 * after a batch: an account whose fit changed rescores its people's priority; a person whose
 * account or role changed rescores the committee of the accounts concerned (old and new). Cascades
 * go through the producer, so they are debounced, deduplicated and batched like any change.
 */
import type { CompiledRoles } from '../domain/roles.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { chunk } from './batch-job.ts';
import type { Backfills } from './backfill.ts';
import type { ObjectPipeline } from './object-pipeline.ts';
import type { AccountFit, LinkChange, PeopleStore } from './people-store.ts';
import type { BatchOutcome } from './process-batch.ts';
import { recordIdKey } from './record-ids.ts';
import type { RescoreProducer, RescoreRequest } from './requests.ts';
import { scoreRecords, type PeopleLookups, type ScoringContext } from './score-records.ts';

export interface PeopleOptions {
  roles: CompiledRoles;
  store: PeopleStore;
  /** The account object type of a CRM (`companies`, `Account`), whose ids people point to. */
  accountPipeline(crm: CrmName): ObjectPipeline | undefined;
  /** The people object type of a CRM (`contacts`, `Contact`), when synced. */
  personType(crm: CrmName): string | undefined;
}

/** Lookups backed by the store; accounts not scored yet are read in batches and scored once. */
export function createPeopleLookups(o: PeopleOptions, scoring: () => Omit<ScoringContext, 'people' | 'roles'>): PeopleLookups {
  return {
    async fits(crm, accountIds) {
      const known = await o.store.fits(crm, accountIds);
      const unknown = [...new Set(accountIds.filter((id) => !known.has(recordIdKey(crm, id))))];
      const op = o.accountPipeline(crm);
      if (unknown.length === 0 || op === undefined) return known;
      const fresh: Array<{ accountId: string; fit: AccountFit }> = [];
      for (const ids of chunk(unknown, op.connector.batchSize.read)) {
        const records = await op.connector.readByIds(op.objectType, ids, op.readFields);
        for (const s of await scoreRecords(op, { ...scoring(), roles: null }, records)) {
          if (s.result) fresh.push({ accountId: s.id, fit: { score: s.result.score, tier: s.result.tier, excluded: s.result.excluded } });
        }
      }
      await o.store.saveFits(crm, fresh);
      for (const f of fresh) known.set(recordIdKey(crm, f.accountId), f.fit);
      return known;
    },
    held: (crm, accountIds) => o.store.held(crm, accountIds),
  };
}

/** The accounts whose committee may differ after these link changes (a required role came or went). */
export function accountsTouched(roles: CompiledRoles, changes: readonly LinkChange[]): string[] {
  const required = new Set(roles.requiredRoles);
  const out = new Set<string>();
  for (const side of changes.flatMap((c) => [c.before, c.after])) {
    if (side?.accountId != null && required.has(side.role)) out.add(side.accountId);
  }
  return [...out];
}

export interface CascadeDeps {
  people: PeopleOptions;
  producer: RescoreProducer;
  backfills: Backfills;
  logger: Logger;
}

/**
 * Runs after a batch was written: updates the store and queues the records whose values depend on
 * what changed. Account fits moved during a backfill of the people are not cascaded: that backfill
 * rescores every person anyway, after the accounts.
 */
export async function cascadeAfterBatch(d: CascadeDeps, op: ObjectPipeline, out: Pick<BatchOutcome, 'fits' | 'links' | 'missing'>): Promise<void> {
  const { store, roles } = d.people;
  const requests: RescoreRequest[] = [];
  if (op.kind === 'account') {
    const changed = await store.saveFits(op.crm, out.fits);
    const orphans = await store.removeAccounts(op.crm, out.missing);
    const personType = d.people.personType(op.crm);
    if (personType !== undefined && changed.length + orphans.length > 0) {
      const backfill = await d.backfills.state(op.crm, personType);
      const people = new Set(orphans);
      if (backfill?.status !== 'running') for (const id of await store.peopleOf(op.crm, changed)) people.add(id);
      for (const id of people) requests.push({ crm: op.crm, objectType: personType, id, trigger: 'cascade' });
    }
  } else if (op.kind === 'person') {
    const changes = [...(await store.saveLinks(op.crm, out.links)), ...(await store.removePeople(op.crm, out.missing))];
    const account = d.people.accountPipeline(op.crm);
    if (account !== undefined && roles.requiredRoles.length > 0) {
      for (const id of accountsTouched(roles, changes)) requests.push({ crm: op.crm, objectType: account.objectType, id, trigger: 'cascade' });
    }
  }
  if (requests.length === 0) return;
  await d.producer.enqueue(requests);
  d.logger.debug({ crm: op.crm, from: op.objectType, records: requests.length, to: requests[0]?.objectType }, 'cascade queued');
}
