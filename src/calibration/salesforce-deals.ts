/**
 * Closed Salesforce Opportunities with their Account's mapped fields, in one SOQL query paged with
 * `nextRecordsUrl`, through the connector's choke point (`SalesforceClient`: session, call gate,
 * retries, typed errors). Opportunities are not part of the connector port: only calibration
 * reads them. Outcome from `IsWon`; `CloseDate` is a date (no time zone), `CreatedDate` a date-time.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm
 *
 * Opportunity has no standard loss-reason field: orgs add their own (often `Loss_Reason__c`), so the
 * field is configured (`SALESFORCE_LOST_REASON_FIELD`) and read only when the describe shows it. The
 * people on each Opportunity are its OpportunityContactRoles, read in batches of Opportunity ids.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunitycontactrole.html
 */
import { z } from 'zod';
import type { SalesforceClient } from '../connectors/salesforce/client.ts';
import { QUERY_PAGE_SIZE } from '../connectors/salesforce/limits.ts';
import { inListChunks } from '../connectors/salesforce/contact-roles.ts';
import { soqlInList, soqlName } from '../connectors/salesforce/soql.ts';
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

/** One OpportunityContactRole: the Contact and the role it plays on the Opportunity (null: none given). */
export interface OpportunityContact {
  contactId: string;
  role: string | null;
}

const describeResult = z.looseObject({ fields: z.array(z.looseObject({ name: z.string() })) });

/** The object's field names as the org spells them, by lower-cased name (absent or hidden fields are missing). */
export async function describeFields(client: SalesforceClient, objectType: string): Promise<Map<string, string>> {
  const d = await client.rest(`describe ${objectType}`, { method: 'GET', url: `/sobjects/${objectType}/describe` }, describeResult);
  return new Map(d.fields.map((f) => [f.name.toLowerCase(), f.name]));
}

/**
 * The configured loss-reason field as the org spells it, or `undefined` when the Opportunity describe
 * does not list it (absent, or hidden from the integration user by field-level security).
 */
export async function lostReasonFieldOf(client: SalesforceClient, field: string | undefined): Promise<string | undefined> {
  if (field === undefined || field.trim() === '') return undefined;
  return (await describeFields(client, 'Opportunity')).get(field.trim().toLowerCase());
}

/** The SOQL for Opportunities closed on or after `since` (`YYYY-MM-DD`), with Account fields. */
export function closedOpportunitiesSoql(accountFields: readonly string[], since: string, lostReasonField?: string): string {
  if (parseCloseDate(since) !== since) throw new RangeError(`"${since}" is not a YYYY-MM-DD date`);
  const account = [...new Set(accountFields.map(soqlName).filter((f) => f !== 'Id'))].map((f) => `Account.${f}`);
  const extra = lostReasonField === undefined ? [] : [soqlName(lostReasonField)];
  const select = ['Id', 'Amount', 'IsWon', 'IsClosed', 'CloseDate', 'CreatedDate', 'AccountId', ...extra, ...account].join(', ');
  // CloseDate is a date field: its literal is unquoted YYYY-MM-DD.
  return `SELECT ${select} FROM Opportunity WHERE IsClosed = true AND CloseDate >= ${since} ORDER BY CloseDate ASC, Id ASC`;
}

export async function fetchSalesforceClosedDeals(
  client: SalesforceClient,
  accountFields: readonly string[],
  since: string,
  onProgress?: (deals: number) => void,
  lostReasonField?: string,
): Promise<SalesforceClosedDeal[]> {
  const headers = { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` };
  let url: string | undefined = `/query?q=${encodeURIComponent(closedOpportunitiesSoql(accountFields, since, lostReasonField))}`;
  const out: SalesforceClosedDeal[] = [];
  while (url !== undefined) {
    const page: z.infer<typeof queryResult> = await client.rest('closedOpportunities', { method: 'GET', url, headers }, queryResult);
    for (const r of page.records) {
      if (r.IsClosed === false) continue;
      const amount = parseNumber(r.Amount);
      const closeDate = parseCloseDate(r.CloseDate);
      const cycleDays = daysBetween(r.CreatedDate, r.CloseDate);
      const won = r.IsWon === true;
      const reason = lostReasonField === undefined ? undefined : r[lostReasonField];
      const lostReason = !won && typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
      const deal: SalesforceClosedDeal = {
        id: r.Id,
        won,
        ...(lostReason === undefined ? {} : { lostReason }),
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

const ROLE_HEAD = 'SELECT OpportunityId, ContactId, Role FROM OpportunityContactRole WHERE OpportunityId IN ';
const ROLE_TAIL = ' ORDER BY OpportunityId ASC, CreatedDate ASC, Id ASC';

const contactRoleRows = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.looseObject({ OpportunityId: z.string(), ContactId: z.string().nullish(), Role: z.string().nullish() })),
});

/** The SOQL that reads the contact roles of these Opportunities. */
export function opportunityContactRolesSoql(opportunityIds: readonly string[]): string {
  return `${ROLE_HEAD}${soqlInList(opportunityIds)}${ROLE_TAIL}`;
}

/**
 * Opportunity id → its OpportunityContactRoles (Contact and Role). One query per batch of ids (the list
 * cut to the URI budget), further pages followed; Opportunities without contact roles are absent.
 */
export async function opportunityContactRoles(client: SalesforceClient, opportunityIds: readonly string[]): Promise<Map<string, OpportunityContact[]>> {
  const out = new Map<string, OpportunityContact[]>();
  const headers = { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` };
  const fixed = encodeURIComponent(`${ROLE_HEAD}()${ROLE_TAIL}`).length + '/query?q='.length;
  for (const chunk of inListChunks(opportunityIds, fixed)) {
    let url: string | undefined = `/query?q=${encodeURIComponent(opportunityContactRolesSoql(chunk))}`;
    while (url !== undefined) {
      const page: z.infer<typeof contactRoleRows> = await client.rest('opportunityContactRoles', { method: 'GET', url, headers }, contactRoleRows);
      for (const r of page.records) {
        if (!r.ContactId) continue;
        const list = out.get(r.OpportunityId) ?? [];
        list.push({ contactId: r.ContactId, role: r.Role ?? null });
        out.set(r.OpportunityId, list);
      }
      url = page.done ? undefined : page.nextRecordsUrl;
    }
  }
  return out;
}
