/**
 * The product end to end on real Redis and the HubSpot sandbox: the service starts, sees a new
 * model version, sets up the properties and backfills 5,000 companies; webhooks, rescoring, write
 * skipping and a storm of 429s/5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/http/service.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { cleanRedis } from '../pipeline/helpers.ts';
import { CLIENT_SECRET, e2eEnv, expectedFor, freePort, until, writeModel, wrongCompanies } from './harness.ts';

const COMPANIES = 5000;

describe('HubSpot end to end', () => {
  let sandbox: HubSpotSandbox;
  let service: RunningService;

  async function idle(): Promise<boolean> {
    const st = await service.runtime.status();
    return st.objects.every((o) => o.pending === 0) && st.queues.every((q) => q.waiting + q.active + q.delayed + q.prioritized === 0);
  }

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ seed: COMPANIES, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    const port = await freePort();
    const env = e2eEnv(sandbox, await writeModel(), { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    service = await startService({ workers: true, env, handleSignals: false });
    sandbox.setWebhookTarget(`http://127.0.0.1:${port}/webhooks/hubspot`, {
      clientSecret: CLIENT_SECRET,
      appId: sandbox.appId,
      portalId: sandbox.portalId,
      batchDelayMs: 10,
    });
  }, 60_000);

  afterAll(async () => {
    const env = service.env;
    await service?.stop();
    await sandbox?.close();
    await cleanRedis(env);
  });

  it('a new model version sets up the properties and backfills every company with the right values', async () => {
    await until(async () => (await service.runtime.backfillStatus('hubspot'))[0]?.status === 'done', 90_000, 'the model-change backfill');
    const [state] = await service.runtime.backfillStatus('hubspot');
    expect(state).toMatchObject({ trigger: 'model-change', listed: COMPANIES, processed: COMPANIES, failed: 0 });
    expect(wrongCompanies(sandbox).slice(0, 5)).toEqual([]);
    const stats = sandbox.store.stats().byRoute;
    // One list call and at most one write call per 100 companies; nothing read twice.
    expect(stats['companies.list']).toBe(COMPANIES / 100);
    expect(stats['companies.batchUpdate']).toBeLessThanOrEqual(COMPANIES / 100);
    expect(stats['companies.batchRead'] ?? 0).toBe(0);
  }, 100_000);

  it('an unchanged company costs a read and no write', async () => {
    sandbox.store.resetStats();
    const ids = sandbox.store.list().slice(0, 3).map((c) => c.id);
    await service.runtime.rescore('hubspot', 'companies', ids);
    await until(async () => (sandbox.store.stats().byRoute['companies.batchRead'] ?? 0) >= 1 && (await idle()), 10_000, 'the rescore');
    expect(sandbox.store.stats().byRoute['companies.batchRead']).toBe(1);
    expect(sandbox.store.stats().byRoute['companies.batchUpdate'] ?? 0).toBe(0);
  });

  it('a webhook for an edit in HubSpot ends with the right values written', async () => {
    const id = sandbox.store.list()[41]?.id ?? '';
    const r = sandbox.store.update(id, { industry: 'COMPUTER_SOFTWARE', numberofemployees: '200', country: 'France' });
    expect(r).toHaveProperty('company');
    await until(() => sandbox.store.get(id)?.properties['icp_fit_score'] === '100', 10_000, 'the webhook rescore');
    const p = sandbox.store.get(id)?.properties ?? {};
    expect(p['icp_tier']).toBe('A');
    expect(p['icp_tags']).toBe('logiciel;taille-cible;france');
    expect(p['icp_fit_reasons']).toBe(expectedFor(p).reasons);
    expect(sandbox.webhookDeliveries.every((d) => d.status >= 200 && d.status < 300)).toBe(true);
  });

  it('a storm of 429s and 5xx loses nothing', async () => {
    const ids = sandbox.store.list().slice(100, 400).map((c) => c.id);
    for (const [i, id] of ids.entries()) {
      sandbox.store.update(id, { numberofemployees: String(5 + (i % 90)) }, { changeSource: 'IMPORT' });
    }
    sandbox.store.injectFault({ status: 429, count: 6, route: 'companies.batchUpdate', retryAfterSeconds: 1 });
    sandbox.store.injectFault({ status: 503, count: 6, route: 'companies.batchRead' });
    sandbox.store.injectFault({ status: 502, count: 4, route: 'companies.batchUpdate' });
    sandbox.store.injectFault({ status: 0, count: 2 });
    await until(async () => wrongCompanies(sandbox).length === 0 && (await idle()), 45_000, 'every value right after the storm');
    expect(sandbox.store.faults).toHaveLength(0);
    expect((await service.runtime.failed.list()).total).toBe(0);
  }, 60_000);
});
