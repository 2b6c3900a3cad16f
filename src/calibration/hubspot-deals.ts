/**
 * Closed HubSpot deals and the company each belongs to, through the connector's choke point
 * (`HubSpotHttpClient`: auth, shared rate limits, typed errors). Deals are not part of the
 * connector port: only calibration reads them.
 *
 * - Deals: CRM search on `hs_is_closed = true` and `closedate >= since`, sorted by close date, 200
 *   per page. Search stops at 10,000 results per query, so past the cap a new query starts at the
 *   last close date seen (deals seen twice are dropped by id).
 *   https://developers.hubspot.com/docs/api-reference/latest/crm/objects/deals/search-deals
 * - Outcome: `hs_is_closed_won` (HubSpot computes it from the stage's closed-won flag).
 * - Company: associations batch read (deal → companies); the primary company (typeId 5) when
 *   labelled, else the first one.
 *   https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/batch/get-associations
 * - Contacts on the deal: associations batch read (deal → contacts), 100 deals per call, each deal's
 *   further associations followed with its `after`. Their roles come from the roles core.
 * - Lost reason: the default deal property `closed_lost_reason` (free text), lost deals only.
 */
import { z } from 'zod';
import type { HubSpotHttpClient } from '../connectors/hubspot/http-client.ts';
import { SEARCH_MAX_RESULTS, SEARCH_PAGE_SIZE } from '../connectors/hubspot/limits.ts';
import type { HubSpotPaths } from '../connectors/hubspot/paths.ts';
import { parseVendor, searchResponseSchema } from '../connectors/hubspot/records.ts';
import { daysBetween, parseCloseDate } from '../domain/calibration/deal.ts';
import { parseNumber } from '../domain/normalize.ts';

export const DEAL_PROPERTIES = ['amount', 'closedate', 'createdate', 'hs_is_closed_won', 'hs_is_closed', 'dealstage', 'pipeline', 'closed_lost_reason'] as const;
/** HubSpot-defined association type "deal to primary company". */
export const PRIMARY_COMPANY_TYPE_ID = 5;
/** Inputs per associations batch read. */
const ASSOCIATION_BATCH = 100;

export interface CrmClosedDeal {
  id: string;
  won: boolean;
  /** Company (or Account) id; absent when the deal has none. */
  accountId?: string;
  amount?: number;
  closeDate?: string;
  cycleDays?: number;
  /** Lost deals: the reason given, as written. */
  lostReason?: string;
  /** Role ids of the people on the deal (absent: not read, e.g. the model has no roles). */
  roles?: readonly string[];
}

const associationsSchema = z.object({
  results: z
    .array(
      z.object({
        from: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
        to: z
          .array(
            z.object({
              toObjectId: z.union([z.string(), z.number()]).transform(String),
              associationTypes: z.array(z.object({ typeId: z.number().optional(), category: z.string().optional() }).loose()).default([]),
            }),
          )
          .default([]),
        paging: z.object({ next: z.object({ after: z.string() }).loose().nullish() }).loose().nullish(),
      }),
    )
    .default([]),
});

function associationsPath(version: string, to: 'companies' | 'contacts' = 'companies'): string {
  return version === 'v3' ? `/crm/v4/associations/deals/${to}/batch/read` : `/crm/associations/${version}/deals/${to}/batch/read`;
}

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

/** Every deal closed at or after `since` (`YYYY-MM-DD`, UTC), with its outcome, amount and dates. */
export async function searchClosedDeals(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  since: string,
  onProgress?: (deals: number) => void,
): Promise<CrmClosedDeal[]> {
  const seen = new Map<string, CrmClosedDeal>();
  let from = Date.parse(`${since}T00:00:00Z`);
  let after = 0;
  for (;;) {
    const res = await client.request({
      method: 'POST',
      path: `${paths.objects('deals')}/search`,
      budget: 'search',
      label: 'deals search',
      body: {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_is_closed', operator: 'EQ', value: 'true' },
              { propertyName: 'closedate', operator: 'GTE', value: String(from) },
            ],
          },
        ],
        sorts: [{ propertyName: 'closedate', direction: 'ASCENDING' }],
        properties: [...DEAL_PROPERTIES],
        limit: SEARCH_PAGE_SIZE,
        ...(after > 0 ? { after: String(after) } : {}),
      },
    });
    const page = parseVendor(searchResponseSchema, res.body, 'deals search');
    let lastClose: number | undefined;
    for (const obj of page.results) {
      const p = obj.properties;
      // The filter already asks for closed deals; a deal reopened since is left out.
      if (p['hs_is_closed'] !== undefined && !isTrue(p['hs_is_closed'])) continue;
      const closeDate = parseCloseDate(p['closedate']);
      const close = closeDate === undefined ? undefined : Date.parse(String(p['closedate']));
      if (close !== undefined && Number.isFinite(close)) lastClose = close;
      const amount = parseNumber(p['amount']);
      const cycleDays = daysBetween(p['createdate'], p['closedate']);
      const won = isTrue(p['hs_is_closed_won']);
      const reason = p['closed_lost_reason'];
      const lostReason = !won && typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
      seen.set(obj.id, {
        id: obj.id,
        won,
        ...(lostReason === undefined ? {} : { lostReason }),
        ...(amount === undefined ? {} : { amount }),
        ...(closeDate === undefined ? {} : { closeDate }),
        ...(cycleDays === undefined ? {} : { cycleDays }),
      });
    }
    onProgress?.(seen.size);
    const next = page.paging?.next?.after;
    if (next === undefined || page.results.length === 0) break;
    const nextOffset = Number(next);
    if (Number.isFinite(nextOffset) && nextOffset + SEARCH_PAGE_SIZE <= SEARCH_MAX_RESULTS) {
      after = nextOffset;
      continue;
    }
    // Past the 10,000-result cap: start a new query at the last close date seen.
    if (lastClose === undefined || lastClose <= from) break;
    from = lastClose;
    after = 0;
  }
  return [...seen.values()];
}

/** The company of each deal: primary when labelled, else the first associated company. */
export async function dealCompanies(client: HubSpotHttpClient, version: string, dealIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < dealIds.length; i += ASSOCIATION_BATCH) {
    const chunk = dealIds.slice(i, i + ASSOCIATION_BATCH);
    const res = await client.request({
      method: 'POST',
      path: associationsPath(version),
      label: 'deal associations batch read',
      body: { inputs: chunk.map((id) => ({ id })) },
      // 207: some deals have no company; the others are in `results`.
      accept: [207],
    });
    const body = parseVendor(associationsSchema, res.body, 'deal associations');
    for (const r of body.results) {
      const primary = r.to.find((t) => t.associationTypes.some((a) => a.typeId === PRIMARY_COMPANY_TYPE_ID));
      const company = primary ?? r.to[0];
      if (company !== undefined) out.set(r.from.id, company.toObjectId);
    }
  }
  return out;
}

/**
 * The contacts associated with each deal (deals without contacts are absent). One batch read per 100
 * deals; a deal with more associations than one page holds is asked again with its `after`.
 */
export async function dealContacts(client: HubSpotHttpClient, version: string, dealIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  let inputs: Array<{ id: string; after?: string }> = dealIds.map((id) => ({ id }));
  while (inputs.length > 0) {
    const next: Array<{ id: string; after: string }> = [];
    for (let i = 0; i < inputs.length; i += ASSOCIATION_BATCH) {
      const res = await client.request({
        method: 'POST',
        path: associationsPath(version, 'contacts'),
        label: 'deal contacts batch read',
        body: { inputs: inputs.slice(i, i + ASSOCIATION_BATCH) },
        accept: [207],
      });
      const body = parseVendor(associationsSchema, res.body, 'deal contact associations');
      for (const r of body.results) {
        const list = out.get(r.from.id) ?? [];
        for (const t of r.to) if (!list.includes(t.toObjectId)) list.push(t.toObjectId);
        if (list.length > 0) out.set(r.from.id, list);
        const after = r.paging?.next?.after;
        if (after) next.push({ id: r.from.id, after });
      }
    }
    inputs = next;
  }
  return out;
}

export async function fetchHubSpotClosedDeals(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  since: string,
  onProgress?: (deals: number) => void,
): Promise<CrmClosedDeal[]> {
  const deals = await searchClosedDeals(client, paths, since, onProgress);
  const companies = await dealCompanies(client, paths.version, deals.map((d) => d.id));
  return deals.map((d) => {
    const accountId = companies.get(d.id);
    return accountId === undefined ? d : { ...d, accountId };
  });
}
