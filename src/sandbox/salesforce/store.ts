/**
 * The sandbox org's state: records, custom fields and permission sets (field-level security applies:
 * a custom field is invisible to a user until an assigned permission set grants it), API usage, sessions,
 * injected faults and per-route call counts. Objects: Account, Lead, Contact, Opportunity and
 * OpportunityContactRole (deleted contact roles stay in the recycle bin: `IsDeleted`, seen by queryAll).
 */
import type { ListViewMeta } from './list-views.ts';
import { KEY_PREFIX, makeId, to18 } from './ids.ts';
import { COUNTRY_PICKLIST_FIELDS, OPPORTUNITY_STAGES, STANDARD_FIELDS, checkRecord, type SObjectName } from './objects.ts';
import { seedAccounts, seedLeads, seedPeople } from './seed.ts';
import { seedClosedOpportunities } from './seed-opportunities.ts';

export { CONTACT_ROLE_VALUES, COUNTRY_PICKLIST_FIELDS, OPPORTUNITY_STAGES, SOBJECTS, STANDARD_FIELDS, WRITABLE_SOBJECTS } from './objects.ts';
export type { SObjectName } from './objects.ts';

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
  valueSet?: { restricted: boolean; values: Array<{ fullName: string; label: string; default: boolean; isActive?: boolean }> };
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

function mergeIds(ids: SeededIds, more: { opportunities: string[]; contactRoles: string[] }): Pick<SeededIds, 'opportunities' | 'contactRoles'> {
  return { opportunities: [...ids.opportunities, ...more.opportunities], contactRoles: [...ids.contactRoles, ...more.contactRoles] };
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
  /** ListView metadata by `Object.DeveloperName`. */
  readonly listViews = new Map<string, ListViewMeta>();
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
  /** The delete log getDeleted reads: id and deletion time (ms) per object. */
  readonly deleteLog = new Map<SObjectName, Array<{ id: string; at: number }>>();

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
  seed(opts: { accounts?: number; leads?: number; seed?: number; people?: boolean; deals?: boolean }): SeededIds {
    const ids = this.seedRecords(opts);
    // Closed Opportunities with outcomes, amounts, loss reasons and contact roles (see seed-opportunities.ts).
    return opts.deals ? { ...ids, ...mergeIds(ids, seedClosedOpportunities(this, { seed: opts.seed ?? 1 })) } : ids;
  }

  private seedRecords(opts: { accounts?: number; leads?: number; seed?: number; people?: boolean }): SeededIds {
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
    checkRecord(this, objectType, fields, true);
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
    if (objectType !== 'Account' && objectType !== 'Lead') checkRecord(this, objectType, fields, false);
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
    const at = this.now();
    const log = this.deleteLog.get(objectType) ?? [];
    log.push({ id: id18, at });
    this.deleteLog.set(objectType, log);
    if (objectType === 'OpportunityContactRole') {
      // Kept in the recycle bin: IsDeleted, a new SystemModstamp, still returned by queryAll.
      const row = this.records[objectType].get(id18) as Row;
      const ts = sfDateTime(at);
      Object.assign(row, { IsDeleted: true, SystemModstamp: ts, LastModifiedDate: ts, LastModifiedById: this.repUserId });
      return;
    }
    if (objectType === 'Contact') {
      // A Contact's contact roles go with it.
      for (const role of this.records.OpportunityContactRole.values()) {
        if (role.ContactId === id18 && role.IsDeleted !== true) this.delete('OpportunityContactRole', role.Id);
      }
    }
    this.records[objectType].delete(id18);
  }

  /** Permission set id by API name. */
  permissionSetByName(name: string): PermissionSetMeta | undefined {
    return this.permissionSets.get(name);
  }
}
