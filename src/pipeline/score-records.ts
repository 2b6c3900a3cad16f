/**
 * The pure middle of a batch: CRM records → mapped attributes → enrichment → score → encoded
 * output values → diff against what the CRM holds. Shared by the batch worker and `explain`.
 */
import type { CrmRecord, FieldValue, OutputValues } from '../connectors/port.ts';
import { reasonsText } from '../domain/reasons-text.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { Attributes, ScoreResult } from '../domain/types.ts';
import type { EnrichedAttributes, Enricher, Provenance } from '../enrichment/port.ts';
import { mapRecord, preferEnrichedAttributes } from '../mappings/apply.ts';
import { diffFields, type FieldChange } from './diff.ts';
import type { ObjectPipeline } from './object-pipeline.ts';

/**
 * Longest reasons text written, in characters. HubSpot string properties hold 65,536 characters and
 * Salesforce long text areas up to 131,072; reasons stay far shorter so they read well in a CRM card.
 */
export const REASONS_MAX_LENGTH = 1000;

export interface ScoringContext {
  scorer: Scorer;
  enricher: Enricher;
  now?: () => Date;
}

export interface ScoredRecord {
  id: string;
  attributes: Attributes;
  provenance: Readonly<Record<string, Provenance>>;
  result: ScoreResult;
  values: OutputValues;
  /** CRM field name → encoded value, for every output field. */
  encoded: Readonly<Record<string, FieldValue>>;
  /** What the CRM holds now in the output fields. */
  current: Readonly<Record<string, unknown>>;
  /** Fields to write; empty when the CRM already holds these values. */
  changes: FieldChange[];
  /** A provider failed for this record: it was scored with what is known, and should be enriched again later. */
  enrichmentIncomplete: boolean;
}

/** A pass-through enricher: the CRM's attributes only (`ENRICHMENT_PROVIDERS` empty). */
export const crmOnlyEnricher: Enricher = {
  enrich: (records) => Promise.resolve(records.map((r) => ({ attributes: r.attributes, provenance: r.provenance }))),
};

export async function scoreRecords(
  op: ObjectPipeline,
  ctx: ScoringContext,
  records: readonly CrmRecord[],
): Promise<ScoredRecord[]> {
  if (records.length === 0) return [];
  const mapped = records.map((r) => mapRecord(op.mapping, r));
  const preferEnriched = preferEnrichedAttributes(op.mapping);
  const enriched = await ctx.enricher.enrich(
    records.map((r, i) => ({
      key: `${op.crm}:${op.objectType}:${r.id}`,
      attributes: mapped[i]?.attributes ?? {},
      provenance: mapped[i]?.provenance ?? {},
      ...(preferEnriched.length > 0 ? { preferEnriched } : {}),
    })),
  );
  const scoredAt = (ctx.now?.() ?? new Date()).toISOString();
  return records.map((record, i) => {
    const e: EnrichedAttributes = enriched[i] ?? mapped[i] ?? { attributes: {}, provenance: {} };
    const result = ctx.scorer.score(e.attributes);
    const values: OutputValues = {
      score: result.score,
      tier: result.tier,
      tags: result.tags,
      reasons: reasonsText(result, { maxLength: REASONS_MAX_LENGTH }),
      completeness: result.completeness,
      modelVersion: ctx.scorer.model.version,
      scoredAt,
    };
    const encoded: Record<string, FieldValue> = {};
    const current: Record<string, unknown> = {};
    for (const f of op.outputFields) {
      encoded[f.name] = op.connector.encode(f, values);
      current[f.name] = record.fields[f.name] ?? null;
    }
    return {
      id: record.id,
      attributes: e.attributes,
      provenance: e.provenance,
      result,
      values,
      encoded,
      current,
      changes: diffFields(op.outputFields, encoded, current),
      enrichmentIncomplete: e.incomplete === true,
    };
  });
}
