/**
 * Which fields an object has in this org, from its describe, so reads never ask for a field the org lacks.
 * Several standard fields exist only when a feature is on (`BillingCountryCode`, `CountryCode` need State and
 * Country/Territory Picklists), and a field hidden by field-level security is absent too; one unknown field
 * in a SELECT or a collection retrieve fails the whole call with INVALID_FIELD.
 * The same describe gives the picklist values' display labels (`picklistValues[] {value, label}`): the
 * reasons text shows a label where the API value differs (`secteur_tech` → "Secteur tech").
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import { z } from 'zod';
import type { Logger } from '../../logging.ts';
import type { CrmFieldInfo } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import { DESCRIBE_TTL_MS } from './limits.ts';

const picklistValue = z.looseObject({ value: z.string(), label: z.string().nullish() });
const describeResult = z.looseObject({
  fields: z.array(
    z.looseObject({
      name: z.string(),
      label: z.string().nullish().catch(null),
      type: z.string().nullish().catch(null),
      custom: z.boolean().nullish().catch(null),
      picklistValues: z.array(picklistValue).nullish().catch(null),
    }),
  ),
});

interface Described {
  /** Lower-cased field names (API names are case-insensitive). */
  names: Set<string>;
  /** Lower-cased field name → picklist API value → label, for picklists with values. */
  labels: Map<string, ReadonlyMap<string, string>>;
  /** Every field as described, sorted by name. */
  fields: CrmFieldInfo[];
}

interface Entry {
  described: Promise<Described>;
  at: number;
}

export interface FieldCatalogOptions {
  /** How long a describe is trusted, ms, so fields added later (setup, an admin) are seen. Default `DESCRIBE_TTL_MS`. */
  ttlMs?: number;
  /** Clock, for tests (ms epoch). */
  now?: () => number;
}

/** The part of the client the catalog needs. */
export type DescribeClient = Pick<SalesforceClient, 'rest'>;

export class FieldCatalog {
  private readonly client: DescribeClient;
  private readonly logger: Logger;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly warned = new Set<string>();

  constructor(client: DescribeClient, logger: Logger, opts: FieldCatalogOptions = {}) {
    this.client = client;
    this.logger = logger;
    this.ttlMs = opts.ttlMs ?? DESCRIBE_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  /** `fields` without those the object lacks (each absent field is logged once per process). */
  async present(objectType: string, fields: readonly string[]): Promise<string[]> {
    const names = await this.names(objectType);
    const out: string[] = [];
    for (const f of fields) {
      if (names.has(f.toLowerCase())) out.push(f);
      else this.warnOnce(objectType, f);
    }
    return out;
  }

  /**
   * Picklist labels of `fields` (field as asked → API value → label), from the cached describe; fields
   * without picklist values are absent. A failed describe gives an empty map (the next call asks again).
   */
  async labels(objectType: string, fields: readonly string[]): Promise<ReadonlyMap<string, ReadonlyMap<string, string>>> {
    const out = new Map<string, ReadonlyMap<string, string>>();
    let described: Described;
    try {
      described = await this.describe(objectType);
    } catch {
      return out;
    }
    for (const f of fields) {
      const labels = described.labels.get(f.toLowerCase());
      if (labels) out.set(f, labels);
    }
    return out;
  }

  /** Every field of the object (the cached describe). Throws the describe's error. */
  async fields(objectType: string): Promise<CrmFieldInfo[]> {
    return (await this.describe(objectType)).fields;
  }

  /** Drops the cached describe of one object (or every object): the next read describes again. */
  forget(objectType?: string): void {
    if (objectType === undefined) this.entries.clear();
    else this.entries.delete(objectType);
  }

  /** Records that Salesforce refused `field` although the describe listed it; later reads leave it out. */
  async markAbsent(objectType: string, field: string): Promise<void> {
    const names = await this.names(objectType);
    names.delete(field.toLowerCase());
  }

  private async names(objectType: string): Promise<Set<string>> {
    return (await this.describe(objectType)).names;
  }

  private describe(objectType: string): Promise<Described> {
    const cached = this.entries.get(objectType);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.described;
    const described = this.client
      .rest(`describe ${objectType}`, { method: 'GET', url: `/sobjects/${objectType}/describe` }, describeResult)
      .then((d): Described => {
        const labels = new Map<string, ReadonlyMap<string, string>>();
        for (const f of d.fields) {
          const values = (f.picklistValues ?? []).filter((v) => typeof v.label === 'string' && v.label !== '');
          if (values.length > 0) labels.set(f.name.toLowerCase(), new Map(values.map((v) => [v.value, v.label ?? v.value])));
        }
        const fields = d.fields
          .map((f) => ({ name: f.name, label: f.label ?? f.name, type: f.type ?? 'string', custom: f.custom === true, options: f.picklistValues?.length ?? 0 }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return { names: new Set(d.fields.map((f) => f.name.toLowerCase())), labels, fields };
      });
    const entry: Entry = { described, at: this.now() };
    this.entries.set(objectType, entry);
    // A failed describe is not cached: the next read asks again.
    described.catch(() => {
      if (this.entries.get(objectType) === entry) this.entries.delete(objectType);
    });
    return described;
  }

  private warnOnce(objectType: string, field: string): void {
    const key = `${objectType}.${field}`.toLowerCase();
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(
      { crm: 'salesforce', objectType, field },
      'field not in this org (or not visible to the integration user): read as empty',
    );
  }
}
