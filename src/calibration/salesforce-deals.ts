/**
 * Closed Salesforce Opportunities with their Account's mapped fields, in one SOQL query paged with
 * `nextRecordsUrl`, through the connector's choke point (`SalesforceClient`: session, call gate,
 * retries, typed errors). Opportunities are not part of the connector port: only calibration
 * reads them. Outcome from `IsWon`; `CloseDate` is a date (no time zone), `CreatedDate` a date-time.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm
 */
import { z } from 'zod';
import type { SalesforceClient } from '../connectors/salesforce/client.ts';
import { QUERY_PAGE_SIZE } from '../connectors/salesforce/limits.ts';
import { soqlName } from '../connectors/salesforce/soql.ts';
import type { CrmRecord } from '../connectors/port.ts';
import { daysBetween, parseCloseDate } from '../domain/calibration/deal.ts';
import { parseNumber } from '../domain/normalize.ts';
import type { CrmClosedDeal } from './hubspot-deals.ts';

const opportunity = z.looseObject({
  Id: z.string(),
  Amount: z.union([z.number(), z.string()]).nullish(),
  IsWon: z.boolean().nullish(),
  IsClosed: z.boolean().nullish(),
  CloseDate: z.string().nullish(),
  CreatedDate: z.string().nullish(),
  AccountId: z.string().nullish(),
  Account: z.record(z.string(), z.unknown()).nullish(),
});

const queryResult = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(opportunity),
});

export interface SalesforceClosedDeal extends CrmClosedDeal {
  /** The Account's requested fields, as a CRM record (absent without an Account). */
  account?: CrmRecord;
}

/** The SOQL for Opportunities closed on or after `since` (`YYYY-MM-DD`), with Account fields. */
export function closedOpportunitiesSoql(accountFields: readonly string[], since: string): string {
  if (parseCloseDate(since) !== since) throw new RangeError(`"${since}" is not a YYYY-MM-DD date`);
  const account = [...new Set(accountFields.map(soqlName).filter((f) => f !== 'Id'))].map((f) => `Account.${f}`);
  const select = ['Id', 'Amount', 'IsWon', 'IsClosed', 'CloseDate', 'CreatedDate', 'AccountId', ...account].join(', ');
  // CloseDate is a date field: its literal is unquoted YYYY-MM-DD.
  return `SELECT ${select} FROM Opportunity WHERE IsClosed = true AND CloseDate >= ${since} ORDER BY CloseDate ASC, Id ASC`;
}

export async function fetchSalesforceClosedDeals(
  client: SalesforceClient,
  accountFields: readonly string[],
  since: string,
  onProgress?: (deals: number) => void,
): Promise<SalesforceClosedDeal[]> {
  const headers = { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` };
  let url: string | undefined = `/query?q=${encodeURIComponent(closedOpportunitiesSoql(accountFields, since))}`;
  const out: SalesforceClosedDeal[] = [];
  while (url !== undefined) {
    const page: z.infer<typeof queryResult> = await client.rest('closedOpportunities', { method: 'GET', url, headers }, queryResult);
    for (const r of page.records) {
      if (r.IsClosed === false) continue;
      const amount = parseNumber(r.Amount);
      const closeDate = parseCloseDate(r.CloseDate);
      const cycleDays = daysBetween(r.CreatedDate, r.CloseDate);
      const deal: SalesforceClosedDeal = {
        id: r.Id,
        won: r.IsWon === true,
        ...(amount === undefined ? {} : { amount }),
        ...(closeDate === undefined ? {} : { closeDate }),
        ...(cycleDays === undefined ? {} : { cycleDays }),
      };
      if (r.AccountId) {
        deal.accountId = r.AccountId;
        const fields: Record<string, unknown> = {};
        for (const f of accountFields) fields[f] = r.Account?.[f] ?? null;
        deal.account = { id: r.AccountId, fields };
      }
      out.push(deal);
    }
    onProgress?.(out.length);
    url = page.done ? undefined : page.nextRecordsUrl;
  }
  return out;
}
