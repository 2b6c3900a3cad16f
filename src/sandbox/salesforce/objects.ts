/**
 * The sandbox's objects as Salesforce defines them: names, standard fields (the inputs whose change sends an
 * outbound message), lookups, required fields and standard picklists, and the checks a create or update of a
 * person's record goes through.
 */
import { KEY_PREFIX, to18 } from './ids.ts';

export type SObjectName = 'Account' | 'Lead' | 'Contact' | 'Opportunity' | 'OpportunityContactRole';

export const SOBJECTS: readonly SObjectName[] = ['Account', 'Lead', 'Contact', 'Opportunity', 'OpportunityContactRole'];

/** Objects icp-sync writes through collections and Bulk API 2.0. */
export const WRITABLE_SOBJECTS: readonly SObjectName[] = ['Account', 'Lead', 'Contact'];

/**
 * The `ContactRole` standard value set of a new org (OpportunityContactRole.Role).
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/standardvalueset_names.htm
 */
export const CONTACT_ROLE_VALUES: readonly string[] = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
];
const AUDIT = ['CreatedDate', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted'] as const;

/**
 * Standard fields per object. `input` fields changing make an outbound message (the criteria of the flows in
 * `integrations/salesforce`); objects without input fields send none.
 */
export const STANDARD_FIELDS: Readonly<Record<SObjectName, { input: readonly string[]; other: readonly string[] }>> = {
  Account: {
    input: ['Name', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'BillingCountry', 'BillingCountryCode', 'BillingState', 'BillingCity', 'BillingPostalCode', 'YearStarted'],
    other: ['Id', 'OwnerId', ...AUDIT],
  },
  Lead: {
    input: ['Company', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'Country', 'CountryCode', 'State', 'City', 'Title'],
    other: ['Id', 'FirstName', 'LastName', 'Status', 'IsConverted', 'OwnerId', ...AUDIT],
  },
  Contact: {
    input: ['Title', 'AccountId'],
    other: ['Id', 'FirstName', 'LastName', 'OwnerId', ...AUDIT],
  },
  Opportunity: {
    input: [],
    other: ['Id', 'Name', 'AccountId', 'StageName', 'IsClosed', 'IsWon', 'CloseDate', 'Amount', 'OwnerId', ...AUDIT],
  },
  OpportunityContactRole: {
    input: [],
    other: ['Id', 'ContactId', 'OpportunityId', 'Role', 'IsPrimary', ...AUDIT],
  },
};

/**
 * Label and describe type of the standard fields, as a new org's describe gives them (Object
 * Reference, "Account", "Lead"…; `fields[].type` values of the REST describe). `Id` is labelled
 * after its object ("Account ID").
 */
const STANDARD_FIELD_META: Readonly<Record<string, { label: string; type: string }>> = {
  Name: { label: 'Name', type: 'string' },
  Website: { label: 'Website', type: 'url' },
  Industry: { label: 'Industry', type: 'picklist' },
  NumberOfEmployees: { label: 'Employees', type: 'int' },
  AnnualRevenue: { label: 'Annual Revenue', type: 'currency' },
  BillingCountry: { label: 'Billing Country', type: 'string' },
  BillingCountryCode: { label: 'Billing Country Code', type: 'picklist' },
  BillingState: { label: 'Billing State/Province', type: 'string' },
  BillingCity: { label: 'Billing City', type: 'string' },
  BillingPostalCode: { label: 'Billing Zip/Postal Code', type: 'string' },
  YearStarted: { label: 'Year Started', type: 'string' },
  Company: { label: 'Company', type: 'string' },
  Country: { label: 'Country', type: 'string' },
  CountryCode: { label: 'Country Code', type: 'picklist' },
  State: { label: 'State/Province', type: 'string' },
  City: { label: 'City', type: 'string' },
  Title: { label: 'Title', type: 'string' },
  FirstName: { label: 'First Name', type: 'string' },
  LastName: { label: 'Last Name', type: 'string' },
  Status: { label: 'Status', type: 'picklist' },
  IsConverted: { label: 'Converted', type: 'boolean' },
  AccountId: { label: 'Account ID', type: 'reference' },
  ContactId: { label: 'Contact ID', type: 'reference' },
  OpportunityId: { label: 'Opportunity ID', type: 'reference' },
  OwnerId: { label: 'Owner ID', type: 'reference' },
  StageName: { label: 'Stage', type: 'picklist' },
  IsClosed: { label: 'Closed', type: 'boolean' },
  IsWon: { label: 'Won', type: 'boolean' },
  CloseDate: { label: 'Close Date', type: 'date' },
  Amount: { label: 'Amount', type: 'currency' },
  Role: { label: 'Role', type: 'picklist' },
  IsPrimary: { label: 'Primary', type: 'boolean' },
  CreatedDate: { label: 'Created Date', type: 'datetime' },
  LastModifiedDate: { label: 'Last Modified Date', type: 'datetime' },
  LastModifiedById: { label: 'Last Modified By ID', type: 'reference' },
  SystemModstamp: { label: 'System Modstamp', type: 'datetime' },
  IsDeleted: { label: 'Deleted', type: 'boolean' },
};

/** The describe label and type of a standard field (`Id`: "Account ID", type `id`). */
export function standardFieldMeta(objectType: string, field: string): { label: string; type: string } {
  if (field === 'Id') return { label: `${objectType.replace(/([a-z])([A-Z])/g, '$1 $2')} ID`, type: 'id' };
  if (field === 'Name' && (objectType === 'Account' || objectType === 'Opportunity')) return { label: `${objectType} Name`, type: 'string' };
  if (field === 'Name') return { label: 'Full Name', type: 'string' };
  return STANDARD_FIELD_META[field] ?? { label: field, type: 'string' };
}

/** Standard lookups: field → object it points to (checked on create and update). */
const LOOKUPS: Readonly<Partial<Record<SObjectName, Readonly<Record<string, SObjectName>>>>> = {
  Contact: { AccountId: 'Account' },
  Opportunity: { AccountId: 'Account' },
  OpportunityContactRole: { ContactId: 'Contact', OpportunityId: 'Opportunity' },
};

/**
 * The parent object a relationship name reaches in SOQL (`Account.Name` on Opportunity → Account, through
 * `AccountId`), or `undefined` when the object has no such lookup.
 */
export function relationshipTarget(objectType: SObjectName, relationship: string): { field: string; target: SObjectName } | undefined {
  const lookups = LOOKUPS[objectType] ?? {};
  const field = Object.keys(lookups).find((f) => f.toLowerCase() === `${relationship.toLowerCase()}id`);
  const target = field === undefined ? undefined : lookups[field];
  return field === undefined || target === undefined ? undefined : { field, target };
}

/** Opportunity stages of a new org and whether each is closed / won. */
export const OPPORTUNITY_STAGES: Readonly<Record<string, { closed: boolean; won: boolean }>> = {
  Prospecting: { closed: false, won: false },
  Qualification: { closed: false, won: false },
  'Needs Analysis': { closed: false, won: false },
  'Proposal/Price Quote': { closed: false, won: false },
  'Negotiation/Review': { closed: false, won: false },
  'Closed Won': { closed: true, won: true },
  'Closed Lost': { closed: true, won: false },
};

/**
 * Fields that exist only when State and Country/Territory Picklists are enabled in the org.
 * https://help.salesforce.com/s/articleView?id=sf.admin_state_country_picklists_overview.htm
 */
export const COUNTRY_PICKLIST_FIELDS: Readonly<Record<SObjectName, readonly string[]>> = {
  Account: ['BillingCountryCode'],
  Lead: ['CountryCode'],
  Contact: [],
  Opportunity: [],
  OpportunityContactRole: [],
};

/** What the checks read of the org. */
export interface RecordSource {
  fieldExists(objectType: SObjectName, field: string): boolean;
  readonly records: Readonly<Record<SObjectName, ReadonlyMap<string, Readonly<Record<string, unknown>>>>>;
}

/** Salesforce's checks on a person's create or update: required fields, picklists, lookups. Throws `CODE: message`. */
export function checkRecord(org: RecordSource, objectType: SObjectName, fields: Readonly<Record<string, unknown>>, creating: boolean): void {
  for (const f of Object.keys(fields)) {
    if (!org.fieldExists(objectType, f)) throw new Error(`INVALID_FIELD: No such column '${f}' on sobject of type ${objectType}`);
  }
  const required: Partial<Record<SObjectName, readonly string[]>> = {
    Contact: ['LastName'],
    Opportunity: ['Name', 'StageName', 'CloseDate'],
    OpportunityContactRole: ['ContactId', 'OpportunityId'],
  };
  for (const f of creating ? (required[objectType] ?? []) : []) {
    if (fields[f] === undefined || fields[f] === null || fields[f] === '') throw new Error(`REQUIRED_FIELD_MISSING: Required fields are missing: [${f}]`);
  }
  if (!creating && objectType === 'OpportunityContactRole' && 'OpportunityId' in fields) {
    throw new Error('INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: OpportunityId');
  }
  if (objectType === 'OpportunityContactRole' && fields.Role !== undefined && fields.Role !== null && !CONTACT_ROLE_VALUES.includes(String(fields.Role))) {
    throw new Error(`INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Role: bad value for restricted picklist field: ${String(fields.Role)}`);
  }
  if (objectType === 'Opportunity' && fields.StageName !== undefined && !(String(fields.StageName) in OPPORTUNITY_STAGES)) {
    throw new Error(`INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Stage: bad value for restricted picklist field: ${String(fields.StageName)}`);
  }
  for (const [field, target] of Object.entries(LOOKUPS[objectType] ?? {})) {
    const v = fields[field];
    if (v === undefined || v === null) continue;
    const id18 = to18(String(v));
    if (!id18 || !id18.startsWith(KEY_PREFIX[target])) throw new Error(`FIELD_INTEGRITY_EXCEPTION: ${field}: id value of incorrect type: ${String(v)}`);
    const row = org.records[target].get(id18);
    if (!row || row.IsDeleted === true) throw new Error(`INVALID_CROSS_REFERENCE_KEY: invalid cross reference id`);
  }
}
