/**
 * Built-in mappings, the table of PRODUCT.md §3. `config/mappings.yaml` ships the same content with
 * every option documented; a test keeps the two equal.
 */
import { DEFAULT_OUTPUT_NAMES as HUBSPOT_OUTPUT_NAMES } from '../connectors/hubspot/output-fields.ts';
import { DEFAULT_OUTPUT_FIELD_NAMES as SALESFORCE_OUTPUT_NAMES } from '../connectors/salesforce/output-fields.ts';
import type { AttributeMapping, Mappings, ObjectMapping, Transform } from './types.ts';

const attr = (fields: string[], ...transforms: Transform[]): AttributeMapping => ({
  fields,
  transforms,
  preferEnriched: false,
});
const num: Transform = { kind: 'number' };
const country: Transform = { kind: 'country' };
const host: Transform = { kind: 'host' };
const text: Transform = { kind: 'text' };

/** PRODUCT.md §3 output field names, as each connector defines them. */
const HUBSPOT_OUTPUTS: ObjectMapping['outputs'] = { ...HUBSPOT_OUTPUT_NAMES };
const SALESFORCE_OUTPUTS: ObjectMapping['outputs'] = { ...SALESFORCE_OUTPUT_NAMES };

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
  outputs: HUBSPOT_OUTPUTS,
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
  outputs: SALESFORCE_OUTPUTS,
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
  },
  outputs: SALESFORCE_OUTPUTS,
};

export const DEFAULT_MAPPINGS: Mappings = {
  hubspot: { companies: hubspotCompanies },
  salesforce: { Account: salesforceAccount, Lead: salesforceLead },
};
