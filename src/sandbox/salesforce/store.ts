/**
 * The sandbox org's state: records, custom fields and permission sets (field-level security applies:
 * a custom field is invisible to a user until an assigned permission set grants it), API usage, sessions,
 * injected faults and per-route call counts. Objects: Account, Lead, Contact, Opportunity and
 * OpportunityContactRole (deleted contact roles stay in the recycle bin: `IsDeleted`, seen by queryAll).
 */
import { KEY_PREFIX, makeId, to18 } from './ids.ts';
import { seedAccounts, seedLeads, seedPeople } from './seed.ts';

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
export type Row = Record<string, unknown> & { Id: string };

export interface CustomFieldMeta {
  fullName: string;
  label: string;
  type: string;
  precision?: number;
  scale?: number;
  length?: number;
  visibleLines?: number;
  description?: string;
  inlineHelpText?: string;
  valueSet?: { restricted: boolean; values: Array<{ fullName: string; label: string; default: boolean }> };
}

export interface FieldPermission {
  field: string;
  readable: boolean;
  editable: boolean;
}

export interface ObjectPermission {
  object: string;
  allowRead: boolean;
  allowEdit: boolean;
  allowCreate: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface PermissionSetMeta {
  id: string;
  fullName: string;
  label: string;
  description?: string;
  fieldPermissions: FieldPermission[];
  objectPermissions: ObjectPermission[];
}

export interface ChangeEvent {
  objectType: SObjectName;
  id: string;
  changedFields: string[];
  userId: string;
}

const AUDIT = ['CreatedDate', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted'] as const;

/**
 * Standard fields per object. `input` fields changing make an outbound message (the criteria of the flows in
 * `integrations/salesforce`); objects without input fields send none.
 */
export const STANDARD_FIELDS: Readonly<Record<SObjectName, { input: readonly string[]; other: readonly string[] }>> = {
  Account: {
    input: ['Name', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'BillingCountry', 'BillingCountryCode', 'BillingState', 'BillingCity', 'YearStarted'],
    other: ['Id', 'OwnerId', ...AUDIT],
  },
  Lead: {
    input: ['Company', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'Country', 'CountryCode', 'State', 'City', 'Title'],
    other: ['Id', 'LastName', 'Status', 'IsConverted', 'OwnerId', ...AUDIT],
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

/** Standard lookups: field → object it points to (checked on create and update). */
const LOOKUPS: Readonly<Partial<Record<SObjectName, Readonly<Record<string, SObjectName>>>>> = {
  Contact: { AccountId: 'Account' },
  Opportunity: { AccountId: 'Account' },
  OpportunityContactRole: { ContactId: 'Contact', OpportunityId: 'Opportunity' },
};

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

export interface SeededIds {
  accounts: string[];
  leads: string[];
  contacts: string[];
  opportunities: string[];
  contactRoles: string[];
}

export interface SandboxStoreOptions {
  /** Whether State and Country/Territory Picklists are on (the `…CountryCode` fields exist). Default true. */
  countryPicklists?: boolean;
}

/** Salesforce DateTime as the REST API prints it (`2026-11-26T10:00:00.000+0000`); seconds precision. */
export function sfDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('Z', '+0000');
}

export class SandboxStore {
  readonly orgId = makeId(KEY_PREFIX.Organization, 4242);
  readonly integrationUserId = makeId(KEY_PREFIX.User, 1);
  /** A sales rep whose edits the tests simulate. */
  readonly repUserId = makeId(KEY_PREFIX.User, 2);
  readonly integrationUsername: string;

  readonly records: Record<SObjectName, Map<string, Row>> = {
    Account: new Map(),
    Lead: new Map(),
    Contact: new Map(),
    Opportunity: new Map(),
    OpportunityContactRole: new Map(),
  };
  readonly customFields = new Map<string, CustomFieldMeta>();
  readonly permissionSets = new Map<string, PermissionSetMeta>();
  /** `${userId}:${permissionSetId}` → assignment id. */
  readonly assignments = new Map<string, string>();

  apiLimit = 100_000;
  apiUsed = 0;
  /** Record id → UNABLE_TO_LOCK_ROW failures still to give. */
  readonly lockFaults = new Map<string, number>();
  /** Next bulk ingest job fails after processing this many rows (then the rest are unprocessed). */
  bulkFailAfter: number | undefined;
  /** Whether the integration user may use the Metadata API ("Modify Metadata Through Metadata API Functions"). */
  metadataAccess = true;
  /** API requests being answered right now, and the most seen at once (concurrency checks). */
  inFlight = 0;
  maxInFlight = 0;
  /** Extra latency added to every API request, ms (lets tests overlap calls). */
  latencyMs = 0;
  /** Open query cursors (query locators) by id. */
  readonly queryLocators = new Map<string, { rows: Record<string, unknown>[]; pageSize: number }>();
  /** Route name → calls. */
  readonly stats = new Map<string, number>();
  /** Access token → session. */
  readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  /** Listeners told about every data change (outbound messages). */
  readonly changeListeners: Array<(e: ChangeEvent) => void> = [];

  /** Whether State and Country/Territory Picklists are on. */
  readonly countryPicklists: boolean;

  private seq = 1000;
  private clockMs = Date.now();

  constructor(integrationUsername: string, opts: SandboxStoreOptions = {}) {
    this.integrationUsername = integrationUsername;
    this.countryPicklists = opts.countryPicklists ?? true;
  }

  /** The object's standard fields in this org (the picklist code fields only when the feature is on). */
  standardFields(objectType: SObjectName): { input: readonly string[]; other: readonly string[] } {
    const std = STANDARD_FIELDS[objectType];
    if (this.countryPicklists) return std;
    const off = COUNTRY_PICKLIST_FIELDS[objectType];
    return { input: std.input.filter((f) => !off.includes(f)), other: std.other };
  }

  /** A seeded row as this org stores it: without the fields the org lacks. */
  private orgRow(objectType: SObjectName, row: Row): Row {
    if (this.countryPicklists) return row;
    const out: Row = { ...row };
    for (const f of COUNTRY_PICKLIST_FIELDS[objectType]) delete out[f];
    return out;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return makeId(prefix, this.seq);
  }

  /** Monotonic clock: two writes never share a SystemModstamp order by accident. */
  now(): number {
    this.clockMs = Math.max(this.clockMs + 1, Date.now());
    return this.clockMs;
  }

  count(route: string): void {
    this.stats.set(route, (this.stats.get(route) ?? 0) + 1);
  }

  /**
   * Creates `accounts` Accounts and `leads` Leads (with job titles) from a deterministic seed; with `people`,
   * also about 3 Contacts per Account (a few without Account), and Opportunities with contact roles on about a
   * third of the Accounts. Returns the ids.
   */
  seed(opts: { accounts?: number; leads?: number; seed?: number; people?: boolean }): SeededIds {
    const seed = opts.seed ?? 1;
    const ts = sfDateTime(this.now() - 86_400_000);
    const base = { OwnerId: this.repUserId, CreatedDate: ts, LastModifiedDate: ts, LastModifiedById: this.repUserId, SystemModstamp: ts, IsDeleted: false };
    const accounts = seedAccounts(opts.accounts ?? 0, seed).map((a) => {
      const Id = this.nextId(KEY_PREFIX.Account);
      this.records.Account.set(Id, this.orgRow('Account', { ...a, ...base, Id }));
      return Id;
    });
    const leads = seedLeads(opts.leads ?? 0, seed).map((l) => {
      const Id = this.nextId(KEY_PREFIX.Lead);
      this.records.Lead.set(Id, this.orgRow('Lead', { ...l, ...base, Id }));
      return Id;
    });
    const out: SeededIds = { accounts, leads, contacts: [], opportunities: [], contactRoles: [] };
    if (!opts.people) return out;
    const people = seedPeople(accounts.length, seed);
    const contactIds = people.contacts.map((c) => {
      const Id = this.nextId(KEY_PREFIX.Contact);
      const { account, ...fields } = c;
      this.records.Contact.set(Id, { ...fields, AccountId: account === null ? null : (accounts[account] ?? null), ...base, Id });
      return Id;
    });
    const oppIds = people.opportunities.map((o) => {
      const Id = this.nextId(KEY_PREFIX.Opportunity);
      const { account, ...fields } = o;
      const stage = OPPORTUNITY_STAGES[fields.StageName] ?? { closed: false, won: false };
      this.records.Opportunity.set(Id, { ...fields, AccountId: accounts[account] ?? null, IsClosed: stage.closed, IsWon: stage.won, ...base, Id });
      return Id;
    });
    const roleIds = people.contactRoles.map((r) => {
      const Id = this.nextId(KEY_PREFIX.OpportunityContactRole);
      this.records.OpportunityContactRole.set(Id, {
        ContactId: contactIds[r.contact] ?? null,
        OpportunityId: oppIds[r.opportunity] ?? null,
        Role: r.Role,
        IsPrimary: r.IsPrimary,
        ...base,
        Id,
      });
      return Id;
    });
    return { ...out, contacts: contactIds, opportunities: oppIds, contactRoles: roleIds };
  }

  /**
   * Simulates a person creating a record (Contact, Opportunity, contact role…): required fields and lookups
   * checked as Salesforce does, audit fields set, listeners told (a Contact's creation sends its outbound
   * message). Returns the new id.
   */
  create(objectType: SObjectName, fields: Readonly<Record<string, unknown>>, asUserId?: string): string {
    this.checkRecord(objectType, fields, true);
    const Id = this.nextId(KEY_PREFIX[objectType]);
    const ts = sfDateTime(this.now());
    const userId = asUserId ?? this.repUserId;
    const row: Row = { ...fields, OwnerId: userId, CreatedDate: ts, LastModifiedDate: ts, LastModifiedById: userId, SystemModstamp: ts, IsDeleted: false, Id };
    if (objectType === 'Opportunity') {
      const stage = OPPORTUNITY_STAGES[String(fields.StageName)];
      row.IsClosed = stage?.closed ?? false;
      row.IsWon = stage?.won ?? false;
    }
    if (objectType === 'OpportunityContactRole') {
      row.IsPrimary = fields.IsPrimary === true;
      row.Role = fields.Role ?? null;
      delete row.OwnerId;
    }
    this.records[objectType].set(Id, row);
    for (const l of this.changeListeners) l({ objectType, id: Id, changedFields: Object.keys(fields), userId });
    return Id;
  }

  /** Salesforce's checks on a person's create or update: required fields, picklists, lookups. */
  private checkRecord(objectType: SObjectName, fields: Readonly<Record<string, unknown>>, creating: boolean): void {
    for (const f of Object.keys(fields)) {
      if (!this.fieldExists(objectType, f)) throw new Error(`INVALID_FIELD: No such column '${f}' on sobject of type ${objectType}`);
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
      const row = this.records[target].get(id18);
      if (!row || row.IsDeleted === true) throw new Error(`INVALID_CROSS_REFERENCE_KEY: invalid cross reference id`);
    }
  }

  /** A live record (not in the recycle bin). */
  get(objectType: SObjectName, id: string): Row | undefined {
    const id18 = to18(id);
    const row = id18 === undefined ? undefined : this.records[objectType].get(id18);
    return row && row.IsDeleted !== true ? row : undefined;
  }

  /** Sets the daily allocation (and optionally the usage so far). */
  setApiLimit(limit: number, used?: number): void {
    this.apiLimit = limit;
    if (used !== undefined) this.apiUsed = used;
  }

  /** The next `times` writes to each id fail with UNABLE_TO_LOCK_ROW. */
  injectLockFailures(ids: readonly string[], times = 1): void {
    for (const id of ids) this.lockFaults.set(to18(id) ?? id, times);
  }

  takeLockFault(id: string): boolean {
    const left = this.lockFaults.get(id) ?? 0;
    if (left <= 0) return false;
    this.lockFaults.set(id, left - 1);
    return true;
  }

  /** Drops every open query cursor, as 15 minutes of inactivity would: queryMore then gets INVALID_QUERY_LOCATOR. */
  expireQueryLocators(): void {
    this.queryLocators.clear();
  }

  /** Invalidates every access token: the next call gets 401 INVALID_SESSION_ID. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** Whether the field exists on the object (standard or custom). */
  fieldExists(objectType: SObjectName, field: string): boolean {
    const std = this.standardFields(objectType);
    return std.input.includes(field) || std.other.includes(field) || this.customFields.has(`${objectType}.${field}`);
  }

  /** Field-level security for custom fields; standard fields are always accessible in the sandbox. */
  access(userId: string, objectType: SObjectName, field: string): { read: boolean; edit: boolean } {
    const std = this.standardFields(objectType);
    if (std.input.includes(field) || std.other.includes(field)) {
      const system = ['Id', 'CreatedDate', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted'].includes(field);
      return { read: true, edit: !system };
    }
    const fullName = `${objectType}.${field}`;
    if (!this.customFields.has(fullName)) return { read: false, edit: false };
    let read = false;
    let edit = false;
    for (const ps of this.permissionSets.values()) {
      if (!this.assignments.has(`${userId}:${ps.id}`)) continue;
      for (const fp of ps.fieldPermissions) {
        if (fp.field !== fullName) continue;
        read ||= fp.readable || fp.editable;
        edit ||= fp.editable;
      }
    }
    return { read, edit };
  }

  /** Fields of an object visible to the user, in a stable order. */
  visibleFields(userId: string, objectType: SObjectName): string[] {
    const std = this.standardFields(objectType);
    const custom = [...this.customFields.keys()]
      .filter((k) => k.startsWith(`${objectType}.`))
      .map((k) => k.slice(objectType.length + 1))
      .filter((f) => this.access(userId, objectType, f).read);
    return [...std.other, ...std.input, ...custom];
  }

  /** Applies a validated change as `userId` and tells the listeners. */
  applyUpdate(objectType: SObjectName, id: string, fields: Readonly<Record<string, unknown>>, userId: string): void {
    const row = this.records[objectType].get(id);
    if (!row) throw new Error(`no ${objectType} ${id}`);
    const changed: string[] = [];
    for (const [k, v] of Object.entries(fields)) {
      if ((row[k] ?? null) !== (v ?? null)) changed.push(k);
      row[k] = v;
    }
    const ts = sfDateTime(this.now());
    row.SystemModstamp = ts;
    row.LastModifiedDate = ts;
    row.LastModifiedById = userId;
    for (const l of this.changeListeners) l({ objectType, id, changedFields: changed, userId });
  }

  /** Simulates a person editing a record in Salesforce (as the sales rep unless told otherwise). */
  update(objectType: SObjectName, id: string, fields: Readonly<Record<string, unknown>>, asUserId?: string): void {
    const id18 = to18(id);
    if (!id18 || !this.get(objectType, id18)) throw new Error(`no ${objectType} ${id}`);
    if (objectType !== 'Account' && objectType !== 'Lead') this.checkRecord(objectType, fields, false);
    this.applyUpdate(objectType, id18, fields, asUserId ?? this.repUserId);
  }

  /**
   * Simulates a person deleting a record. A notification still waiting for delivery then goes out without
   * data, as Salesforce's does ("If the record is deleted before the notification is delivered, the
   * notification doesn't contain any data").
   */
  delete(objectType: SObjectName, id: string): void {
    const id18 = to18(id);
    if (!id18 || !this.get(objectType, id18)) throw new Error(`no ${objectType} ${id}`);
    if (objectType === 'OpportunityContactRole') {
      // Kept in the recycle bin: IsDeleted, a new SystemModstamp, still returned by queryAll.
      const row = this.records[objectType].get(id18) as Row;
      const ts = sfDateTime(this.now());
      Object.assign(row, { IsDeleted: true, SystemModstamp: ts, LastModifiedDate: ts, LastModifiedById: this.repUserId });
      return;
    }
    this.records[objectType].delete(id18);
  }

  /** Permission set id by API name. */
  permissionSetByName(name: string): PermissionSetMeta | undefined {
    return this.permissionSets.get(name);
  }
}
