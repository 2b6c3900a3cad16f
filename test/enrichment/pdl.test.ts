import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { createPdlProvider, normalizeDomain, PDL_MAX_BATCH } from '../../src/enrichment/pdl/provider.ts';
import { fixture, PDL_URL, RecordingGate } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

function provider(gate = new RecordingGate()) {
  return createPdlProvider({ apiKey: 'test-key', baseUrl: `${PDL_URL}/v5`, timeoutMs: 2000, minLikelihood: 6, gate, now: () => NOW });
}

interface BulkBody {
  requests: { params: Record<string, unknown>; metadata: { i: number } }[];
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('normalizeDomain', () => {
  it('keeps the host only', () => {
    expect(normalizeDomain('https://www.Acme-Logiciels.fr/contact?x=1')).toBe('acme-logiciels.fr');
    expect(normalizeDomain('acme.fr:443')).toBe('acme.fr');
    expect(normalizeDomain('not a domain')).toBeUndefined();
  });
});

describe('pdl provider', () => {
  it('sends one bulk call for several records, by website or by name, and maps each answer', async () => {
    let sent: BulkBody | undefined;
    const scope = nock(PDL_URL, { reqheaders: { 'x-api-key': 'test-key', 'content-type': 'application/json' } })
      .post('/v5/company/enrich/bulk', (body: BulkBody) => {
        sent = body;
        return true;
      })
      .reply(200, fixture('pdl/bulk-mixed.json'), { 'x-ratelimit-remaining': '{"minute": 9}' });
    const out = await provider().lookupMany!([
      { domain: 'https://www.acme-logiciels.fr/' },
      { name: 'Nobody Knows SAS', country: 'FR', city: 'Lyon' },
      { name: 'Bricolo', postal_code: '44000' },
    ]);
    scope.done();
    expect(sent?.requests).toEqual([
      { params: { website: 'acme-logiciels.fr', min_likelihood: 6 }, metadata: { i: 0 } },
      { params: { name: 'Nobody Knows SAS', country: 'FR', locality: 'Lyon', min_likelihood: 6 }, metadata: { i: 1 } },
      { params: { name: 'Bricolo', postal_code: '44000', min_likelihood: 6 }, metadata: { i: 2 } },
    ]);
    expect(out[0]).toMatchObject({
      ok: true,
      value: {
        attributes: {
          industry: 'computer software',
          employees_band: '51-200',
          employees: 87,
          revenue_range: '$10M-$25M',
          annual_revenue: 17_500_000,
          founded_year: 2015,
          company_age_years: 11,
          tags: ['saas', 'planning', 'manufacturing software'],
          naics: ['541511'],
          sic: ['7371'],
          domain: 'acme-logiciels.fr',
          company_type: 'private',
        },
      },
    });
    if (out[0]?.ok) expect(out[0].value?.provenance.industry).toEqual({ source: 'pdl', fetchedAt: NOW.toISOString(), confidence: 0.9 });
    expect(out[1]).toEqual({ ok: true, value: null });
    expect(out[2]).toMatchObject({ ok: true, value: { attributes: { industry: 'retail', employees_band: '11-50', employees: 31 } } });
  });

  it('places answers by their metadata even when the order differs', async () => {
    const items = fixture<unknown[]>('pdl/bulk-mixed.json');
    nock(PDL_URL).post('/v5/company/enrich/bulk').reply(200, [items[2], items[1], items[0]]);
    const out = await provider().lookupMany!([{ domain: 'acme-logiciels.fr' }, { name: 'Nobody' }, { name: 'Bricolo' }]);
    expect(out[0]?.ok && out[0].value?.attributes.industry).toBe('computer software');
    expect(out[1]).toEqual({ ok: true, value: null });
  });

  it('sends nothing for records with neither domain nor name', async () => {
    expect(await provider().lookupMany!([{ employees: 10 }])).toEqual([{ ok: true, value: null }]);
    expect(provider().lookupKey({ employees: 10 })).toBeNull();
  });

  it('refuses more than 100 records per call', async () => {
    const many = Array.from({ length: PDL_MAX_BATCH + 1 }, (_, i) => ({ domain: `c${i}.example` }));
    await expect(provider().lookupMany!(many)).rejects.toBeInstanceOf(RangeError);
  });

  it('turns 401 and 402 into ProviderErrors', async () => {
    nock(PDL_URL).post('/v5/company/enrich/bulk').reply(401, fixture('pdl/error-401.json'));
    await expect(provider().lookup({ domain: 'acme.fr' })).rejects.toMatchObject({ name: 'ProviderError', provider: 'pdl', status: 401 });
    nock(PDL_URL).post('/v5/company/enrich/bulk').reply(402, fixture('pdl/error-402.json'));
    await expect(provider().lookup({ domain: 'acme.fr' })).rejects.toMatchObject({ status: 402 });
  });

  it('on 429 pauses every worker until x-ratelimit-reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    nock(PDL_URL).post('/v5/company/enrich/bulk').reply(429, fixture('pdl/error-429.json'), { 'x-ratelimit-reset': String(reset) });
    const gate = new RecordingGate();
    const err = (await provider(gate).lookup({ domain: 'acme.fr' }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBeGreaterThan(25_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(gate.pauses).toEqual([err.retryAfterMs]);
  });

  it('reports an item-level failure on its own record only', async () => {
    const items = fixture<unknown[]>('pdl/bulk-mixed.json');
    nock(PDL_URL)
      .post('/v5/company/enrich/bulk')
      .reply(200, [items[0], { status: 500, metadata: { i: 1 }, error: { type: 'error', message: 'internal' } }]);
    const out = await provider().lookupMany!([{ domain: 'acme-logiciels.fr' }, { domain: 'other.example' }]);
    expect(out[0]?.ok).toBe(true);
    expect(out[1]).toMatchObject({ ok: false, error: { status: 500 } });
  });

  it('turns a 5xx of the whole call into a ProviderError', async () => {
    nock(PDL_URL).post('/v5/company/enrich/bulk').reply(502, 'Bad Gateway');
    await expect(provider().lookup({ domain: 'acme.fr' })).rejects.toMatchObject({ status: 502 });
  });
});
