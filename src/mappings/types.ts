/**
 * Field mappings (`config/mappings.yaml`, PRODUCT.md §3): how each firmographic attribute is read
 * from a CRM object, and what the written fields are called. Validated once at start.
 */
import type { CrmName } from '../errors.ts';
import type { OutputKey } from '../connectors/port.ts';
import type { ViewsConfig } from './views.ts';

/** A value a `map` transform can produce. */
export type MappedValue = string | number | boolean | null;

/** One step applied to a raw CRM value, in order. */
export type Transform =
  /** A number parsed the PRODUCT.md §2 way (`"1 200,5"` → 1200.5); unparseable → missing. */
  | { kind: 'number' }
  /** ISO 3166-1 alpha-2 from alpha-2, alpha-3, English or French names; unknown → missing. */
  | { kind: 'country' }
  /** Host name from a URL or bare domain, lower-cased, without `www.` (`https://www.Acme.fr/x` → `acme.fr`). */
  | { kind: 'host' }
  /** Trimmed text with inner whitespace collapsed; blank → missing. */
  | { kind: 'text' }
  /** A list split on `separator` (default `;`), items trimmed, empty items dropped. */
  | { kind: 'split'; separator: string }
  /** Replaces values found in `values` (keys compared case- and accent-insensitively); others kept, or `default`. */
  | { kind: 'map'; values: Readonly<Record<string, MappedValue>>; default?: MappedValue };

export interface AttributeMapping {
  /** CRM fields tried in order; the first non-empty one is used (`BillingCountryCode`, else `BillingCountry`). */
  fields: readonly string[];
  transforms: readonly Transform[];
  /** When true, an enrichment provider's value wins over the CRM's. Default false (the CRM wins). */
  preferEnriched: boolean;
}

export interface ObjectMapping {
  /** Attribute name (snake_case) → how to read it. */
  attributes: Readonly<Record<string, AttributeMapping>>;
  /** Output value → CRM field name, overriding the connector's default names. */
  outputs: Readonly<Partial<Record<OutputKey, string>>>;
}

/**
 * CRM → object type (`companies`, `Account`, `Lead`) → mapping; `views`: the segmented views setup
 * creates (absent in hand-built mappings: the defaults then hold).
 */
export type Mappings = Readonly<Record<CrmName, Readonly<Record<string, ObjectMapping>>>> & { readonly views?: ViewsConfig };
