/**
 * Compares the values icp-sync would write with what the CRM holds, field by field, the way each
 * kind of field round-trips: numbers numerically (HubSpot returns them as strings), multi-selects as
 * sets split on `;`, text trimmed, enums exactly. Datetimes (scored-at) never count as a change.
 */
import type { FieldValue, OutputField, OutputFieldKind } from '../connectors/port.ts';
import { parseNumber } from '../domain/normalize.ts';

export interface FieldChange {
  /** CRM field name. */
  field: string;
  key: OutputField['key'];
  /** Value the CRM holds now, as read. */
  current: unknown;
  /** Encoded value that would be written. */
  next: FieldValue;
}

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function asText(v: unknown): string {
  if (isBlank(v)) return '';
  return typeof v === 'string' ? v.trim() : String(v);
}

function asSet(v: unknown): Set<string> {
  const items = Array.isArray(v) ? v.map(asText) : asText(v).split(';');
  return new Set(items.map((s) => s.trim()).filter((s) => s !== ''));
}

/** True when writing `next` would not change what the CRM holds in a field of this kind. */
export function sameValue(kind: OutputFieldKind, current: unknown, next: FieldValue): boolean {
  switch (kind) {
    case 'datetime':
      return true;
    case 'number':
    case 'percent': {
      if (isBlank(current) || isBlank(next)) return isBlank(current) && isBlank(next);
      const a = parseNumber(current);
      const b = parseNumber(next);
      if (a === undefined || b === undefined) return asText(current) === asText(next);
      return Math.abs(a - b) < 1e-9;
    }
    case 'multi': {
      const a = asSet(current);
      const b = asSet(next);
      return a.size === b.size && [...a].every((x) => b.has(x));
    }
    case 'text':
      return asText(current) === asText(next);
    case 'enum':
      return isBlank(current) ? isBlank(next) : !isBlank(next) && String(current) === String(next);
  }
}

/**
 * The fields whose value would change. Empty means the record costs no write. When something
 * changes, datetime fields (scored-at) ride along with the write.
 */
export function diffFields(
  fields: readonly OutputField[],
  encoded: Readonly<Record<string, FieldValue>>,
  current: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of fields) {
    const next = encoded[f.name] ?? null;
    if (!sameValue(f.kind, current[f.name], next)) changes.push({ field: f.name, key: f.key, current: current[f.name] ?? null, next });
  }
  if (changes.length === 0) return changes;
  for (const f of fields) {
    if (f.kind === 'datetime') changes.push({ field: f.name, key: f.key, current: current[f.name] ?? null, next: encoded[f.name] ?? null });
  }
  return changes;
}
