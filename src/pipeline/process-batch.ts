/**
 * One batch, start to end: read the records (unless the listing already did) → enrich → score →
 * diff against the CRM's current values → write only the changed records, in batch calls.
 * Idempotent: running it twice writes nothing the second time.
 */
import type { CrmRecord, RecordChange, RecordFailure, WriteOptions } from '../connectors/port.ts';
import { countUnrecognised } from '../mappings/apply.ts';
import { chunk } from './batch-job.ts';
import type { ObjectPipeline } from './object-pipeline.ts';
import type { AccountFit, PersonLink } from './people-store.ts';
import { recordIdKey } from './record-ids.ts';
import { scoreRecords, type ScoringContext } from './score-records.ts';

export interface BatchInput {
  ids: readonly string[];
  /** Records already read by a listing, fields included. */
  records?: readonly CrmRecord[];
  /** Bulk work (backfill, model change): the connector keeps its daily reserve. */
  background?: boolean;
  /** Hand the changes back in `deferred` instead of writing them (a backfill gathering a bulk write). */
  deferWrites?: boolean;
  /**
   * Records scored while a provider failed are neither written nor deferred, only listed in
   * `enrichLater`, so a short retry can write their right score instead of a degraded one.
   */
  holdIncomplete?: boolean;
}

export interface BatchOutcome {
  /** Ids the CRM no longer has (deleted or merged away). */
  missing: string[];
  unchanged: string[];
  written: string[];
  /** Writes the CRM refused for good, with its reasons. */
  failed: RecordFailure[];
  /** Writes that may succeed later (row locks, transient errors). */
  retry: RecordFailure[];
  /** Records scored without a provider that failed: to enrich and score again later. */
  enrichLater: string[];
  /** API calls the writes cost. */
  writeCalls: number;
  /** Changes not written because `deferWrites` was set. */
  deferred: RecordChange[];
  /** Scores of the records processed (for metrics). */
  scored: { id: string; score: number; tier: string }[];
  /** Accounts: the fit of each account scored, for its people's priority. */
  fits: Array<{ accountId: string; fit: AccountFit }>;
  /** People: the (account, role) of each person scored, for the committees. */
  links: PersonLink[];
  /** CRM values the field mappings could not read (a misspelt country), scored as missing: by attribute and value. */
  unrecognised: { attribute: string; value: string; records: number }[];
}

export async function processBatch(op: ObjectPipeline, ctx: ScoringContext, input: BatchInput): Promise<BatchOutcome> {
  // Requests deduplicated the way the CRM compares ids: a Salesforce record asked for by its 15- and
  // its 18-character id is read and scored once, and is not missing when it comes back as the other.
  const key = (id: string): string => recordIdKey(op.crm, id);
  const wanted = new Map<string, string>();
  for (const id of input.ids) if (!wanted.has(key(id))) wanted.set(key(id), id);
  const found = input.records
    ? input.records.filter((r) => wanted.has(key(r.id)))
    : await op.connector.readByIds(op.objectType, [...wanted.values()], op.readFields);
  const seen = new Set<string>();
  const records: CrmRecord[] = [];
  for (const r of found) {
    if (seen.has(key(r.id))) continue;
    seen.add(key(r.id));
    records.push(r);
  }
  const missing = [...wanted].filter(([k]) => !seen.has(k)).map(([, id]) => id);

  const scored = await scoreRecords(op, ctx, records);
  const unchanged: string[] = [];
  const changes: RecordChange[] = [];
  // Held records publish nothing: no write, and no fit or link their people or accounts would use.
  const published = input.holdIncomplete === true ? scored.filter((s) => !s.enrichmentIncomplete) : scored;
  for (const s of published) {
    if (s.changes.length === 0) unchanged.push(s.id);
    else changes.push({ id: s.id, fields: Object.fromEntries(s.changes.map((c) => [c.field, c.next])) });
  }

  const outcome: BatchOutcome = {
    missing,
    unchanged,
    written: [],
    failed: [],
    retry: [],
    enrichLater: scored.filter((s) => s.enrichmentIncomplete).map((s) => s.id),
    writeCalls: 0,
    deferred: input.deferWrites === true ? changes : [],
    scored: published.flatMap((s) => (s.result ? [{ id: s.id, score: s.result.score, tier: s.result.tier }] : [])),
    fits:
      op.kind === 'account'
        ? published.flatMap((s) => (s.result ? [{ accountId: s.id, fit: { score: s.result.score, tier: s.result.tier, excluded: s.result.excluded } }] : []))
        : [],
    links: published.flatMap((s) => (s.person && op.kind === 'person' ? [{ personId: s.id, accountId: s.person.accountId, role: s.person.resolution.role }] : [])),
    unrecognised: countUnrecognised(scored.map((s) => s.unrecognised)),
  };
  if (input.deferWrites !== true) await writeChanges(op, changes, { mode: 'live', background: input.background === true }, outcome);
  return outcome;
}

/**
 * Writes changes into `outcome`: one call in `bulk` mode when the set is over the connector's bulk
 * threshold, else in synchronous batches.
 */
export async function writeChanges(
  op: ObjectPipeline,
  changes: readonly RecordChange[],
  options: WriteOptions,
  outcome: Pick<BatchOutcome, 'written' | 'failed' | 'retry' | 'writeCalls'>,
): Promise<void> {
  const bulk = options.mode === 'bulk' && op.connector.bulkWriteThreshold !== undefined && changes.length > op.connector.bulkWriteThreshold;
  const parts = bulk ? [changes] : chunk(changes, op.connector.batchSize.write);
  for (const part of parts) {
    const res = await op.connector.writeChanges(op.objectType, part, bulk ? options : { ...options, mode: 'live' });
    outcome.written.push(...res.written);
    outcome.writeCalls += res.calls;
    for (const f of res.failed) (f.retryable ? outcome.retry : outcome.failed).push(f);
  }
}
