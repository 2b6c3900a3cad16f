/**
 * End to end: a HubSpot company known only by its SIREN (a custom `siren` property) gets a full,
 * correct score from registry data. Real pipeline runtime and HubSpot connector against the
 * HubSpot sandbox on localhost, real Redis; only the registry host is answered by nock, with its
 * documented response shape. A second backfill makes zero registry calls (cache).
 */
import nock from 'nock';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv, type Env } from '../../src/config/env.ts';
import { reasonsText } from '../../src/domain/reasons-text.ts';
import { buildMappings } from '../../src/mappings/load.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { until } from '../pipeline/helpers.ts';
import { fixture, REGISTRY, silentLogger, sirenScorer, testRedis } from './helpers.ts';

const scorer = sirenScorer('siren-e2e-1');

describe('SIREN-only company, end to end through the pipeline and the HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let runtime: Runtime;
  let env: Env;
  let registryCalls = 0;
  let sirenOnly = '';
  let nothing = '';

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock(REGISTRY)
      .persist()
      .get('/search')
      .query(true)
      .reply((req: Request) => {
        registryCalls++;
        const q = new URL(req.url).searchParams.get('q');
        return [200, q === '812345672' ? fixture('recherche-entreprises/siren-hit.json') : fixture('recherche-entreprises/no-results.json')];
      });

    sandbox = await startHubSpotSandbox({ seed: 0, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    // A portal keeps the SIREN in a custom property, created like any other through the API.
    const created = await fetch(`${sandbox.url}/crm/v3/properties/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'siren', label: 'SIREN', type: 'string', fieldType: 'text', groupName: 'companyinformation' }),
    });
    expect(created.status).toBe(201);
    sirenOnly = sandbox.store.create({ siren: '812 345 672' }, { changeSource: 'IMPORT' }, false).id;
    nothing = sandbox.store.create({ name: 'Inconnue' }, { changeSource: 'IMPORT' }, false).id;

    env = parseEnv({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `icpenr-${randomBytes(5).toString('hex')}`,
      HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
      HUBSPOT_BASE_URL: sandbox.url,
      HUBSPOT_RATE_LIMIT_PER_10S: '100000',
      ENRICHMENT_PROVIDERS: 'recherche-entreprises',
      SYNC_DEBOUNCE_MS: '50',
      INCREMENTAL_SYNC_INTERVAL_MS: '0',
      AUTO_BACKFILL_ON_MODEL_CHANGE: 'true',
      LOG_LEVEL: 'silent',
    });
    const mappings = buildMappings({ version: 1, hubspot: { companies: { attributes: { siren: { field: 'siren', transform: 'text' } } } } });
    runtime = await createRuntime({ env, logger: silentLogger, scorer, mappings, dispatchPollMs: 20 });
    await runtime.startWorkers();
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await sandbox?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    const ctx = testRedis(env.REDIS_PREFIX);
    await ctx.cleanup();
  });

  it('writes the full score computed from registry data', async () => {
    await until(async () => (await runtime.backfillStatus('hubspot'))[0]?.status === 'done', 30_000, 'the model-change backfill');
    const p = sandbox.store.get(sirenOnly)?.properties ?? {};
    const expected = scorer.score({ naf: '62.01Z', employees: 75, company_category: 'PME', company_age_years: yearsSince2015(), annual_revenue: 9_125_000 });
    expect(expected).toMatchObject({ score: 90, completeness: 1 });
    expect(p['icp_fit_score']).toBe('90');
    expect(p['icp_tier']).toBe('A');
    expect(p['icp_tags']).toBe('tech');
    expect(Number(p['icp_completeness'])).toBe(100);
    expect(p['icp_fit_reasons']).toBe(reasonsText(expected, { maxLength: 1000 }));
    expect(p['icp_model_version']).toBe('siren-e2e-1');

    // The company with nothing to look up is scored with what is known, without a registry call.
    expect(sandbox.store.get(nothing)?.properties['icp_fit_score']).toBe('0');
    expect(registryCalls).toBe(1);
  }, 40_000);

  it('explain shows which values came from the registry and which from the CRM', async () => {
    const ex = await runtime.explain('hubspot', 'companies', sirenOnly);
    const source = Object.fromEntries(ex.attributes.map((a) => [a.name, a.source]));
    expect(source).toMatchObject({
      siren: 'crm:siren',
      naf: 'recherche-entreprises',
      employees: 'recherche-entreprises',
      company_category: 'recherche-entreprises',
      annual_revenue: 'recherche-entreprises',
    });
    expect(ex.result).toMatchObject({ score: 90, completeness: 1 });
    expect(ex.wouldWrite).toBe(false);
    expect(registryCalls).toBe(1);
  });

  it('a second backfill makes zero registry calls', async () => {
    const before = registryCalls;
    const { id } = await runtime.startBackfill('hubspot');
    await until(async () => {
      const st = (await runtime.backfillStatus('hubspot'))[0];
      return st?.run === id && st.status === 'done';
    }, 30_000, 'the second backfill');
    expect(registryCalls).toBe(before);
    expect((await runtime.backfillStatus('hubspot'))[0]).toMatchObject({ processed: 2, unchanged: 2 });
  }, 40_000);
});

function yearsSince2015(): number {
  const now = new Date();
  const age = now.getUTCFullYear() - 2015;
  return now.getUTCMonth() < 5 ? age - 1 : age;
}
