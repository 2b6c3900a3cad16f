/**
 * API Recherche d'entreprises (France, DINUM; free, no key): https://recherche-entreprises.api.gouv.fr
 * Looks a company up by SIRET/SIREN (a `q` of exactly 14/9 digits is a direct lookup that
 * ignores every filter), else by name filtered on postal code (then, when that finds nothing, on
 * its département) or département, and accepted only above the confidence threshold.
 * Query rules from the API's OpenAPI document: `per_page` ≤ 25, `page × per_page` ≤ 10,000,
 * terms under 3 characters need a filter; `minimal=true` with `include=` keeps personal data
 * (dirigeants) out of the answer. At most 7 requests/s per IP, 429 with `Retry-After` beyond:
 * callers pass the shared gate.
 */
import type { Logger } from 'pino';
import type { Attributes } from '../../domain/types.ts';
import { ProviderError } from '../../errors.ts';
import { providerFetch } from '../http.ts';
import { decideMatch } from '../matching.ts';
import type { EnrichedAttributes, Provenance } from '../port.ts';
import type { CacheableProvider } from '../provider.ts';
import type { RateGate } from '../rate-gate.ts';
import { mapRegistryCompany, toCandidate } from './mapping.ts';
import { registryQuery, registryQueryKey, type RegistryQuery } from './query.ts';
import { companySchema, searchPayloadSchema, type RegistryCompany } from './schema.ts';

export const RECHERCHE_ENTREPRISES = 'recherche-entreprises';
export const RECHERCHE_ENTREPRISES_DEFAULT_URL = 'https://recherche-entreprises.api.gouv.fr';

/** Candidates read for a name search (the API caps `per_page` at 25). */
const NAME_SEARCH_PAGE_SIZE = 10;
/** Establishments per company in a name search: enough to see whether one sits in the wanted place. */
const MATCHING_ESTABLISHMENTS = 10;
/** Pause when a 429 carries no `Retry-After`: one second is a full window of the 7/s limit. */
const DEFAULT_RETRY_AFTER_MS = 1000;

export interface RechercheEntreprisesOptions {
  /** Default `https://recherche-entreprises.api.gouv.fr` (`RECHERCHE_ENTREPRISES_BASE_URL`). */
  baseUrl: string;
  /** Milliseconds per HTTP call (`ENRICHMENT_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Minimum name-match confidence 0..1 (`ENRICHMENT_MATCH_THRESHOLD`). */
  threshold: number;
  /** Shared limiter (7 requests/s across workers). */
  gate?: RateGate;
  logger?: Logger;
  /** Counts HTTP exchanges by outcome. */
  onCall?: (status: string) => void;
  now?: () => Date;
}

export function createRechercheEntreprisesProvider(opts: RechercheEntreprisesOptions): CacheableProvider {
  const now = opts.now ?? (() => new Date());
  const base = opts.baseUrl.replace(/\/+$/, '');

  async function search(params: Record<string, string>): Promise<RegistryCompany[]> {
    const url = `${base}/search?${new URLSearchParams({ ...params, minimal: 'true', include: 'siege,finances,matching_etablissements' })}`;
    const { json } = await providerFetch({
      provider: RECHERCHE_ENTREPRISES,
      url,
      timeoutMs: opts.timeoutMs,
      defaultRetryAfterMs: DEFAULT_RETRY_AFTER_MS,
      headers: { 'user-agent': 'icp-sync (open-source ICP scoring; firmographic enrichment)' },
      ...(opts.gate ? { gate: opts.gate } : {}),
      ...(opts.onCall ? { onCall: opts.onCall } : {}),
    });
    const parsed = searchPayloadSchema.safeParse(json);
    if (!parsed.success) throw new ProviderError(RECHERCHE_ENTREPRISES, `unexpected answer shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const companies: RegistryCompany[] = [];
    for (const item of parsed.data.results) {
      const c = companySchema.safeParse(item);
      if (c.success) companies.push(c.data);
    }
    const skipped = parsed.data.results.length - companies.length;
    if (skipped > 0) opts.logger?.warn({ provider: RECHERCHE_ENTREPRISES, skipped }, 'registry answer: entries without the documented shape were ignored');
    return companies;
  }

  function toEnriched(company: RegistryCompany, confidence: number): EnrichedAttributes {
    const attributes = mapRegistryCompany(company, now());
    const prov: Provenance = { source: RECHERCHE_ENTREPRISES, fetchedAt: now().toISOString(), confidence };
    return { attributes, provenance: Object.fromEntries(Object.keys(attributes).map((k) => [k, prov])) };
  }

  async function byIdentifier(q: Extract<RegistryQuery, { kind: 'siren' | 'siret' }>): Promise<EnrichedAttributes | null> {
    const id = q.kind === 'siren' ? q.siren : q.siret;
    const results = await search({ q: id, page: '1', per_page: '1' });
    const siren = id.slice(0, 9);
    const hit = results.find((c) => c.siren === siren);
    return hit ? toEnriched(hit, 1) : null;
  }

  async function byName(q: Extract<RegistryQuery, { kind: 'name' }>): Promise<EnrichedAttributes | null> {
    const params: Record<string, string> = {
      q: q.terms,
      page: '1',
      per_page: String(NAME_SEARCH_PAGE_SIZE),
      limite_matching_etablissements: String(MATCHING_ESTABLISHMENTS),
    };
    let results: RegistryCompany[];
    if (q.postalCode) {
      results = await search({ ...params, code_postal: q.postalCode });
      // A CEDEX or mistyped postal code matches no establishment: widen once to its département.
      if (results.length === 0 && q.department) results = await search({ ...params, departement: q.department });
    } else {
      results = await search({ ...params, ...(q.department ? { departement: q.department } : {}) });
    }
    const decision = decideMatch(
      { name: q.name, ...(q.postalCode ? { postalCode: q.postalCode } : {}), ...(q.department ? { department: q.department } : {}), ...(q.city ? { city: q.city } : {}) },
      results.map(toCandidate),
      { threshold: opts.threshold },
    );
    if (!decision.accepted) {
      opts.logger?.debug({ provider: RECHERCHE_ENTREPRISES, candidates: results.length, reason: decision.reason, best: decision.best?.confidence }, 'registry name search: no confident match');
      return null;
    }
    const company = results.find((c) => c.siren === decision.id);
    return company ? toEnriched(company, decision.confidence) : null;
  }

  return {
    name: RECHERCHE_ENTREPRISES,
    maxBatch: 1,
    lookupKey(known: Attributes): string | null {
      const q = registryQuery(known);
      return q ? registryQueryKey(q, opts.threshold) : null;
    },
    async lookup(known: Attributes): Promise<EnrichedAttributes | null> {
      const q = registryQuery(known);
      if (q === null) return null;
      return q.kind === 'name' ? byName(q) : byIdentifier(q);
    },
  };
}
