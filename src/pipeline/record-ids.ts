/**
 * Record ids as each CRM compares them. Salesforce gives every record a 15-character id that is
 * case-sensitive and an 18-character form of the same id that adds a case checksum; the API accepts
 * either and always answers with the 18-character one
 * (https://help.salesforce.com/s/articleView?id=000385008&type=1). HubSpot ids are plain strings.
 */
import type { CrmName } from '../errors.ts';

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The first 15 characters of a Salesforce id (case kept); any other string as is. */
export function salesforceIdKey(id: string): string {
  return SALESFORCE_ID.test(id) ? id.slice(0, 15) : id;
}

/** True when two Salesforce ids name the same record (15- or 18-character forms, case-sensitive). */
export function sameSalesforceId(a: string, b: string): boolean {
  return salesforceIdKey(a) === salesforceIdKey(b);
}

/** The key under which a CRM's record id is compared and deduplicated. */
export function recordIdKey(crm: CrmName, id: string): string {
  return crm === 'salesforce' ? salesforceIdKey(id) : id;
}

/** Key prefixes of the Salesforce objects icp-sync syncs (the first 3 characters of every id). */
const SALESFORCE_PREFIXES: Readonly<Record<string, string>> = { '001': 'Account', '00Q': 'Lead', '003': 'Contact' };

/** The Salesforce object an id belongs to, from its key prefix; undefined for other ids. */
export function objectTypeOfId(id: string): string | undefined {
  return SALESFORCE_ID.test(id) ? SALESFORCE_PREFIXES[id.slice(0, 3)] : undefined;
}

const HUBSPOT_ID = /^[1-9]\d{0,19}$/;

/** True when `id` has the shape of a record id of `crm` (HubSpot: digits; Salesforce: 15 or 18 letters and digits). */
export function isRecordIdOf(crm: CrmName, id: string): boolean {
  return crm === 'salesforce' ? SALESFORCE_ID.test(id) : HUBSPOT_ID.test(id);
}

/** What a record id of `crm` looks like, for messages. */
export function recordIdShape(crm: CrmName): string {
  return crm === 'salesforce' ? '15 or 18 letters and digits' : 'digits';
}
