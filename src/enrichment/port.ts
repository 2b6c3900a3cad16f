/**
 * Enrichment providers add firmographic attributes with provenance. The pipeline's enrich step
 * calls an `Enricher` for a batch; providers never make scoring fail.
 */
import type { Attributes } from '../domain/types.ts';

export interface Provenance {
  /** `crm:<field>` for CRM values, or the provider name (`recherche-entreprises`, `pdl`). */
  source: string;
  /** ISO 8601, when the provider answered (cached values keep their original time). */
  fetchedAt?: string;
  /** Match confidence 0..1 for fuzzy matches (1 for an exact identifier match). */
  confidence?: number;
}

export interface EnrichedAttributes {
  attributes: Attributes;
  /** Attribute name → where its value came from. */
  provenance: Readonly<Record<string, Provenance>>;
  /**
   * True when a provider failed for this record (timeout, 5xx, 429): it is scored with what is
   * known and its enrichment should be tried again later. Absent means false.
   */
  incomplete?: boolean;
  /** Per configured provider, in order, what happened for this record. */
  outcomes?: readonly EnrichmentOutcome[];
}

/**
 * `hit`/`miss`: the provider answered now; `cached_hit`/`cached_miss`: answered from the cache;
 * `error`: the provider failed (see `incomplete`); `budget`: the monthly budget is spent;
 * `skipped`: the record holds nothing this provider can look up.
 */
export type EnrichmentStatus = 'hit' | 'miss' | 'cached_hit' | 'cached_miss' | 'error' | 'budget' | 'skipped';

export interface EnrichmentOutcome {
  provider: string;
  status: EnrichmentStatus;
  /** For `error`: the HTTP status when the provider answered. */
  httpStatus?: number;
}

export interface EnrichmentProvider {
  readonly name: string;
  /**
   * Looks up a company from what is known about it. Returns `null` for no confident match.
   * Throws `ProviderError` on provider failures (retried later; scoring goes on without it).
   */
  lookup(known: Attributes): Promise<EnrichedAttributes | null>;
}

export interface EnrichInput {
  /** Stable key of the record (`hubspot:companies:123`). */
  key: string;
  /** Attributes mapped from the CRM record. */
  attributes: Attributes;
  /** Attribute name → CRM field it came from. */
  provenance: Readonly<Record<string, Provenance>>;
  /** Attributes whose provider value wins over the CRM's (mapping `preferEnriched: true`). */
  preferEnriched?: readonly string[];
}

export interface Enricher {
  /** Merges provider attributes into each record's (CRM wins unless the mapping says otherwise). */
  enrich(records: readonly EnrichInput[]): Promise<EnrichedAttributes[]>;
}
