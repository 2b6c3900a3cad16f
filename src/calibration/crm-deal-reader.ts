/**
 * Closed deals read from a CRM as calibration rows, for the `calibrate --crm` command and the running
 * service's model-health monitor alike: each deal with its account's mapped attributes, its outcome,
 * amount, dates, lost reason and the buying roles present on it. Every read is batched through the
 * connector's client (shared rate limits, typed errors): no call per deal.
 *
 * Roles on a deal (when the model has `roles`): HubSpot, the deal's associated contacts, each resolved
 * by the roles core from its job title and `hs_buying_role`; Salesforce, the Opportunity's
 * OpportunityContactRoles, each resolved from the `Role` it plays on that Opportunity (its explicit
 * role) and the Contact's title.
 */
import { HubSpotHttpClient } from '../connectors/hubspot/http-client.ts';
import { hubspotPaths } from '../connectors/hubspot/paths.ts';
import type { CrmConnector, CrmRecord } from '../connectors/port.ts';
import { SalesforceClient } from '../connectors/salesforce/client.ts';
import { accountIds, type AccountRow } from '../domain/calibration/account-row.ts';
import { compileRoles, NO_ROLE, personInput, type CompiledRoles, type RoleCrm } from '../domain/roles.ts';
import type { IcpModel } from '../domain/types.ts';
import { inputFields, mapRecord } from '../mappings/apply.ts';
import type { Mappings, ObjectMapping } from '../mappings/types.ts';
import { dealCompanies, dealContacts, searchClosedDeals, type CrmClosedDeal } from './hubspot-deals.ts';
import { describeFields, fetchSalesforceClosedDeals, lostReasonFieldOf, opportunityContactRoles, type OpportunityContact } from './salesforce-deals.ts';

export type CalibrationCrm = 'hubspot' | 'salesforce';

/** The account object whose attributes describe a deal's buyer. */
export const ACCOUNT_OBJECT: Record<CalibrationCrm, string> = { hubspot: 'companies', salesforce: 'Account' };
/** The people object whose roles are read for the deals. */
const PERSON_OBJECT: Record<CalibrationCrm, string> = { hubspot: 'contacts', salesforce: 'Contact' };

export interface DealReadOptions {
  crm: CalibrationCrm;
  connector: CrmConnector;
  mappings: Mappings;
  /** The model whose `roles` resolve the people on deals; without roles, `roles` stays absent. */
  model?: IcpModel;
  /** HubSpot CRM API version in paths (`2026-03` or `v3`). */
  hubspotApiVersion: string;
  /** Salesforce: the Opportunity field holding the loss reason (`Loss_Reason__c`); none when empty. */
  salesforceLostReasonField?: string;
  onProgress?: (deals: number) => void;
}

export interface DealRead {
  rows: AccountRow[];
  /** Closed deals left out because they have no company / Account. */
  withoutAccount: number;
  /** What the reader could not do, in words (e.g. the loss-reason field is not in the org). */
  notes: string[];
}

export function accountRow(mapping: ObjectMapping, record: CrmRecord, source: string, deal?: CrmClosedDeal): AccountRow {
  const { attributes, unrecognised } = mapRecord(mapping, record);
  return {
    ids: accountIds(record.id, attributes['domain'], attributes['name']),
    attributes,
    source,
    ...(unrecognised.length === 0 ? {} : { unrecognised: unrecognised.map((u) => ({ attribute: u.attribute, value: u.value })) }),
    ...(deal === undefined
      ? {}
      : {
          won: deal.won,
          ...(deal.amount === undefined ? {} : { amount: deal.amount }),
          ...(deal.cycleDays === undefined ? {} : { cycleDays: deal.cycleDays }),
          ...(deal.closeDate === undefined ? {} : { closeDate: deal.closeDate }),
          ...(deal.roles === undefined ? {} : { roles: deal.roles }),
          ...(deal.lostReason === undefined ? {} : { lostReason: deal.lostReason }),
        }),
  };
}

async function readInChunks(connector: CrmConnector, objectType: string, ids: readonly string[], fields: readonly string[]): Promise<Map<string, CrmRecord>> {
  const out = new Map<string, CrmRecord>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += connector.batchSize.read) {
    for (const r of await connector.readByIds(objectType, unique.slice(i, i + connector.batchSize.read), fields)) out.set(r.id, r);
  }
  return out;
}

/** Role ids of a deal's people, in the model's order, without `none`. */
function dealRoles(roles: CompiledRoles, people: Iterable<{ title: string | null; explicit: readonly string[] }>, crm: RoleCrm): string[] {
  const held = new Set<string>();
  for (const p of people) {
    const r = roles.resolve(p, crm).role;
    if (r !== NO_ROLE) held.add(r);
  }
  return roles.roles.map((r) => r.id).filter((id) => held.has(id));
}

function clientOf(connector: CrmConnector): unknown {
  return (connector as { client?: unknown }).client;
}

async function readHubSpot(o: DealReadOptions, since: string, mapping: ObjectMapping, roles: CompiledRoles | null): Promise<DealRead> {
  const client = clientOf(o.connector);
  if (!(client instanceof HubSpotHttpClient)) throw new Error('the HubSpot connector exposes no client');
  const paths = hubspotPaths(o.hubspotApiVersion);
  const deals = await searchClosedDeals(client, paths, since, o.onProgress);
  const ids = deals.map((d) => d.id);
  const companyOf = await dealCompanies(client, paths.version, ids);
  const companies = await readInChunks(o.connector, 'companies', [...companyOf.values()], inputFields(mapping));
  const rolesOf = new Map<string, string[]>();
  const personMapping = o.mappings.hubspot[PERSON_OBJECT.hubspot];
  if (roles !== null && personMapping !== undefined) {
    const contactsOf = await dealContacts(client, paths.version, ids);
    const contacts = await readInChunks(o.connector, 'contacts', [...contactsOf.values()].flat(), inputFields(personMapping));
    for (const d of deals) {
      const people = (contactsOf.get(d.id) ?? []).flatMap((id) => {
        const c = contacts.get(id);
        return c === undefined ? [] : [personInput(mapRecord(personMapping, c).attributes)];
      });
      rolesOf.set(d.id, dealRoles(roles, people, 'hubspot'));
    }
  }
  const rows: AccountRow[] = [];
  let withoutAccount = 0;
  for (const d of deals) {
    const companyId = companyOf.get(d.id);
    const company = companyId === undefined ? undefined : companies.get(companyId);
    const dealRolesHere = rolesOf.get(d.id);
    if (company === undefined) withoutAccount++;
    else rows.push(accountRow(mapping, company, `deal ${d.id}`, { ...d, accountId: company.id, ...(dealRolesHere === undefined ? {} : { roles: dealRolesHere }) }));
  }
  return { rows, withoutAccount, notes: [] };
}

async function readSalesforce(o: DealReadOptions, since: string, mapping: ObjectMapping, roles: CompiledRoles | null): Promise<DealRead> {
  const client = clientOf(o.connector);
  if (!(client instanceof SalesforceClient)) throw new Error('the Salesforce connector exposes no client');
  const notes: string[] = [];
  const wanted = o.salesforceLostReasonField;
  const lostReasonField = await lostReasonFieldOf(client, wanted);
  if (wanted !== undefined && wanted.trim() !== '' && lostReasonField === undefined) {
    notes.push(`Opportunity has no field ${wanted} (or the integration user cannot read it): lost reasons are not read (set SALESFORCE_LOST_REASON_FIELD)`);
  }
  // Mapped Account fields the org lacks (BillingPostalCode without address fields, a feature's field) would
  // fail the whole query: only those the describe lists are asked for; the others read as empty.
  const accountFields = await describeFields(client, 'Account');
  const fields = inputFields(mapping).filter((f) => accountFields.has(f.toLowerCase()));
  const deals = await fetchSalesforceClosedDeals(client, fields, since, o.onProgress, lostReasonField);
  const rolesOf = new Map<string, string[]>();
  const personMapping = o.mappings.salesforce[PERSON_OBJECT.salesforce];
  if (roles !== null) {
    const contactRoles = await opportunityContactRoles(client, deals.map((d) => d.id));
    // Only the title is read from the Contact: its role on this Opportunity is the contact role's own.
    const titleMapping: ObjectMapping | undefined =
      personMapping?.attributes['job_title'] === undefined ? undefined : { attributes: { job_title: personMapping.attributes['job_title'] }, outputs: {} };
    const contactIds = [...contactRoles.values()].flat().map((r) => r.contactId);
    const contacts = titleMapping === undefined ? new Map<string, CrmRecord>() : await readInChunks(o.connector, 'Contact', contactIds, inputFields(titleMapping));
    const titleOf = (id: string): string | null => {
      const c = contacts.get(id) ?? [...contacts.values()].find((x) => x.id.slice(0, 15) === id.slice(0, 15));
      if (c === undefined || titleMapping === undefined) return null;
      return personInput(mapRecord(titleMapping, c).attributes).title;
    };
    for (const d of deals) {
      const people = (contactRoles.get(d.id) ?? []).map((r: OpportunityContact) => ({ title: titleOf(r.contactId), explicit: r.role === null ? [] : [r.role] }));
      rolesOf.set(d.id, dealRoles(roles, people, 'salesforce'));
    }
  }
  const rows: AccountRow[] = [];
  let withoutAccount = 0;
  for (const d of deals) {
    const dealRolesHere = rolesOf.get(d.id);
    if (d.account === undefined) withoutAccount++;
    else rows.push(accountRow(mapping, d.account, `Opportunity ${d.id}`, dealRolesHere === undefined ? d : { ...d, roles: dealRolesHere }));
  }
  return { rows, withoutAccount, notes };
}

/** Closed deals since `since` (`YYYY-MM-DD`), one row per deal with an account. */
export async function readClosedDealRows(o: DealReadOptions, since: string): Promise<DealRead> {
  const mapping = o.mappings[o.crm][ACCOUNT_OBJECT[o.crm]];
  if (mapping === undefined) throw new Error(`no ${o.crm} ${ACCOUNT_OBJECT[o.crm]} mapping`);
  const roles = o.model === undefined ? null : compileRoles(o.model);
  return o.crm === 'hubspot' ? readHubSpot(o, since, mapping, roles) : readSalesforce(o, since, mapping, roles);
}
