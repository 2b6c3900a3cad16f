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

/** PRODUCT.md §3 output field names. */
const HUBSPOT_OUTPUTS: ObjectMapping['outputs'] = {
  score: 'icp_fit_score',
  tier: 'icp_tier',
  tags: 'icp_tags',
  reasons: 'icp_fit_reasons',
  completeness: 'icp_completeness',
  modelVersion: 'icp_model_version',
  scoredAt: 'icp_scored_at',
};
const SALESFORCE_OUTPUTS: ObjectMapping['outputs'] = {
  score: 'ICP_Fit_Score__c',
  tier: 'ICP_Tier__c',
  tags: 'ICP_Tags__c',
  reasons: 'ICP_Fit_Reasons__c',
  completeness: 'ICP_Completeness__c',
  modelVersion: 'ICP_Model_Version__c',
  scoredAt: 'ICP_Scored_At__c',
};

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
