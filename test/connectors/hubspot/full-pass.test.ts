import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotWebhookRoutes } from '../../../src/connectors/hubspot/webhook-route.ts';
import { loadModel } from '../../../src/config/model-loader.ts';
import type { Scorer } from '../../../src/domain/scorer.ts';
import type { RescoreProducer, RescoreRequest } from '../../../src/pipeline/requests.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { fullPass } from './full-pass.ts';
import { redisConnector, silentLogger, testEnv, type RedisConnector } from './helpers.ts';

let sandbox: HubSpotSandbox;
let rc: RedisConnector;
let scorer: Scorer;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 250 });
  rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_APP_ID: String(sandbox.appId) }));
  scorer = (await loadModel('config/icp.example.yaml')).scorer;
  const report = await rc.connector.setup({ tiers: scorer.tierNames, tags: scorer.tags });
  expect(report.problems).toEqual([]);
});

afterAll(async () => {
  await rc.close();
  await sandbox.close();
});

describe('a full pass through the HubSpot connector (sandbox)', () => {
  it('writes every company once, then costs no write when nothing changed', async () => {
    sandbox.store.resetStats();
    const first = await fullPass(rc.connector, scorer);
    expect(first).toEqual({ listed: 250, changed: 250, written: 250, failed: 0 });
    const stats = sandbox.store.stats();
    // 3 list pages of 100 and 3 batch updates of at most 100.
    expect(stats.byRoute).toEqual({ 'companies.batchUpdate': 3, 'companies.list': 3 });
    const sample = sandbox.store.list()[0]!.properties;
    expect(Number(sample.icp_fit_score)).toBeGreaterThanOrEqual(0);
    expect(sample.icp_model_version).toBe(scorer.model.version);
    expect(sample.icp_tags ?? '').not.toMatch(/^;/);

    sandbox.store.resetStats();
    const second = await fullPass(rc.connector, scorer);
    expect(second).toEqual({ listed: 250, changed: 0, written: 0, failed: 0 });
    expect(sandbox.store.stats().byRoute).toEqual({ 'companies.list': 3 });
  });

  it('rewrites only the company whose values drifted', async () => {
    const target = sandbox.store.list()[42]!;
    sandbox.store.update(target.id, { icp_fit_score: '' });
    const pass = await fullPass(rc.connector, scorer);
    expect(pass.changed).toBe(1);
    expect(pass.written).toBe(1);
    expect(sandbox.store.get(target.id)?.properties.icp_fit_score).not.toBeNull();
  });

  it('loses nothing through a burst of 429s, a 502 and a connection reset', async () => {
    for (const c of sandbox.store.list().slice(0, 120)) sandbox.store.update(c.id, { icp_tier: '' });
    sandbox.store.resetStats();
    sandbox.store.injectFault({ status: 0, count: 1, route: 'companies.list' });
    sandbox.store.injectFault({ status: 502, count: 1, route: 'companies.list' });
    sandbox.store.injectFault({ status: 429, count: 5, route: 'companies.batchUpdate', policyName: 'TEN_SECONDLY_ROLLING', retryAfterSeconds: 0 });
    const pass = await fullPass(rc.connector, scorer);
    expect(pass).toEqual({ listed: 250, changed: 120, written: 120, failed: 0 });
    expect(sandbox.store.stats().rateLimited).toBe(5);
    expect(sandbox.store.list().every((c) => c.properties.icp_tier)).toBe(true);
  });

  it('drops the webhook echoes of its own writes and queues a real edit', async () => {
    const queued: RescoreRequest[] = [];
    const producer: RescoreProducer = { enqueue: async (r) => void queued.push(...r) };
    const hook: FastifyInstance = Fastify({ logger: false });
    // No PUBLIC_BASE_URL: the signed URI is rebuilt from the Host header, which is right without a proxy.
    await hook.register(hubspotWebhookRoutes, {
      env: testEnv({ HUBSPOT_CLIENT_SECRET: 'whsec', HUBSPOT_APP_ID: String(sandbox.appId), HUBSPOT_PORTAL_ID: String(sandbox.portalId) }),
      producer,
      outputPropertyNames: rc.connector.outputFields('companies').map((f) => f.name),
      logger: silentLogger,
    });
    await hook.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}`;
    try {
      sandbox.setWebhookTarget(`${base}/webhooks/hubspot`, { clientSecret: 'whsec', appId: sandbox.appId, portalId: sandbox.portalId, echoOwnWrites: true });
      const victim = sandbox.store.list()[7]!;
      await rc.connector.writeChanges('companies', [{ id: victim.id, fields: { icp_fit_score: 3, icp_tier: 'D' } }]);
      await sandbox.flushWebhooks();
      expect(sandbox.webhookDeliveries.at(-1)?.status).toBe(200);
      expect(queued).toEqual([]);
      sandbox.store.update(victim.id, { numberofemployees: '999' });
      await sandbox.flushWebhooks();
      expect(queued.map((q) => q.id)).toEqual([victim.id]);
    } finally {
      sandbox.setWebhookTarget(undefined);
      await hook.close();
    }
  });
});
