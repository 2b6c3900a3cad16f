/**
 * The sandbox's in-memory portal: companies, property definitions and groups, tokens, limits,
 * injected faults and per-route request counts. Record changes are emitted so the webhook sender
 * can batch them like HubSpot does.
 */
import { EventEmitter } from 'node:events';
import { syntheticCompanies } from './seed.ts';
import { defaultProperties, validateValue, type PropertyValueError, type SandboxGroup, type SandboxProperty } from './properties.ts';

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
  kind: 'creation' | 'propertyChange' | 'deletion' | 'merge' | 'restore';
  objectId: string;
  occurredAt: number;
  propertyName?: string;
  propertyValue?: string;
  mergedObjectIds?: string[];
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
];

export class SandboxStore {
  readonly companies = new Map<string, SandboxCompany>();
  readonly properties = new Map<string, SandboxProperty>();
  readonly groups = new Map<string, SandboxGroup>();
  readonly tokens = new Map<string, SandboxTokenInfo>();
  readonly events = new EventEmitter<{ change: [ChangeEvent] }>();
  limits: SandboxLimits = { per10s: 100, searchPerSecond: 5, daily: 500_000, dailyRemaining: 500_000 };
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
    const id = String(this.nextId);
    this.nextId += 1;
    const now = this.tick();
    const company: SandboxCompany = {
      id,
      properties: { ...properties, hs_object_id: id, createdate: now, hs_lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.companies.set(id, company);
    if (emit) this.emit({ kind: 'creation', objectId: id, ...origin });
    return company;
  }

  get(id: string): SandboxCompany | undefined {
    const c = this.companies.get(id);
    return c && !c.archived ? c : undefined;
  }

  /** Live companies in id order (HubSpot lists by id). */
  list(): SandboxCompany[] {
    return [...this.companies.values()].filter((c) => !c.archived).sort((a, b) => Number(a.id) - Number(b.id));
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
    const company = this.get(id);
    if (!company) return { notFound: true };
    const next: Record<string, string | null> = {};
    const errors: PropertyValueError[] = [];
    for (const [name, raw] of Object.entries(values)) {
      const res = validateValue(this.properties.get(name), name, raw, company.properties[name] ?? null);
      if ('error' in res) errors.push(res.error);
      else next[name] = res.value;
    }
    if (errors.length > 0) return { errors };
    const changed = Object.entries(next).filter(([k, v]) => (company.properties[k] ?? null) !== v);
    if (changed.length > 0) {
      const now = this.tick();
      for (const [k, v] of changed) company.properties[k] = v;
      company.properties.hs_lastmodifieddate = now;
      company.updatedAt = now;
      for (const [k, v] of changed) {
        this.emit({ kind: 'propertyChange', objectId: id, propertyName: k, propertyValue: v ?? '', ...origin });
      }
    }
    return { company };
  }

  archive(id: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    const c = this.get(id);
    if (!c) return false;
    c.archived = true;
    this.emit({ kind: 'deletion', objectId: id, ...origin });
    return true;
  }

  restore(id: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    const c = this.companies.get(id);
    if (!c || !c.archived) return false;
    c.archived = false;
    c.properties.hs_lastmodifieddate = this.tick();
    this.emit({ kind: 'restore', objectId: id, ...origin });
    return true;
  }

  /** Merges `mergedId` into `primaryId`: the merged record disappears, the primary survives. */
  merge(primaryId: string, mergedId: string, origin: ChangeOrigin = { changeSource: 'CRM_UI' }): boolean {
    const primary = this.get(primaryId);
    const merged = this.get(mergedId);
    if (!primary || !merged) return false;
    merged.archived = true;
    primary.properties.hs_lastmodifieddate = this.tick();
    this.emit({ kind: 'merge', objectId: primaryId, mergedObjectIds: [mergedId], ...origin });
    return true;
  }

  /** Forces a company's modification time (for tests of windowing and index lag). */
  setModifiedAt(id: string, iso: string): void {
    const c = this.companies.get(id);
    if (c) {
      c.properties.hs_lastmodifieddate = iso;
      c.updatedAt = iso;
    }
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
