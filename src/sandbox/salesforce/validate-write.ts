/**
 * Checks one record update the way Salesforce does for the fields icp-sync writes: field exists and is
 * editable by the user (field-level security), restricted picklist values (active API names), number precision,
 * text length.
 */
import type { SandboxStore, SObjectName } from './store.ts';

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function validateWrite(
  store: SandboxStore,
  objectType: SObjectName,
  userId: string,
  fields: Readonly<Record<string, unknown>>,
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: SaveError[] } {
  const values: Record<string, unknown> = {};
  const errors: SaveError[] = [];
  for (const [name, raw] of Object.entries(fields)) {
    if (!store.fieldExists(objectType, name) || !store.access(userId, objectType, name).read) {
      errors.push({ statusCode: 'INVALID_FIELD', message: `No such column '${name}' on sobject of type ${objectType}`, fields: [name] });
      continue;
    }
    if (!store.access(userId, objectType, name).edit) {
      errors.push({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, fields: [name] });
      continue;
    }
    const meta = store.customFields.get(`${objectType}.${name}`);
    const value = raw === '' ? null : raw;
    if (!meta || value === null || value === undefined) {
      values[name] = value ?? null;
      continue;
    }
    switch (meta.type) {
      case 'Number':
      case 'Percent': {
        const n = typeof value === 'number' ? value : Number(value);
        const intDigits = (meta.precision ?? 18) - (meta.scale ?? 0);
        if (!Number.isFinite(n)) {
          errors.push({ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: `${meta.label}: value not of required type: ${String(value)}`, fields: [name] });
        } else if (Math.abs(Math.trunc(n)).toString().length > intDigits) {
          errors.push({ statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: `${meta.label}: value outside of valid range on numeric field: ${n}`, fields: [name] });
        } else {
          values[name] = Number(n.toFixed(meta.scale ?? 0));
        }
        break;
      }
      case 'Picklist':
      case 'MultiselectPicklist': {
        const parts = meta.type === 'Picklist' ? [String(value)] : String(value).split(';').filter((p) => p !== '');
        // Restricted picklists take active values by API name (not by label); inactive ones are refused.
        const allowed = new Set(meta.valueSet?.values.filter((v) => v.isActive !== false).map((v) => v.fullName));
        const bad = meta.valueSet?.restricted ? parts.find((p) => !allowed.has(p)) : undefined;
        if (bad !== undefined) {
          errors.push({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: `${meta.label}: bad value for restricted picklist field: ${bad}`, fields: [name] });
        } else {
          values[name] = parts.length === 0 ? null : parts.join(';');
        }
        break;
      }
      case 'DateTime': {
        const ms = Date.parse(String(value));
        if (Number.isNaN(ms)) {
          errors.push({ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: `${meta.label}: value not of required type: ${String(value)}`, fields: [name] });
        } else {
          values[name] = new Date(ms).toISOString().replace('Z', '+0000');
        }
        break;
      }
      default: {
        const s = String(value);
        const max = meta.length ?? 255;
        if (s.length > max) {
          errors.push({ statusCode: 'STRING_TOO_LONG', message: `${meta.label}: data value too large: ${s.slice(0, 20)}… (max length=${max})`, fields: [name] });
        } else {
          values[name] = s;
        }
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}
