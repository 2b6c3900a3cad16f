/**
 * Built-in mappings, the table of PRODUCT.md §3. `config/mappings.yaml` ships the same content with
 * every option documented; a test keeps the two equal.
 */
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
    founded_year: attr(['founded_year'], num),
  },
  outputs: {},
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
    founded_year: attr(['YearStarted'], num),
  },
  outputs: {},
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
  },
  outputs: {},
};

export const DEFAULT_MAPPINGS: Mappings = {
  hubspot: { companies: hubspotCompanies },
  salesforce: { Account: salesforceAccount, Lead: salesforceLead },
};
