/**
 * CRM paths for the configured API version. Date versions (`2026-03`) put the version after the API
 * name (`/crm/objects/2026-03/companies`); legacy `v3` paths (`/crm/v3/objects/companies`) stop
 * being supported in September 2027.
 * https://developers.hubspot.com/docs/api-reference/legacy/migration-guide
 */

export interface HubSpotPaths {
  readonly version: string;
  /** `/crm/objects/2026-03/companies` or `/crm/v3/objects/companies`. */
  objects(objectType: string): string;
  /** `/crm/properties/2026-03/companies` or `/crm/v3/properties/companies`. */
  properties(objectType: string): string;
  /** Property groups of an object type. */
  groups(objectType: string): string;
  /**
   * Associations between two object types: `/crm/associations/2026-03/contacts/companies` or, for
   * `v3`, the v4 associations API `/crm/v4/associations/contacts/companies` (the v3 associations API
   * has no labels, so it cannot tell the primary company).
   */
  associations(fromType: string, toType: string): string;
  /** Lists API: `/crm/lists/2026-03` or `/crm/v3/lists`. */
  lists(): string;
}

export function hubspotPaths(version: string): HubSpotPaths {
  if (!/^(v3|\d{4}-\d{2})$/.test(version)) throw new RangeError(`unsupported HubSpot API version ${version}`);
  const legacy = version === 'v3';
  const properties = (t: string) => (legacy ? `/crm/v3/properties/${t}` : `/crm/properties/${version}/${t}`);
  return {
    version,
    objects: (t) => (legacy ? `/crm/v3/objects/${t}` : `/crm/objects/${version}/${t}`),
    properties,
    groups: (t) => `${properties(t)}/groups`,
    lists: () => (legacy ? '/crm/v3/lists' : `/crm/lists/${version}`),
    associations: (from, to) => (legacy ? `/crm/v4/associations/${from}/${to}` : `/crm/associations/${version}/${from}/${to}`),
  };
}
