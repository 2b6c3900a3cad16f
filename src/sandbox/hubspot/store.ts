/**
 * The sandbox's in-memory portal: companies and contacts, their property definitions and groups,
 * contact↔company associations, tokens, limits, injected faults and per-route request counts.
 * Record changes are emitted so the webhook sender can batch them like HubSpot does.
 */
import { EventEmitter } from 'node:events';
import { SandboxLists } from './lists.ts';
import { syntheticCompanies, syntheticContacts } from './seed.ts';
import { defaultContactProperties, defaultProperties, validateValue, type PropertyValueError, type SandboxGroup, type SandboxProperty } from './properties.ts';

/** The object types the sandbox holds. */
export type SandboxObjectType = 'companies' | 'contacts';

/** HubSpot-defined association type ids (`@hubspot/api-client` `AssociationTypes`). */
export const ASSOCIATION_TYPE = { primaryContactToCompany: 1, primaryCompanyToContact: 2, contactToCompany: 279, companyToContact: 280 } as const;

/** The last-modified property: contacts keep it in `lastmodifieddate`, companies in `hs_lastmodifieddate`. */
export function modifiedPropertyOf(type: SandboxObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/** A company or a contact. */
export type SandboxRecord = SandboxCompany;

export interface SandboxCompany {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** Who made a change, as HubSpot reports it in webhooks (`changeSource`, `sourceId`). */
export interface ChangeOrigin {
  changeSource: string;
  sourceId?: string;
}

export interface ChangeEvent extends ChangeOrigin {
  kind: 'creation' | 'propertyChange' | 'deletion' | 'merge' | 'restore' | 'associationChange';
  /** Absent: companies. */
  objectType?: SandboxObjectType;
  objectId: string;
  occurredAt: number;
  propertyName?: string;
  propertyValue?: string;
  mergedObjectIds?: string[];
  /** Association changes (contact side): the company, whether it was removed, whether it is the primary. */
  toObjectId?: string;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

/** A fault served instead of the real answer, `count` times, to requests whose route matches. */
export interface Fault {
  /** 429, 5xx, 423, 477, or 0 for a reset connection. */
  status: number;
  count: number;
  /** Route name (`companies.batchUpdate`…) or undefined for every route. */
  route?: string;
  /** For 429: `TEN_SECONDLY_ROLLING` (default), `SECONDLY` or `DAILY`. */
  policyName?: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
  /** `Retry-After` header value in seconds. */
  retryAfterSeconds?: number;
}

export interface SandboxLimits {
  /** Requests per rolling 10 s per token (HubSpot: 100 Free/Starter, 190 Pro/Enterprise). */
  per10s: number;
  /** Search requests per second (HubSpot: 5). */
  searchPerSecond: number;
  /** Daily budget and what is left of it. */
  daily: number;
  dailyRemaining: number;
  /** Inputs per associations batch read (HubSpot: 1,000 since February 2025). */
  assocBatchReadMax: number;
  /** Associations per object in one batch-read page before `paging.next.after` (HubSpot's GET default: 500). */
  assocPageSize: number;
}

export interface SandboxTokenInfo {
  scopes: string[];
  appId: number;
  hubId: number;
}

export const ALL_SCOPES = [
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.lists.read',
  'crm.lists.write',
  'crm.objects.deals.read',
];

export class SandboxStore {
  readonly companies = new Map<string, SandboxCompany>();
  readonly properties = new Map<string, SandboxProperty>();
  readonly groups = new Map<string, SandboxGroup>();
  readonly contacts = new Map<string, SandboxRecord>();
  readonly contactProperties = new Map<string, SandboxProperty>();
  readonly contactGroups = new Map<string, SandboxGroup>();
  /** contact id → company id → association type ids (contact→company side: 279, plus 1 for the primary). */
  readonly contactCompanies = new Map<string, Map<string, Set<number>>>();
  readonly tokens = new Map<string, SandboxTokenInfo>();
  /** Lists API v3 (segmented views). */
  readonly lists = new SandboxLists();
  readonly events = new EventEmitter<{ change: [ChangeEvent] }>();
  limits: SandboxLimits = { per10s: 100, searchPerSecond: 5, daily: 500_000, dailyRemaining: 500_000, assocBatchReadMax: 1000, assocPageSize: 500 };
  faults: Fault[] = [];
  /** Added to every response, in milliseconds. */
  latencyMs = 0;
  /** Milliseconds before a write shows in search results (HubSpot's index lag). 0 by default. */
  searchLagMs = 0;
  readonly requestCounts = new Map<string, number>();
  /** When true, the arrival time (ms) of every request is kept in `requestTimes` (for measurements). */
  recordTimes = false;
  readonly requestTimes: number[] = [];
  rateLimited = 0;
  private nextId = 10_000_000_001;

  constructor() {
    for (const p of defaultProperties()) this.properties.set(p.name, p);
    this.groups.set('companyinformation', { name: 'companyinformation', label: 'Company information', displayOrder: -1, archived: false });
    for (const p of defaultContactProperties()) this.contactProperties.set(p.name, p);
    this.contactGroups.set('contactinformation', { name: 'contactinformation', label: 'Contact information', displayOrder: -1, archived: false });
  }

  /** The records of an object type. */
  recordsOf(type: SandboxObjectType): Map<string, SandboxRecord> {
    return type === 'contacts' ? this.contacts : this.companies;
  }

  propertiesOf(type: SandboxObjectType): Map<string, SandboxProperty> {
    return type === 'contacts' ? this.contactProperties : this.properties;
  }

  groupsOf(type: SandboxObjectType): Map<string, SandboxGroup> {
    return type === 'contacts' ? this.contactGroups : this.groups;
  }

  /**
   * Adds about `perCompany` synthetic contacts per live company (deterministic for a seed): job titles in
   * French and English, some with a buying role, a few without a company, a few with two (one primary).
   * Returns their ids.
   */
  seedContacts(perCompany = 3, seed = 42): string[] {
    const companies = this.list().map((c) => ({ id: c.id, domain: c.properties.domain ?? null }));
    const now = Date.now();
    return syntheticContacts(companies, perCompany, seed).map((spec, i) => {
      const c = this.createOf('contacts', spec.properties, { changeSource: 'IMPORT' }, false);
      for (const [k, companyId] of spec.companyIds.entries()) this.associate(c.id, companyId, { primary: k === 0 && spec.primary, emit: false });
      const at = new Date(now - 60_000 - ((i * 6_133_000) % (30 * 86_400_000))).toISOString();
      c.properties.createdate = at;
      c.createdAt = at;
      this.setModifiedAtOf('contacts', c.id, at);
      return c.id;
    });
  }

  /** Adds `count` synthetic companies (deterministic for a seed); returns their ids. */
  seed(count: number, seed = 42): string[] {
    const now = Date.now();
    return syntheticCompanies(count, seed).map((props, i) => {
      const c = this.create(props, { changeSource: 'IMPORT' }, false);
      // Spread modification times over the last 30 days so incremental listings have history.
      const at = new Date(now - 60_000 - ((i * 7_919_000) % (30 * 86_400_000))).toISOString();
      c.properties.createdate = at;
      c.createdAt = at;
      this.setModifiedAt(c.id, at);
      return c.id;
    });
  }

  create(properties: Record<string, string | null>, origin: ChangeOrigin = { changeSource: 'CRM_UI' }, emit = true): SandboxCompany {
    return this.createOf('companies', properties, origin, emit);
  }

  createOf(type: SandboxObjectType, properties: Record<string, string | null>, origin: ChangeOrigin = { changeSource: 'CRM_UI' }, emit = true): SandboxRecord {
    const id = String(this.nextId);
    this.nextId += 1;
    const now = this.tick();
    const record: SandboxRecord = {
      id,
      properties: { ...properties, hs_object_id: id, createdate: now, [modifiedPropertyOf(type)]: now },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.recordsOf(type).set(id, record);
    if (emit) this.emit({ kind: 'creation', objectType: type, objectId: id, ...origin });
    return record;
  }

  get(id: string): SandboxCompany | undefined {
    return this.getOf('companies', id);
  }

  getOf(type: SandboxObjectType, id: string): SandboxRecord | undefined {
    const c = this.recordsOf(type).get(id);
    return c && !c.archived ? c : undefined;
  }

  /** Live companies in id order (HubSpot lists by id). */
  list(): SandboxCompany[] {
    return this.listOf('companies');
  }

  /** Live records of a type in id order. */
  listOf(type: SandboxObjectType): SandboxRecord[] {
    return [...this.recordsOf(type).values()].filter((c) => !c.archived).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Validates then applies property values. Unchanged values are not a change (no webhook, and the
   * modification date stays), which is what makes a no-op write cheap to detect in tests.
   */
  update(
    id: string,
    values: Record<string, unknown>,
    origin: ChangeOrigin = { changeSource: 'CRM_UI' },
  ): { company: SandboxCompany } | { notFound: true } | { errors: PropertyValueError[] } {
    return this.updateOf('companies', id, values, origin);
  }

  updateOf(
    type: SandboxObjectType,
    id: string,
    values: Record<string, unknown>,
    origin: ChangeOrigin = { changeSource: 'CRM_UI' },
  ): { company: SandboxRecord } | { notFound: true } | { errors: PropertyValueError[] } {
    const record = this.getOf(type, id);
    if (!record) return { notFound: true };
    const props = this.propertiesOf(type);
    const next: Record<string, string | null> = {};
    const errors: PropertyValueError[] = [];
    for (const [name, raw] of Object.entries(values)) {
      const res = validateValue(props.get(name), name, raw, record.properties[name] ?? null);
      if ('error' in res) errors.push(res.error);
      else next[name] = res.value;
    }
    if (errors.length > 0) return { errors };
    const changed = Object.entries(next).filter(([k, v]) => (record.properties[k] ?? null) !== v);
    if (changed.length > 0) {
      const now = this.tick();
      for (const [k, v] of changed) record.properties[k] = v;
      record.properties[modifiedPropertyOf(type)] = now;
      record.updatedAt = now;
      for (const [k, v] of changed) {
        this.emit({ kind: 'propertyChange', objectType: type, objectId: id, propertyName: k, propertyValue: v ?? '', ...origin });
      }
    }
    return { company: record };
  }

  archive(id: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    return this.archiveOf('companies', id, origin);
  }

  archiveOf(type: SandboxObjectType, id: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    const c = this.getOf(type, id);
    if (!c) return false;
    c.archived = true;
    this.emit({ kind: 'deletion', objectType: type, objectId: id, ...origin });
    return true;
  }

  restore(id: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    return this.restoreOf('companies', id, origin);
  }

  restoreOf(type: SandboxObjectType, id: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    const c = this.recordsOf(type).get(id);
    if (!c || !c.archived) return false;
    c.archived = false;
    c.properties[modifiedPropertyOf(type)] = this.tick();
    this.emit({ kind: 'restore', objectType: type, objectId: id, ...origin });
    return true;
  }

  /** Merges `mergedId` into `primaryId`: the merged record disappears, the primary survives. */
  merge(primaryId: string, mergedId: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    return this.mergeOf('companies', primaryId, mergedId, origin);
  }

  /**
   * Merges two records of a type. Merged contacts hand their companies to the survivor (its primary
   * stays; the merged one's primary becomes the survivor's when it had none).
   */
  mergeOf(type: SandboxObjectType, primaryId: string, mergedId: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    const primary = this.getOf(type, primaryId);
    const merged = this.getOf(type, mergedId);
    if (!primary || !merged) return false;
    merged.archived = true;
    if (type === 'contacts') {
      const survivorHasPrimary = this.companiesOfContact(primaryId).some((a) => a.primary);
      for (const a of this.companiesOfContact(mergedId)) this.associate(primaryId, a.companyId, { primary: a.primary && !survivorHasPrimary, emit: false });
      this.contactCompanies.delete(mergedId);
    }
    primary.properties[modifiedPropertyOf(type)] = this.tick();
    this.emit({ kind: 'merge', objectType: type, objectId: primaryId, mergedObjectIds: [mergedId], ...origin });
    return true;
  }

  /** Forces a company's modification time (for tests of windowing and index lag). */
  setModifiedAt(id: string, iso: string): void {
    this.setModifiedAtOf('companies', id, iso);
  }

  setModifiedAtOf(type: SandboxObjectType, id: string, iso: string): void {
    const c = this.recordsOf(type).get(id);
    if (c) {
      c.properties[modifiedPropertyOf(type)] = iso;
      c.updatedAt = iso;
    }
  }

  /**
   * The live companies of a contact, in company id order, with their association type ids. A deleted
   * company is not listed (HubSpot does not return associations to archived records).
   */
  companiesOfContact(contactId: string): Array<{ companyId: string; typeIds: number[]; primary: boolean }> {
    const links = this.contactCompanies.get(contactId);
    if (!links) return [];
    return [...links.entries()]
      .filter(([companyId]) => this.get(companyId) !== undefined)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([companyId, types]) => ({ companyId, typeIds: [...types].sort((x, y) => x - y), primary: types.has(ASSOCIATION_TYPE.primaryContactToCompany) }));
  }

  /** The live contacts of a company, in id order, with the company→contact type ids (280, plus 2 when it is their primary). */
  contactsOfCompany(companyId: string): Array<{ contactId: string; typeIds: number[] }> {
    const out: Array<{ contactId: string; typeIds: number[] }> = [];
    for (const [contactId, links] of this.contactCompanies) {
      const types = links.get(companyId);
      if (!types || !this.getOf('contacts', contactId)) continue;
      const primary = types.has(ASSOCIATION_TYPE.primaryContactToCompany);
      out.push({ contactId, typeIds: primary ? [ASSOCIATION_TYPE.primaryCompanyToContact, ASSOCIATION_TYPE.companyToContact] : [ASSOCIATION_TYPE.companyToContact] });
    }
    return out.sort((a, b) => Number(a.contactId) - Number(b.contactId));
  }

  /**
   * Associates a contact with a company (unlabelled 279), as its primary when asked (type 1; a contact
   * has one primary, so the previous one loses it). The contact's `associatedcompanyid` follows its
   * primary, which also moves its `lastmodifieddate`. Returns false when either record does not exist.
   */
  associate(contactId: string, companyId: string, opts: { primary?: boolean; emit?: boolean; origin?: ChangeOrigin } = {}): boolean {
    const contact = this.getOf('contacts', contactId);
    if (!contact || !this.get(companyId)) return false;
    const links = this.contactCompanies.get(contactId) ?? new Map<string, Set<number>>();
    this.contactCompanies.set(contactId, links);
    const existed = links.has(companyId);
    const types = links.get(companyId) ?? new Set<number>([ASSOCIATION_TYPE.contactToCompany]);
    links.set(companyId, types);
    const becomesPrimary = opts.primary === true && !types.has(ASSOCIATION_TYPE.primaryContactToCompany);
    if (becomesPrimary) {
      for (const [otherId, other] of links) if (otherId !== companyId) other.delete(ASSOCIATION_TYPE.primaryContactToCompany);
      types.add(ASSOCIATION_TYPE.primaryContactToCompany);
      contact.properties.associatedcompanyid = companyId;
      const now = this.tick();
      contact.properties.lastmodifieddate = now;
      contact.updatedAt = now;
    }
    if ((opts.emit ?? true) && (!existed || becomesPrimary)) {
      this.emit({
        kind: 'associationChange',
        objectType: 'contacts',
        objectId: contactId,
        toObjectId: companyId,
        associationRemoved: false,
        isPrimaryAssociation: types.has(ASSOCIATION_TYPE.primaryContactToCompany),
        ...(opts.origin ?? { changeSource: 'CRM_UI' }),
      });
    }
    return true;
  }

  /**
   * Removes labels from a contact↔company association (`typeIds`), or the whole association when
   * `typeIds` is omitted or only the unlabelled type would be left out. Returns false when there was none.
   */
  dissociate(contactId: string, companyId: string, opts: { typeIds?: readonly number[]; origin?: ChangeOrigin } = {}): boolean {
    const links = this.contactCompanies.get(contactId);
    const types = links?.get(companyId);
    const contact = this.getOf('contacts', contactId);
    if (!links || !types || !contact) return false;
    const wasPrimary = types.has(ASSOCIATION_TYPE.primaryContactToCompany);
    const removeAll = opts.typeIds === undefined || opts.typeIds.includes(ASSOCIATION_TYPE.contactToCompany);
    if (removeAll) links.delete(companyId);
    else for (const t of opts.typeIds ?? []) types.delete(t);
    const lostPrimary = wasPrimary && (removeAll || !types.has(ASSOCIATION_TYPE.primaryContactToCompany));
    if (lostPrimary) {
      contact.properties.associatedcompanyid = null;
      const now = this.tick();
      contact.properties.lastmodifieddate = now;
      contact.updatedAt = now;
    }
    if (removeAll || lostPrimary) {
      this.emit({
        kind: 'associationChange',
        objectType: 'contacts',
        objectId: contactId,
        toObjectId: companyId,
        associationRemoved: removeAll,
        isPrimaryAssociation: wasPrimary,
        ...(opts.origin ?? { changeSource: 'CRM_UI' }),
      });
    }
    return true;
  }

  setLimits(limits: Partial<SandboxLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /** Queues a fault (see `Fault`). Faults are consumed in the order they were added. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Takes the next fault that applies to `route`, if any. */
  takeFault(route: string): Fault | undefined {
    const idx = this.faults.findIndex((f) => f.count > 0 && (f.route === undefined || f.route === route));
    if (idx < 0) return undefined;
    const fault = this.faults[idx] as Fault;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(idx, 1);
    return fault;
  }

  countRequest(route: string): void {
    this.requestCounts.set(route, (this.requestCounts.get(route) ?? 0) + 1);
    if (this.recordTimes) this.requestTimes.push(Date.now());
  }

  /** Request counts per route name, plus `total` and the number of requests refused with 429. */
  stats(): { total: number; rateLimited: number; byRoute: Record<string, number> } {
    const byRoute = Object.fromEntries([...this.requestCounts.entries()].sort());
    const total = [...this.requestCounts.values()].reduce((a, b) => a + b, 0);
    return { total, rateLimited: this.rateLimited, byRoute };
  }

  resetStats(): void {
    this.requestCounts.clear();
    this.rateLimited = 0;
  }

  private tick(): string {
    return new Date().toISOString();
  }

  private emit(event: Omit<ChangeEvent, 'occurredAt'>): void {
    this.events.emit('change', { ...event, occurredAt: Date.now() });
  }
}
