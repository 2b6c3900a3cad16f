/** Building the few SOQL statements the connector sends, with names and literals checked or escaped. */
import { CrmValidationError } from '../../errors.ts';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Throws `CrmValidationError` for anything that is not a plain field or object API name. */
export function soqlName(name: string): string {
  if (!NAME.test(name)) {
    throw new CrmValidationError(`"${name}" is not a Salesforce field or object API name`, { crm: 'salesforce', vendorCode: 'INVALID_FIELD' });
  }
  return name;
}

/** A string literal (quotes and backslashes escaped as SOQL requires). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A `LIKE` literal matching values that contain `text`: quotes and backslashes escaped as in any
 * literal, and `%` and `_` escaped (`\%`, `\_`, valid in LIKE only) so that they match themselves
 * instead of acting as wildcards. Control characters are dropped (they cannot be in a name).
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 */
export function soqlLikeContains(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '');
  return `'%${clean.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/%/g, '\\%').replace(/_/g, '\\_')}%'`;
}

/** An `IN (…)` list of string literals. */
export function soqlInList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/** A dateTime literal, to the second (SOQL has no fractional seconds); rounded down so nothing is skipped. */
export function soqlDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new CrmValidationError(`"${iso}" is not an ISO 8601 date-time`, { crm: 'salesforce' });
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Id, SystemModstamp and the requested fields, each once. */
export function selectList(fields: readonly string[]): string[] {
  const out = ['Id', 'SystemModstamp'];
  for (const f of fields) {
    soqlName(f);
    if (!out.some((x) => x.toLowerCase() === f.toLowerCase())) out.push(f);
  }
  return out;
}

/** Salesforce date-times (`2026-11-26T10:00:00.000+0000`) as ISO 8601 with `Z`. */
export function isoFromSalesforce(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A 15- or 18-character record id. */
export function isSalesforceId(id: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id);
}

/** Key prefixes of the standard objects we sync (the first 3 characters of every id). */
const KEY_PREFIXES: Readonly<Record<string, string>> = { Account: '001', Lead: '00Q', Contact: '003' };

/** The synced object an id belongs to, from its key prefix (`001` Account, `00Q` Lead, `003` Contact), when known. */
export function objectTypeOfId(id: string): string | undefined {
  const prefix = id.slice(0, 3);
  return Object.keys(KEY_PREFIXES).find((type) => KEY_PREFIXES[type] === prefix);
}

/** Whether `id` can be a record of `objectType` (well-formed, and the object's key prefix when known). */
export function isIdOf(objectType: string, id: string): boolean {
  const prefix = KEY_PREFIXES[objectType];
  return isSalesforceId(id) && (prefix === undefined || id.startsWith(prefix));
}

