/**
 * Record search by name for the console: one CRM search call with a free-text `query`, which HubSpot
 * matches against each object's default searchable properties (companies: name, domain, website,
 * phone; contacts: first and last name, email, phone, company), under the search budget of five
 * requests per second (limits.ts). https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm
 */
import type { RecordMatch } from '../port.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import type { HubSpotPaths } from './paths.ts';
import { SEARCH_PAGE_SIZE } from './limits.ts';
import { parseVendor, searchResponseSchema } from './records.ts';

/** Longest text sent: a search body is refused past 3,000 characters. */
export const NAME_QUERY_MAX = 100;

const PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  companies: ['name', 'domain'],
  contacts: ['firstname', 'lastname', 'email', 'company'],
};

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function matchOf(objectType: string, id: string, p: Readonly<Record<string, unknown>>): RecordMatch {
  if (objectType === 'contacts') {
    const name = [str(p['firstname']), str(p['lastname'])].filter((x) => x !== '').join(' ');
    const detail = [str(p['email']), str(p['company'])].filter((x) => x !== '').join(' · ');
    return { id, name: name === '' ? str(p['email']) || id : name, ...(detail === '' ? {} : { detail }) };
  }
  const domain = str(p['domain']);
  return { id, name: str(p['name']) || id, ...(domain === '' ? {} : { detail: domain }) };
}

export async function searchByName(client: HubSpotHttpClient, paths: HubSpotPaths, objectType: string, text: string, limit: number): Promise<RecordMatch[]> {
  const query = text.trim().slice(0, NAME_QUERY_MAX);
  if (query === '' || limit <= 0) return [];
  const properties = PROPERTIES[objectType] ?? ['name'];
  const res = await client.request({
    method: 'POST',
    path: `${paths.objects(objectType)}/search`,
    body: { query, properties, limit: Math.min(limit, SEARCH_PAGE_SIZE), after: '0' },
    budget: 'search',
  });
  const body = parseVendor(searchResponseSchema, res.body, 'search');
  return body.results.slice(0, limit).map((o) => matchOf(objectType, o.id, o.properties));
}
