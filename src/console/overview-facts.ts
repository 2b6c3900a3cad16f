/**
 * The Overview's figures about people and committees, and the model's health: read from what the
 * service already holds — the preview samples (whose records carry the values icp-sync wrote, as
 * the CRM holds them) and the model-health monitor's stored checks. Nothing is estimated: a figure
 * without data is left undefined and shown as "not yet known".
 */
import type { CrmName } from '../connectors/port.ts';
import type { CrmRecord } from '../connectors/port.ts';
import type { ModelHealthSnapshot } from '../pipeline/model-health.ts';
import type { SampleStatus } from '../preview/sample-cache.ts';
import type { ConsoleRuntime } from './port.ts';
import { PEOPLE_TYPES } from './routes-model.ts';

export interface ValueCount {
  value: string;
  count: number;
  /** Of the records holding a value. */
  share: number;
}

export interface PeopleFacts {
  status: SampleStatus;
  /** Priority tiers as written, in the model's order; undefined when no sampled person holds one. */
  priorityTiers?: ValueCount[];
  /** Buying roles as written (role ids, `none`), in the model's order. */
  roles?: ValueCount[];
}

export interface CommitteeFacts {
  crm: CrmName;
  objectType: string;
  /** False when no role is required (no coverage is written). */
  applies: boolean;
  /** Undefined while no sampled account holds a coverage. */
  coverage?: { average: number; full: number; counted: number };
}

type Runtime = Pick<ConsoleRuntime, 'connectors' | 'objectTypes' | 'fields' | 'preview' | 'activeModel' | 'modelHealth'>;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : typeof v === 'number' ? String(v) : undefined);

/** Counts of the values of `field` over the records, in `order` first (unknown values after, by name). */
export function countValues(records: readonly CrmRecord[], field: string, order: readonly string[]): ValueCount[] | undefined {
  const counts = new Map<string, number>();
  for (const r of records) {
    const v = text(r.fields[field]);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const names = [...order.filter((v) => counts.has(v)), ...[...counts.keys()].filter((v) => !order.includes(v)).sort()];
  return names.map((value) => ({ value, count: counts.get(value) ?? 0, share: (counts.get(value) ?? 0) / total }));
}

/** Average committee coverage (0–100) over the records holding one, and how many are fully covered. */
export function coverageOf(records: readonly CrmRecord[], field: string): CommitteeFacts['coverage'] {
  const values = records.map((r) => Number(text(r.fields[field]) ?? NaN)).filter((n) => Number.isFinite(n));
  if (values.length === 0) return undefined;
  return { average: values.reduce((a, b) => a + b, 0) / values.length, full: values.filter((n) => n >= 100).length, counted: values.length };
}

const fieldOf = (runtime: Runtime, crm: CrmName, objectType: string, key: string): string | undefined => runtime.fields(crm, objectType).output.find((f) => f.key === key)?.name;

/** Per people type: the sample (read when none was), its priority tiers and roles as written. */
export async function peopleFacts(runtime: Runtime): Promise<PeopleFacts[]> {
  const model = runtime.activeModel().model;
  const tierOrder = [...(model.priorityTiers?.map((t) => t.name) ?? ['P1', 'P2', 'P3', 'P4']), model.excludedTier];
  const roleOrder = [...(model.roles?.list.map((r) => r.id) ?? []), 'none'];
  const out: PeopleFacts[] = [];
  for (const crm of runtime.connectors.keys()) {
    for (const objectType of runtime.objectTypes(crm).filter((t) => PEOPLE_TYPES.has(t))) {
      let status = await runtime.preview.samples.status(crm, objectType);
      if (status.state === 'empty') status = await runtime.preview.samples.refresh(crm, objectType);
      const sample = await runtime.preview.samples.records(crm, objectType);
      const facts: PeopleFacts = { status };
      const tierField = fieldOf(runtime, crm, objectType, 'priorityTier');
      const roleField = fieldOf(runtime, crm, objectType, 'buyingRole');
      const tiers = sample === undefined || tierField === undefined ? undefined : countValues(sample.records, tierField, tierOrder);
      const roles = sample === undefined || roleField === undefined ? undefined : countValues(sample.records, roleField, roleOrder);
      if (tiers !== undefined) facts.priorityTiers = tiers;
      if (roles !== undefined) facts.roles = roles;
      out.push(facts);
    }
  }
  return out;
}

/** Per account type: the committee coverage its sampled accounts hold. */
export async function committeeFacts(runtime: Runtime): Promise<CommitteeFacts[]> {
  const out: CommitteeFacts[] = [];
  for (const crm of runtime.connectors.keys()) {
    for (const objectType of runtime.objectTypes(crm).filter((t) => !PEOPLE_TYPES.has(t))) {
      const field = fieldOf(runtime, crm, objectType, 'committeeCoverage');
      if (field === undefined) {
        out.push({ crm, objectType, applies: false });
        continue;
      }
      const sample = await runtime.preview.samples.records(crm, objectType);
      const coverage = sample === undefined ? undefined : coverageOf(sample.records, field);
      out.push({ crm, objectType, applies: true, ...(coverage === undefined ? {} : { coverage }) });
    }
  }
  return out;
}

/** The monitor's stored checks (no CRM call); undefined when this instance does not monitor its model. */
export async function healthFacts(runtime: Runtime): Promise<ModelHealthSnapshot | undefined> {
  return runtime.modelHealth === undefined ? undefined : runtime.modelHealth.snapshot();
}
