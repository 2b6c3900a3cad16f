/**
 * The properties of a HubSpot object type, for the console's Mappings page: one listing call
 * (`GET /crm/v3/properties/{objectType}`, or its date-versioned path), archived properties left out.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { CrmFieldInfo } from '../port.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import type { HubSpotPaths } from './paths.ts';

const listingSchema = z.object({
  results: z.array(
    z.looseObject({
      name: z.string(),
      label: z.string().nullish(),
      type: z.string().nullish(),
      hubspotDefined: z.boolean().nullish(),
      hidden: z.boolean().nullish(),
      options: z.array(z.looseObject({ value: z.string() })).nullish(),
    }),
  ),
});

export async function listProperties(client: Pick<HubSpotHttpClient, 'request'>, paths: HubSpotPaths, objectType: string): Promise<CrmFieldInfo[]> {
  const res = await client.request({ method: 'GET', path: paths.properties(objectType), query: { archived: false }, label: `list ${objectType} properties` });
  const parsed = listingSchema.safeParse(res.body);
  if (!parsed.success) {
    throw new CrmError(`HubSpot list ${objectType} properties: unexpected answer (${parsed.error.issues[0]?.message ?? 'shape'})`, { crm: 'hubspot', vendorCode: 'UNEXPECTED_BODY' });
  }
  return parsed.data.results
    .map((p) => ({ name: p.name, label: p.label ?? p.name, type: p.type ?? 'string', custom: p.hubspotDefined !== true, options: p.options?.length ?? 0 }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
