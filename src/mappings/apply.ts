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

/** A CRM value the attribute's transforms could not read ("Frnace" for a country): the attribute is missing. */
export interface UnrecognisedValue {
  attribute: string;
  field: string;
  value: string;
}

export interface MappedRecord {
  attributes: Attributes;
  provenance: Readonly<Record<string, Provenance>>;
  /** Attributes left missing although a field had a value, with the first such value (empty for most records). */
  unrecognised: UnrecognisedValue[];
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
 * usable value after the transforms wins (`BillingCountryCode`, else `BillingCountry`). An attribute
 * that ends missing although some field had a value is reported in `unrecognised`, so a misspelt
 * country is counted and said, not silently scored as unknown.
 */
export function mapRecord(mapping: ObjectMapping, record: CrmRecord): MappedRecord {
  const attributes: Record<string, unknown> = {};
  const provenance: Record<string, Provenance> = {};
  const unrecognised: UnrecognisedValue[] = [];
  for (const [name, a] of Object.entries(mapping.attributes)) {
    let rejected: UnrecognisedValue | undefined;
    for (const field of a.fields) {
      const raw = record.fields[field];
      if (isMissing(raw)) continue;
      const value = applyTransforms(a.transforms, raw);
      if (isMissing(value)) {
        rejected ??= { attribute: name, field, value: typeof raw === 'string' ? raw.trim() : JSON.stringify(raw) };
        continue;
      }
      attributes[name] = value;
      provenance[name] = { source: `crm:${field}` };
      rejected = undefined;
      break;
    }
    if (rejected !== undefined) unrecognised.push(rejected);
  }
  return { attributes, provenance, unrecognised };
}

/** Counts of unrecognised values by attribute and value, most frequent first. */
export function countUnrecognised(lists: Iterable<readonly UnrecognisedValue[]>): { attribute: string; value: string; records: number }[] {
  const counts = new Map<string, { attribute: string; value: string; records: number }>();
  for (const list of lists) {
    for (const u of list) {
      const key = `${u.attribute}\u0000${u.value}`;
      const c = counts.get(key);
      if (c === undefined) counts.set(key, { attribute: u.attribute, value: u.value, records: 1 });
      else c.records++;
    }
  }
  return [...counts.values()].sort((a, b) => b.records - a.records || (a.attribute < b.attribute ? -1 : a.attribute > b.attribute ? 1 : a.value < b.value ? -1 : 1));
}
