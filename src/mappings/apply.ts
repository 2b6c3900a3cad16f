/**
 * Reads a CRM record through an object's mapping: attribute values with their provenance, and the
 * list of CRM fields a read must request.
 */
import { isMissing } from '../domain/normalize.ts';
import type { Attributes } from '../domain/types.ts';
import type { CrmRecord } from '../connectors/port.ts';
import type { Provenance } from '../enrichment/port.ts';
import { applyTransforms } from './transforms.ts';
import type { ObjectMapping } from './types.ts';

export interface MappedRecord {
  attributes: Attributes;
  provenance: Readonly<Record<string, Provenance>>;
}

/** Every CRM field the mapping reads, each once, in mapping order. */
export function inputFields(mapping: ObjectMapping): string[] {
  const out = new Set<string>();
  for (const a of Object.values(mapping.attributes)) for (const f of a.fields) out.add(f);
  return [...out];
}

/** Attributes that a provider's value should override (`preferEnriched: true`). */
export function preferEnrichedAttributes(mapping: ObjectMapping): string[] {
  return Object.entries(mapping.attributes)
    .filter(([, a]) => a.preferEnriched)
    .map(([name]) => name);
}

/**
 * Maps one record. For each attribute the fields are tried in order and the first that gives a
 * usable value after the transforms wins (`BillingCountryCode`, else `BillingCountry`).
 */
export function mapRecord(mapping: ObjectMapping, record: CrmRecord): MappedRecord {
  const attributes: Record<string, unknown> = {};
  const provenance: Record<string, Provenance> = {};
  for (const [name, a] of Object.entries(mapping.attributes)) {
    for (const field of a.fields) {
      const raw = record.fields[field];
      if (isMissing(raw)) continue;
      const value = applyTransforms(a.transforms, raw);
      if (isMissing(value)) continue;
      attributes[name] = value;
      provenance[name] = { source: `crm:${field}` };
      break;
    }
  }
  return { attributes, provenance };
}
