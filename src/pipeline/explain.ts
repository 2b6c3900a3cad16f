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

/** The (account, role) couple of a person or a lead. */
export interface ExplainedPerson {
  title: string | null;
  /** The explicit CRM role values read (HubSpot `hs_buying_role`, Salesforce contact roles). */
  crmRoles: string[];
  /** Every (role, pattern) that matched the title, in model order. */
  matched: Array<{ role: string; pattern: string }>;
  /** The `ignoreTitles` pattern that silenced the title, if any. */
  ignoredBy: string | null;
  role: string;
  label: string;
  points: number;
  source: 'crm' | 'title' | 'none';
  why: string;
  /** The account the person counts for (a lead: itself), with its fit; null without one. */
  account: { id: string; score: number; tier: string; excluded: boolean } | { id: string; missing: true } | null;
  priority: number | null;
  priorityTier: string | null;
}

export interface Explanation {
  crm: string;
  objectType: string;
  /** `account`, `person` or `lead`. */
  kind: string;
  id: string;
  modelVersion: string;
  attributes: ExplainedAttribute[];
  /** In the order of the reasons: contribution descending (empty for a person). */
  criteria: ExplainedCriterion[];
  exclusions: ExclusionHit[];
  /** The fit; absent for a person, who has none of its own. */
  result?: { score: number; tier: string; excluded: boolean; completeness: number; tags: string[]; reasons: string };
  person?: ExplainedPerson;
  /** The account's buying committee, when some role is required. */
  committee?: { coverage: number; missing: string };
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
  const result = scored.result;
  const person = scored.person;
  return {
    crm: op.crm,
    objectType: op.objectType,
    kind: op.kind,
    id,
    modelVersion: ctx.scorer.model.version,
    attributes: Object.entries(scored.attributes).map(([name, value]) => ({
      name,
      value: jsonSafe(value),
      source: scored.provenance[name]?.source ?? 'unknown',
    })),
    criteria: (result?.reasons ?? []).map((r) => ({
      id: r.criterion,
      label: r.label,
      attribute: weights.get(r.criterion)?.attribute ?? '',
      weight: weights.get(r.criterion)?.weight ?? 0,
      value: jsonSafe(r.value),
      points: r.points,
      contribution: r.contribution,
      status: r.status,
    })),
    exclusions: [...(result?.exclusions ?? [])],
    ...(result === undefined
      ? {}
      : {
          result: {
            score: result.score,
            tier: result.tier,
            excluded: result.excluded,
            completeness: result.completeness,
            tags: [...result.tags],
            reasons: scored.values.reasons ?? '',
          },
        }),
    ...(person === undefined
      ? {}
      : {
          person: {
            title: person.input.title,
            crmRoles: [...person.input.explicit],
            matched: person.resolution.matched.map((m) => ({ ...m })),
            ignoredBy: person.resolution.ignoredBy ?? null,
            role: person.resolution.role,
            label: person.resolution.label,
            points: person.resolution.points,
            source: person.resolution.source,
            why: person.resolution.why,
            account:
              person.accountId === null
                ? null
                : person.account === undefined
                  ? { id: person.accountId, missing: true as const }
                  : { id: person.accountId, ...person.account },
            priority: person.priority.priority,
            priorityTier: person.priority.tier,
          },
        }),
    ...(scored.committee === undefined ? {} : { committee: { ...scored.committee } }),
    values: { ...scored.encoded },
    current: { ...scored.current },
    diff: scored.changes,
    wouldWrite: scored.changes.length > 0,
  };
}
