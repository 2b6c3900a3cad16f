/**
 * What the enricher needs from a provider beyond the public `EnrichmentProvider` port: a cache
 * key for a lookup, and optional batching. Providers passed in by tests may implement only the
 * port; the enricher then derives a key from the identity attributes and calls `lookup` one by one.
 */
import type { Attributes } from '../domain/types.ts';
import type { ProviderError } from '../errors.ts';
import type { EnrichedAttributes, EnrichmentProvider } from './port.ts';

/** The answer for one record of a batch: a result (`null` = no confident match) or its own error. */
export type LookupOutcome = { ok: true; value: EnrichedAttributes | null } | { ok: false; error: ProviderError };

export interface CacheableProvider extends EnrichmentProvider {
  /**
   * A stable text naming what would be looked up (`siren:356000000`), or `null` when the record
   * holds nothing this provider can use. Equal keys share one call and one cache entry.
   */
  lookupKey(known: Attributes): string | null;
  /** Most records per `lookupMany` call (1 when the provider has no bulk endpoint). */
  readonly maxBatch: number;
  /**
   * Looks up several records in one call; the answer has one outcome per input, in order.
   * Throws `ProviderError` when the whole call failed.
   */
  lookupMany?(known: readonly Attributes[]): Promise<LookupOutcome[]>;
}

/** Attributes that identify a company; a provider without `lookupKey` is keyed on these. */
const IDENTITY = ['siren', 'siret', 'domain', 'name', 'postal_code', 'department', 'city', 'country'] as const;

/** Key for a provider that does not say: its name plus the identity attributes the record holds. */
export function defaultLookupKey(known: Attributes): string | null {
  const parts = IDENTITY.flatMap((k) => {
    const v = known[k];
    return typeof v === 'string' || typeof v === 'number' ? [`${k}=${String(v).trim().toLowerCase()}`] : [];
  });
  return parts.length === 0 ? null : parts.join('|');
}

export function isCacheable(p: EnrichmentProvider): p is CacheableProvider {
  return typeof (p as Partial<CacheableProvider>).lookupKey === 'function';
}
