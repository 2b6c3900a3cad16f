/**
 * Built-in mappings, the table of PRODUCT.md §3. `config/mappings.yaml` ships the same content with
 * every option documented; a test keeps the two equal.
 */
import { DEFAULT_OUTPUT_NAMES as HUBSPOT_OUTPUT_NAMES } from '../connectors/hubspot/output-fields.ts';
import { DEFAULT_OUTPUT_FIELD_NAMES as SALESFORCE_OUTPUT_NAMES } from '../connectors/salesforce/output-fields.ts';
import type { OutputKey } from '../connectors/port.ts';
import type { AttributeMapping, Mappings, ObjectMapping, Transform } from './types.ts';
import { DEFAULT_VIEWS } from './views.ts';

const attr = (fields: string[], ...transforms: Transform[]): AttributeMapping => ({
  fields,
  transforms,
  preferEnriched: false,
});
const num: Transform = { kind: 'number' };
const country: Transform = { kind: 'country' };
const host: Transform = { kind: 'host' };
const text: Transform = { kind: 'text' };

const split: Transform = { kind: 'split', separator: ';' };

type Names = Readonly<Record<OutputKey, string>>;
const pick = (names: Names, keys: readonly OutputKey[]): ObjectMapping['outputs'] => Object.fromEntries(keys.map((k) => [k, names[k]]));
const FIT_KEYS: readonly OutputKey[] = ['score', 'tier', 'tags', 'reasons', 'completeness', 'modelVersion', 'scoredAt'];
const ACCOUNT_KEYS: readonly OutputKey[] = [...FIT_KEYS, 'committeeCoverage', 'missingRoles'];
const PERSON_KEYS: readonly OutputKey[] = ['buyingRole', 'priorityScore', 'priorityTier', 'accountTier', 'modelVersion', 'scoredAt'];
const LEAD_KEYS: readonly OutputKey[] = [...FIT_KEYS, 'buyingRole', 'priorityScore', 'priorityTier'];

/**
 * Attributes of people (PRODUCT.md §2, buying roles): read only when the model has roles, so that a
 * model without roles reads exactly what it always did.
 */
export const PERSON_ATTRIBUTES: readonly string[] = ['job_title', 'buying_role'];

/**
 * Salesforce pseudo-field: the distinct `Role` values of a Contact's OpportunityContactRoles, filled
 * by the connector (one query per batch) when a read of Contacts asks for it.
 */
export const CONTACT_ROLES_FIELD = 'OpportunityContactRole.Role';

const hubspotCompanies: ObjectMapping = {
  attributes: {
    name: attr(['name'], text),
    domain: attr(['domain'], host),
    industry: attr(['industry'], text),
    employees: attr(['numberofemployees'], num),
    annual_revenue: attr(['annualrevenue'], num),
    country: attr(['country'], country),
    state: attr(['state'], text),
    city: attr(['city'], text),
    postal_code: attr(['zip'], text),
    founded_year: attr(['founded_year'], num),
  },
  outputs: pick(HUBSPOT_OUTPUT_NAMES, ACCOUNT_KEYS),
};

const hubspotContacts: ObjectMapping = {
  attributes: {
    job_title: attr(['jobtitle'], text),
    buying_role: attr(['hs_buying_role'], split),
  },
  outputs: pick(HUBSPOT_OUTPUT_NAMES, PERSON_KEYS),
};

const salesforceAccount: ObjectMapping = {
  attributes: {
    name: attr(['Name'], text),
    domain: attr(['Website'], host),
    industry: attr(['Industry'], text),
    employees: attr(['NumberOfEmployees'], num),
    annual_revenue: attr(['AnnualRevenue'], num),
    country: attr(['BillingCountryCode', 'BillingCountry'], country),
    state: attr(['BillingState'], text),
    city: attr(['BillingCity'], text),
    postal_code: attr(['BillingPostalCode'], text),
    founded_year: attr(['YearStarted'], num),
  },
  outputs: pick(SALESFORCE_OUTPUT_NAMES, ACCOUNT_KEYS),
};

const salesforceContact: ObjectMapping = {
  attributes: {
    job_title: attr(['Title'], text),
    buying_role: attr([CONTACT_ROLES_FIELD]),
  },
  outputs: pick(SALESFORCE_OUTPUT_NAMES, PERSON_KEYS),
};

const salesforceLead: ObjectMapping = {
  attributes: {
    name: attr(['Company'], text),
    domain: attr(['Website'], host),
    industry: attr(['Industry'], text),
    employees: attr(['NumberOfEmployees'], num),
    annual_revenue: attr(['AnnualRevenue'], num),
    country: attr(['CountryCode', 'Country'], country),
    state: attr(['State'], text),
    city: attr(['City'], text),
    postal_code: attr(['PostalCode'], text),
    job_title: attr(['Title'], text),
  },
  outputs: pick(SALESFORCE_OUTPUT_NAMES, LEAD_KEYS),
};

export const DEFAULT_MAPPINGS: Mappings = {
  hubspot: { companies: hubspotCompanies, contacts: hubspotContacts },
  salesforce: { Account: salesforceAccount, Lead: salesforceLead, Contact: salesforceContact },
  views: DEFAULT_VIEWS,
};
