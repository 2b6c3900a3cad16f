/**
 * Values of a multi-value CRM field (HubSpot multiple checkboxes, Salesforce multi-select picklist), both of
 * which travel as one `;`-separated string: a value holding `;` would come back as two values.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_multiselect_picklists.htm
 */

/** Trimmed, without empties or repeats (first occurrence kept). Throws `RangeError` naming a value that holds `;`. */
export function multiValues(values: readonly string[], crm: string): string[] {
  const out = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
  const bad = out.find((v) => v.includes(';'));
  if (bad !== undefined) throw new RangeError(`tag "${bad}" contains ";", which ${crm} uses to separate multi-select values`);
  return out;
}
