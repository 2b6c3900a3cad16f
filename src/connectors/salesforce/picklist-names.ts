/**
 * API names of the picklist values icp-sync creates and writes (tiers, tags, roles, priority tiers). The
 * label keeps the model's text (`secteur-tech`, `Tier 1`); the API name, which the REST API reads and writes
 * and formulas, reports and integrations use, keeps to letters, digits and underscores, as Salesforce's
 * guidance asks (no hyphens, spaces or accents): `secteur_tech`, `Tier_1`. A value that is already safe
 * (`A`, `P1`, `decision_maker`) keeps its text as API name, so most orgs see no change.
 */

/** The API name of the picklist value labelled `value`. */
export function picklistApiName(value: string): string {
  const ascii = value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const safe = ascii.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  return safe === '' ? 'value' : safe;
}

/** Whether `apiName` is one Salesforce's guidance accepts (what `picklistApiName` returns for itself). */
export function isSafePicklistApiName(apiName: string): boolean {
  return picklistApiName(apiName) === apiName;
}

/** Groups of model values that would share one API name (`secteur-tech` and `secteur_tech`). */
export function picklistCollisions(values: readonly string[]): Array<{ apiName: string; values: string[] }> {
  const byName = new Map<string, string[]>();
  for (const v of new Set(values)) byName.set(picklistApiName(v), [...(byName.get(picklistApiName(v)) ?? []), v]);
  return [...byName].filter(([, vs]) => vs.length > 1).map(([apiName, vs]) => ({ apiName, values: vs }));
}
