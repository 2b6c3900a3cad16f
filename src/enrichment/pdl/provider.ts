/**
 * People Data Labs company enrichment (keyed, paid): `POST {PDL_BASE_URL}/company/enrich/bulk`
 * with up to 100 requests per call (https://docs.peopledatalabs.com/docs/bulk-company-enrichment-api).
 * Looks up by website (domain) when known, else by name with country/postal code/city. Credits
 * are only spent on 200 items; `min_likelihood` turns weak matches into free 404s. Limits are
 * per key and per endpoint in fixed one-minute windows; a 429 names the reset time in
 * `x-ratelimit-reset` (https://docs.peopledatalabs.com/support/troubleshooting/rate-limit-errors).
 */
import type { Attributes } from '../../domain/types.ts';
import { ProviderError } from '../../errors.ts';
import { parseRetryAfter, providerFetch } from '../http.ts';
import { nameTokens, normalizeCity } from '../matching.ts';
import type { EnrichedAttributes, Provenance } from '../port.ts';
import type { CacheableProvider, LookupOutcome } from '../provider.ts';
import type { RateGate } from '../rate-gate.ts';
import { mapPdlCompany } from './mapping.ts';
import { pdlBulkResponseSchema, type PdlCompany } from './schema.ts';

export const PDL = 'pdl';
export const PDL_DEFAULT_URL = 'https://api.peopledatalabs.com/v5';

/** The bulk endpoint takes 1..100 requests per call. */
export const PDL_MAX_BATCH = 100;
/** A 429 without a usable reset header waits out a whole fixed window. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

export interface PdlOptions {
  apiKey: string;
  /** Default `https://api.peopledatalabs.com/v5` (`PDL_BASE_URL`). */
  baseUrl: string;
  timeoutMs: number;
  /** 1..10 (`PDL_MIN_LIKELIHOOD`). */
  minLikelihood: number;
  gate?: RateGate;
  onCall?: (status: string) => void;
  now?: () => Date;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** `https://www.Example.com/about` → `example.com`. */
export function normalizeDomain(v: string): string | undefined {
  const host = v.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split(/[/?#]/)[0]?.replace(/^www\./, '').replace(/:\d+$/, '');
  return host && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
}

type PdlParams = Record<string, string | number>;

function paramsFor(known: Attributes): PdlParams | null {
  const domain = text(known.domain) ? normalizeDomain(text(known.domain) as string) : undefined;
  if (domain) return { website: domain };
  const name = text(known.name);
  if (!name) return null;
  const p: PdlParams = { name };
  const country = text(known.country);
  const postal = text(known.postal_code) ?? (typeof known.postal_code === 'number' ? String(known.postal_code) : undefined);
  const city = text(known.city);
  if (country) p.country = country;
  if (postal) p.postal_code = postal;
  if (city) p.locality = city;
  return p;
}

/** `x-ratelimit-reset`: the UTC time the window resets, as epoch seconds or a date. */
function resetHeader(headers: Headers, now: number): number | undefined {
  const v = headers.get('x-ratelimit-reset');
  if (v === null) return undefined;
  if (/^\d{9,}$/.test(v.trim())) return Math.max(0, Number(v) * 1000 - now);
  return parseRetryAfter(v, now);
}

export function createPdlProvider(opts: PdlOptions): CacheableProvider {
  const now = opts.now ?? (() => new Date());
  const base = opts.baseUrl.replace(/\/+$/, '');

  function toOutcome(item: PdlCompany | undefined): LookupOutcome {
    if (item === undefined) return { ok: false, error: new ProviderError(PDL, 'bulk answer is missing an item') };
    if (item.status === 404) return { ok: true, value: null };
    if (item.status !== 200) return { ok: false, error: new ProviderError(PDL, `item status ${item.status}`, { status: item.status }) };
    const attributes = mapPdlCompany(item, now());
    const confidence = typeof item.likelihood === 'number' ? Math.min(1, Math.max(0, item.likelihood / 10)) : undefined;
    const prov: Provenance = { source: PDL, fetchedAt: now().toISOString(), ...(confidence === undefined ? {} : { confidence }) };
    const value: EnrichedAttributes = { attributes, provenance: Object.fromEntries(Object.keys(attributes).map((k) => [k, prov])) };
    return { ok: true, value };
  }

  async function lookupMany(known: readonly Attributes[]): Promise<LookupOutcome[]> {
    if (known.length > PDL_MAX_BATCH) throw new RangeError(`at most ${PDL_MAX_BATCH} records per bulk call`);
    const outcomes: (LookupOutcome | undefined)[] = known.map((k) => (paramsFor(k) === null ? { ok: true, value: null } : undefined));
    const sent = known.flatMap((k, i) => {
      const params = paramsFor(k);
      return params === null ? [] : [{ i, params }];
    });
    if (sent.length === 0) return outcomes as LookupOutcome[];
    const { json } = await providerFetch({
      provider: PDL,
      url: `${base}/company/enrich/bulk`,
      method: 'POST',
      headers: { 'x-api-key': opts.apiKey, 'accept-encoding': 'gzip' },
      body: { requests: sent.map((s) => ({ params: { ...s.params, min_likelihood: opts.minLikelihood }, metadata: { i: s.i } })) },
      timeoutMs: opts.timeoutMs,
      defaultRetryAfterMs: DEFAULT_RETRY_AFTER_MS,
      retryAfterFrom: resetHeader,
      ...(opts.gate ? { gate: opts.gate } : {}),
      ...(opts.onCall ? { onCall: opts.onCall } : {}),
    });
    const parsed = pdlBulkResponseSchema.safeParse(json);
    if (!parsed.success) throw new ProviderError(PDL, `unexpected answer shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    // Items come back in request order; `metadata.i` is checked so a reordered answer still lands right.
    parsed.data.forEach((item, pos) => {
      const meta = item.metadata as { i?: unknown } | undefined;
      const i = typeof meta?.i === 'number' ? meta.i : sent[pos]?.i;
      if (i !== undefined && i >= 0 && i < known.length) outcomes[i] = toOutcome(item);
    });
    return outcomes.map((o) => o ?? toOutcome(undefined));
  }

  return {
    name: PDL,
    maxBatch: PDL_MAX_BATCH,
    lookupKey(known: Attributes): string | null {
      const p = paramsFor(known);
      if (p === null) return null;
      if (typeof p.website === 'string') return `website:${p.website}`;
      const city = typeof p.locality === 'string' ? normalizeCity(p.locality) : '';
      return `name:${nameTokens(String(p.name)).join(' ')}|country:${String(p.country ?? '').toLowerCase()}|pc:${p.postal_code ?? ''}|city:${city}|l:${opts.minLikelihood}`;
    },
    lookupMany,
    async lookup(known: Attributes): Promise<EnrichedAttributes | null> {
      const [outcome] = await lookupMany([known]);
      if (outcome === undefined) return null;
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}
