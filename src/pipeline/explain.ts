/**
 * `explain`: what icp-sync would do with one record, writing nothing — the attributes with their
 * source, each criterion's points and contribution, the resulting values, and the exact field diff.
 * The result is plain JSON (the admin API returns it as is).
 */
import type { FieldValue } from '../connectors/port.ts';
import type { AttributeValue, ExclusionHit, ReasonStatus } from '../domain/types.ts';
import { RecordNotFoundError } from '../errors.ts';
import type { FieldChange } from './diff.ts';
import type { ObjectPipeline } from './object-pipeline.ts';
import { scoreRecords, type ScoringContext } from './score-records.ts';

export interface ExplainedAttribute {
  name: string;
  value: AttributeValue;
  /** `crm:<field>` or the enrichment provider's name. */
  source: string;
}

export interface ExplainedCriterion {
  id: string;
  label: string;
  attribute: string;
  weight: number;
  value: AttributeValue;
  points: number;
  /** 100 · weight · points / W, 1 decimal. */
  contribution: number;
  status: ReasonStatus;
}

export interface Explanation {
  crm: string;
  objectType: string;
  id: string;
  modelVersion: string;
  attributes: ExplainedAttribute[];
  /** In the order of the reasons: contribution descending. */
  criteria: ExplainedCriterion[];
  exclusions: ExclusionHit[];
  result: { score: number; tier: string; excluded: boolean; completeness: number; tags: string[]; reasons: string };
  /** CRM field → value icp-sync computes (encoded as written). */
  values: Record<string, FieldValue>;
  /** CRM field → value the CRM holds now. */
  current: Record<string, unknown>;
  /** The exact fields a sync would write; empty when the record costs no write. */
  diff: FieldChange[];
  wouldWrite: boolean;
}

const jsonSafe = (v: unknown): AttributeValue => (v === undefined ? null : v);

export async function explainRecord(op: ObjectPipeline, ctx: ScoringContext, id: string): Promise<Explanation> {
  const [record] = await op.connector.readByIds(op.objectType, [id], op.readFields);
  if (!record) throw new RecordNotFoundError(op.crm, op.objectType, id);
  const [scored] = await scoreRecords(op, ctx, [record]);
  if (!scored) throw new RecordNotFoundError(op.crm, op.objectType, id);
  const weights = new Map(ctx.scorer.model.criteria.map((c) => [c.id, c]));
  return {
    crm: op.crm,
    objectType: op.objectType,
    id,
    modelVersion: ctx.scorer.model.version,
    attributes: Object.entries(scored.attributes).map(([name, value]) => ({
      name,
      value: jsonSafe(value),
      source: scored.provenance[name]?.source ?? 'unknown',
    })),
    criteria: scored.result.reasons.map((r) => ({
      id: r.criterion,
      label: r.label,
      attribute: weights.get(r.criterion)?.attribute ?? '',
      weight: weights.get(r.criterion)?.weight ?? 0,
      value: jsonSafe(r.value),
      points: r.points,
      contribution: r.contribution,
      status: r.status,
    })),
    exclusions: [...scored.result.exclusions],
    result: {
      score: scored.result.score,
      tier: scored.result.tier,
      excluded: scored.result.excluded,
      completeness: scored.result.completeness,
      tags: [...scored.result.tags],
      reasons: scored.values.reasons ?? '',
    },
    values: { ...scored.encoded },
    current: { ...scored.current },
    diff: scored.changes,
    wouldWrite: scored.changes.length > 0,
  };
}
