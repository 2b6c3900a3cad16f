/**
 * How well a mapping fills the model's attributes on real records (issue 12: Mappings page): per
 * attribute, the share of the sample with a value after the transforms, the CRM field that gave it
 * most often, and a few distinct example values.
 */
import type { CrmRecord } from '../connectors/port.ts';
import { mapRecord } from '../mappings/apply.ts';
import type { ObjectMapping, Transform } from '../mappings/types.ts';

export interface AttributeCoverage {
  attribute: string;
  fields: readonly string[];
  transforms: readonly Transform[];
  /** Records with a value. */
  withValue: number;
  /** withValue / records, 0..1 (4 decimals); 0 on an empty sample. */
  coverage: number;
  /** Records whose value came from each field (the first non-empty field in order wins). */
  byField: Record<string, number>;
  /** Up to `examples` distinct values, as text, most frequent first. */
  examples: string[];
  /** True when the model uses the attribute (a criterion or an exclusion). */
  usedByModel: boolean;
}

function text(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join('; ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** Attributes in mapping order, then model attributes no mapping fills (coverage 0). */
export function mappingCoverage(mapping: ObjectMapping, records: readonly CrmRecord[], modelAttributes: readonly string[] = [], examples = 5): AttributeCoverage[] {
  const used = new Set(modelAttributes);
  const rows = new Map<string, { withValue: number; byField: Record<string, number>; values: Map<string, number> }>();
  for (const name of Object.keys(mapping.attributes)) rows.set(name, { withValue: 0, byField: {}, values: new Map() });
  for (const r of records) {
    const m = mapRecord(mapping, r);
    for (const [name, value] of Object.entries(m.attributes)) {
      const row = rows.get(name);
      if (row === undefined) continue;
      row.withValue++;
      const field = m.provenance[name]?.source.replace(/^crm:/, '') ?? '';
      row.byField[field] = (row.byField[field] ?? 0) + 1;
      const t = text(value).slice(0, 200);
      row.values.set(t, (row.values.get(t) ?? 0) + 1);
    }
  }
  const n = records.length;
  const out: AttributeCoverage[] = [...rows].map(([attribute, row]) => {
    const a = mapping.attributes[attribute];
    return {
      attribute,
      fields: a?.fields ?? [],
      transforms: a?.transforms ?? [],
      withValue: row.withValue,
      coverage: n === 0 ? 0 : Math.round((row.withValue / n) * 10_000) / 10_000,
      byField: row.byField,
      examples: [...row.values].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, examples).map(([v]) => v),
      usedByModel: used.has(attribute),
    };
  });
  for (const attribute of modelAttributes) {
    if (!rows.has(attribute)) out.push({ attribute, fields: [], transforms: [], withValue: 0, coverage: 0, byField: {}, examples: [], usedByModel: true });
  }
  return out;
}
