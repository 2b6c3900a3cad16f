/**
 * The one company a contact counts for (PRODUCT.md §2, buying roles): its primary company, else the
 * lowest associated company id, else none. Read with the associations v4 batch endpoint, one call for
 * a whole page of contacts (https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/batch/get-associations).
 *
 * - The primary company carries the HubSpot-defined type 1 ("Primary") next to the unlabelled 279.
 *   Detect it by type id, never by label text: HubSpot renamed those labels once
 *   (https://developers.hubspot.com/changelog/changes-to-primary-labels-for-hubspot-defined-association-labels).
 * - A contact with no company comes back in `errors` (HTTP 207) with subCategory
 *   `crm.associations.NO_ASSOCIATIONS_FOUND`: that means "none", not a failure.
 * - A contact's companies may span several pages: `paging.next.after` is sent back beside its id.
 *   Further pages are read only for contacts whose primary is not known yet (the lowest id needs them
 *   all), all such contacts in one call per round.
 * - `toObjectId` is a string in the spec and a number in captured responses: ids are compared as
 *   decimal strings, numerically.
 */
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import { ASSOCIATION_BATCH_READ_MAX } from './limits.ts';
import type { HubSpotPaths } from './paths.ts';
import { batchErrorSchema, parseVendor } from './records.ts';

/** HubSpot-defined association type ids (`@hubspot/api-client` `AssociationTypes`). */
export const ASSOCIATION_TYPES = {
  primaryContactToCompany: 1,
  primaryCompanyToContact: 2,
  contactToCompany: 279,
  companyToContact: 280,
} as const;

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED';
const NO_ASSOCIATIONS = 'crm.associations.NO_ASSOCIATIONS_FOUND';
/** Rounds of per-contact paging before giving up: a contact with more companies than this many pages is not a person. */
const MAX_PAGING_ROUNDS = 20;

const idText = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);

const batchAssociationsSchema = z.object({
  results: z
    .array(
      z
        .object({
          from: z.object({ id: idText }).loose(),
          to: z
            .array(
              z
                .object({
                  toObjectId: idText,
                  associationTypes: z
                    .array(z.object({ category: z.string().optional(), typeId: z.number().int(), label: z.string().nullish() }).loose())
                    .default([]),
                })
                .loose(),
            )
            .default([]),
          paging: z.object({ next: z.object({ after: z.union([z.string(), z.number()]).transform(String) }).loose().optional() }).loose().nullish(),
        })
        .loose(),
    )
    .default([]),
  errors: z.array(batchErrorSchema).default([]),
});

function lowerId(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  return BigInt(b) < BigInt(a) ? b : a;
}

interface Found {
  primary?: string;
  lowest?: string;
}

/**
 * The account of each contact: `contactId → companyId | null`. Every id asked for is in the map.
 * Costs one call per `ASSOCIATION_BATCH_READ_MAX` contacts, plus one per paging round for the rare
 * contact with more companies than one page holds.
 */
export async function readPrimaryCompanies(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  contactIds: readonly string[],
): Promise<Map<string, string | null>> {
  const found = new Map<string, Found>();
  const ids = [...new Set(contactIds)];
  for (const id of ids) found.set(id, {});
  const path = `${paths.associations('contacts', 'companies')}/batch/read`;

  for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH_READ_MAX) {
    let inputs: Array<{ id: string; after?: string }> = ids.slice(i, i + ASSOCIATION_BATCH_READ_MAX).map((id) => ({ id }));
    for (let round = 0; inputs.length > 0; round += 1) {
      if (round >= MAX_PAGING_ROUNDS) {
        throw new CrmError(`HubSpot contact associations: more than ${MAX_PAGING_ROUNDS} pages of companies for one contact`, {
          crm: 'hubspot',
          vendorCode: 'ASSOCIATION_PAGING',
        });
      }
      const res = await client.request({ method: 'POST', path, body: { inputs }, accept: [207], label: 'contact→company associations' });
      const body = parseVendor(batchAssociationsSchema, res.body, 'associations batch read');
      for (const error of body.errors) {
        const sub = typeof error.subCategory === 'string' ? error.subCategory : undefined;
        if (sub === NO_ASSOCIATIONS) continue;
        throw new CrmError(`HubSpot contact associations: ${error.message || error.category || 'error'}`, {
          crm: 'hubspot',
          vendorCode: error.category ?? 'ASSOCIATION_ERROR',
        });
      }
      const next: typeof inputs = [];
      for (const result of body.results) {
        const entry = found.get(result.from.id);
        if (!entry) continue;
        for (const to of result.to) {
          const primary = to.associationTypes.some(
            (t) => t.typeId === ASSOCIATION_TYPES.primaryContactToCompany && (t.category === undefined || t.category === HUBSPOT_DEFINED),
          );
          if (primary) entry.primary = to.toObjectId;
          entry.lowest = lowerId(entry.lowest, to.toObjectId);
        }
        const after = result.paging?.next?.after;
        if (after !== undefined && entry.primary === undefined) next.push({ id: result.from.id, after });
      }
      inputs = next;
    }
  }
  return new Map([...found].map(([id, f]) => [id, f.primary ?? f.lowest ?? null]));
}
