/**
 * The pure middle of a batch: CRM records → mapped attributes → enrichment → score → encoded
 * output values → diff against what the CRM holds. Shared by the batch worker and `explain`.
 */
import type { CrmRecord, FieldValue, OutputValues } from '../connectors/port.ts';
import { reasonsText } from '../domain/reasons-text.ts';
import { personInput, type CompiledRoles, type Coverage, type PersonInput, type Priority, type RoleResolution } from '../domain/roles.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { Attributes, ScoreResult } from '../domain/types.ts';
import type { CrmName } from '../errors.ts';
import type { EnrichedAttributes, Enricher, Provenance } from '../enrichment/port.ts';
import { isMissing } from '../domain/normalize.ts';
import { mapRecord, preferEnrichedAttributes, type UnrecognisedValue } from '../mappings/apply.ts';
import { diffFields, type FieldChange } from './diff.ts';
import type { ObjectPipeline } from './object-pipeline.ts';
import type { AccountFit } from './people-store.ts';
import { batchLabels, recordValueLabel } from './value-labels.ts';
import { recordIdKey } from './record-ids.ts';

/**
 * Longest reasons text written, in characters. HubSpot string properties hold 65,536 characters and
 * Salesforce long text areas up to 131,072; reasons stay far shorter so they read well in a CRM card.
 */
export const REASONS_MAX_LENGTH = 1000;

/** What scoring people needs from outside the batch: their accounts' fits and committees. */
export interface PeopleLookups {
  /**
   * The fit of each account, by `recordIdKey`; accounts not known yet are read and scored. An account
   * the CRM no longer has is absent.
   */
  fits(crm: CrmName, accountIds: readonly string[]): Promise<Map<string, AccountFit>>;
  /** The role ids held by each account's people, by `recordIdKey`. */
  held(crm: CrmName, accountIds: readonly string[]): Promise<Map<string, string[]>>;
}

export interface ScoringContext {
  scorer: Scorer;
  enricher: Enricher;
  now?: () => Date;
  /** The model's buying roles; absent or null when it has none (accounts only). */
  roles?: CompiledRoles | null;
  /** Required as soon as `roles` is set and people or committees are scored. */
  people?: PeopleLookups;
  /** HubSpot: write the inferred role into an empty `hs_buying_role` (`HUBSPOT_FILL_BUYING_ROLE`). */
  fillCrmRole?: boolean;
}

/** The (account, role) couple of a person or a lead. */
export interface PersonScore {
  input: PersonInput;
  resolution: RoleResolution;
  /** The account the person counts for (a lead: itself); null without one. */
  accountId: string | null;
  /** That account's fit; absent without an account or when the CRM no longer has it. */
  account?: AccountFit;
  priority: Priority;
}

export interface ScoredRecord {
  id: string;
  attributes: Attributes;
  provenance: Readonly<Record<string, Provenance>>;
  /** The fit (accounts and leads; absent for people). */
  result?: ScoreResult;
  /** The (account, role) couple (people and leads, when the model has roles). */
  person?: PersonScore;
  /** The buying committee (accounts, when some role is required). */
  committee?: Coverage;
  values: OutputValues;
  /** CRM field name → encoded value, for every output field. */
  encoded: Readonly<Record<string, FieldValue>>;
  /** What the CRM holds now in the output fields. */
  current: Readonly<Record<string, unknown>>;
  /** Fields to write; empty when the CRM already holds these values. */
  changes: FieldChange[];
  /** A provider failed for this record: it was scored with what is known, and should be enriched again later. */
  enrichmentIncomplete: boolean;
  /** CRM values the mapping could not read and nothing else filled: scored as missing. */
  unrecognised: UnrecognisedValue[];
}

/** A pass-through enricher: the CRM's attributes only (`ENRICHMENT_PROVIDERS` empty). */
export const crmOnlyEnricher: Enricher = {
  enrich: (records) => Promise.resolve(records.map((r) => ({ attributes: r.attributes, provenance: r.provenance }))),
};

function personValues(op: ObjectPipeline, p: PersonScore): Partial<OutputValues> {
  const values: Partial<OutputValues> = { buyingRole: p.resolution.role, priorityScore: p.priority.priority, priorityTier: p.priority.tier };
  if (op.kind === 'person') values.accountTier = p.account?.tier ?? null;
  return values;
}

export async function scoreRecords(
  op: ObjectPipeline,
  ctx: ScoringContext,
  records: readonly CrmRecord[],
): Promise<ScoredRecord[]> {
  if (records.length === 0) return [];
  const mapped = records.map((r) => mapRecord(op.mapping, r));
  const none: UnrecognisedValue[] = [];
  const roles = ctx.roles ?? null;
  const scoredAt = (ctx.now?.() ?? new Date()).toISOString();
  const crmRole = op.crm;

  // People: no fit of their own; their account's comes from the shared store.
  if (op.kind === 'person') {
    if (roles === null || ctx.people === undefined) throw new Error(`${op.crm} ${op.objectType}: people are scored only with a model that has roles`);
    const accountIds = records.flatMap((r) => (r.accountId == null ? [] : [r.accountId]));
    const fits = await ctx.people.fits(op.crm, accountIds);
    return records.map((record, i) => {
      const m = mapped[i] ?? { attributes: {}, provenance: {} };
      const input = personInput(m.attributes);
      const resolution = roles.resolve(input, crmRole);
      const accountId = record.accountId ?? null;
      const account = accountId === null ? undefined : fits.get(recordIdKey(op.crm, accountId));
      const priority = roles.priority(account?.score ?? null, resolution.points, account?.excluded ?? false);
      const person: PersonScore = { input, resolution, accountId, ...(account ? { account } : {}), priority };
      const values: OutputValues = { ...personValues(op, person), modelVersion: ctx.scorer.model.version, scoredAt };
      const scored = encodeAndDiff(op, record, values);
      if (ctx.fillCrmRole === true && op.crm === 'hubspot') fillCrmRole(op, roles, record, person, scored);
      return { id: record.id, attributes: m.attributes, provenance: m.provenance, person, ...scored, enrichmentIncomplete: false, unrecognised: mapped[i]?.unrecognised ?? none };
    });
  }

  const preferEnriched = preferEnrichedAttributes(op.mapping);
  const enriched = await ctx.enricher.enrich(
    records.map((r, i) => ({
      key: `${op.crm}:${op.objectType}:${r.id}`,
      attributes: mapped[i]?.attributes ?? {},
      provenance: mapped[i]?.provenance ?? {},
      ...(preferEnriched.length > 0 ? { preferEnriched } : {}),
    })),
  );
  const model = ctx.scorer.model;
  const labels = await batchLabels(op, model);
  const committeeWanted = roles !== null && op.kind === 'account' && op.outputFields.some((f) => f.key === 'committeeCoverage' || f.key === 'missingRoles');
  const held = committeeWanted && ctx.people ? await ctx.people.held(op.crm, records.map((r) => r.id)) : new Map<string, string[]>();
  return records.map((record, i) => {
    const e: EnrichedAttributes = enriched[i] ?? mapped[i] ?? { attributes: {}, provenance: {} };
    const result = ctx.scorer.score(e.attributes);
    const valueLabel = recordValueLabel(labels, op.mapping, model, e.provenance);
    const values: OutputValues = {
      score: result.score,
      tier: result.tier,
      tags: result.tags,
      reasons: reasonsText(result, { maxLength: REASONS_MAX_LENGTH, ...(valueLabel ? { valueLabel } : {}) }),
      completeness: result.completeness,
      modelVersion: ctx.scorer.model.version,
      scoredAt,
    };
    let person: PersonScore | undefined;
    let committee: Coverage | undefined;
    if (roles !== null && op.kind === 'lead') {
      // A lead is its own account: its fit stands for the account's; it counts in no committee.
      const input = personInput(e.attributes);
      const resolution = roles.resolve(input, crmRole);
      const account: AccountFit = { score: result.score, tier: result.tier, excluded: result.excluded };
      person = { input, resolution, accountId: record.id, account, priority: roles.priority(result.score, resolution.points, result.excluded) };
      Object.assign(values, personValues(op, person));
    }
    if (committeeWanted) {
      committee = roles.coverage(held.get(recordIdKey(op.crm, record.id)) ?? []) ?? undefined;
      if (committee) Object.assign(values, { committeeCoverage: committee.coverage, missingRoles: committee.missing });
    }
    return {
      id: record.id,
      attributes: e.attributes,
      provenance: e.provenance,
      result,
      ...(person ? { person } : {}),
      ...(committee ? { committee } : {}),
      ...encodeAndDiff(op, record, values),
      enrichmentIncomplete: e.incomplete === true,
      // A provider may have filled what the CRM value could not say.
      unrecognised: (mapped[i]?.unrecognised ?? none).filter((u) => isMissing(e.attributes[u.attribute])),
    };
  });
}

/**
 * Adds the CRM's own role field to the write when it is empty and the title gave a role the CRM has
 * a value for. Read back, that value resolves to the same role, so the next pass writes nothing.
 */
function fillCrmRole(op: ObjectPipeline, roles: CompiledRoles, record: CrmRecord, person: PersonScore, scored: Pick<ScoredRecord, 'encoded' | 'current' | 'changes'>): void {
  const field = op.mapping.attributes['buying_role']?.fields[0];
  if (field === undefined || person.resolution.source !== 'title' || person.input.explicit.length > 0) return;
  const current = record.fields[field];
  if (current != null && String(current).trim() !== '') return;
  const value = roles.crmValueOf(person.resolution.role, 'hubspot');
  if (value === undefined) return;
  (scored.encoded as Record<string, FieldValue>)[field] = value;
  (scored.current as Record<string, unknown>)[field] = current ?? null;
  scored.changes.push({ field, key: 'buyingRole', current: current ?? null, next: value });
}

/** Encodes the values present for each output field and diffs them against the record. */
function encodeAndDiff(op: ObjectPipeline, record: CrmRecord, values: OutputValues): Pick<ScoredRecord, 'values' | 'encoded' | 'current' | 'changes'> {
  const encoded: Record<string, FieldValue> = {};
  const current: Record<string, unknown> = {};
  const fields = op.outputFields.filter((f) => values[f.key] !== undefined);
  for (const f of fields) {
    encoded[f.name] = op.connector.encode(f, values);
    current[f.name] = record.fields[f.name] ?? null;
  }
  return { values, encoded, current, changes: diffFields(fields, encoded, current) };
}
