import { describe, expect, it } from 'vitest';
import { signDelivery } from '../../src/sandbox/hubspot/webhook-sender.ts';
import { buildTestApp } from './helper.ts';

const SECRET = 'hubspot-client-secret-for-tests';
const BASE = 'https://icp.example.com';
const hubspotEnv = { HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_PORTAL_ID: '62515', HUBSPOT_APP_ID: '4242', PUBLIC_BASE_URL: BASE };

function delivery(body: string, at = Date.now()) {
  return signDelivery(SECRET, `${BASE}/webhooks/hubspot`, body, at);
}

const event = (objectId: number, propertyName = 'numberofemployees') => ({
  eventId: objectId,
  subscriptionId: 1,
  portalId: 62515,
  appId: 4242,
  occurredAt: Date.now() - 1000,
  subscriptionType: 'company.propertyChange',
  attemptNumber: 0,
  objectId,
  propertyName,
  propertyValue: '120',
  changeSource: 'CRM_UI',
});

describe('POST /webhooks/hubspot through the app', () => {
  it('is registered when HubSpot is configured and queues verified events', async () => {
    const { app, runtime } = await buildTestApp({ env: hubspotEnv });
    const body = JSON.stringify([event(101), event(102), event(103, 'icp_fit_score')]);
    const res = await app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: delivery(body), payload: body });
    expect(res.statusCode).toBe(200);
    // The change to our own output property is the loop guard's: not queued.
    expect(runtime.enqueued.map((r) => [r.crm, r.objectType, r.id, r.trigger])).toEqual([
      ['hubspot', 'companies', '101', 'webhook'],
      ['hubspot', 'companies', '102', 'webhook'],
    ]);
  });

  it('counts accepted and refused deliveries on /metrics', async () => {
    const { app } = await buildTestApp({ env: hubspotEnv });
    const count = async (labels: string) => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      return Number(new RegExp(`^icp_sync_webhooks_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    };
    const accepted = await count('crm="hubspot",result="accepted"');
    const refused = await count('crm="hubspot",result="invalid_signature"');
    const body = JSON.stringify([event(7)]);
    await app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: delivery(body), payload: body });
    await app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: { ...delivery(body), 'x-hubspot-signature-v3': 'AAAA' }, payload: body });
    expect(await count('crm="hubspot",result="accepted"')).toBe(accepted + 1);
    expect(await count('crm="hubspot",result="invalid_signature"')).toBe(refused + 1);
  });

  it('refuses a bad signature with 401 and queues nothing', async () => {
    const { app, runtime } = await buildTestApp({ env: hubspotEnv });
    const body = JSON.stringify([event(101)]);
    const headers = { ...delivery(body), 'x-hubspot-signature-v3': 'AAAA' };
    const res = await app.inject({ method: 'POST', url: '/webhooks/hubspot', headers, payload: body });
    expect(res.statusCode).toBe(401);
    expect(runtime.enqueued).toEqual([]);
  });

  it('does not exist without HUBSPOT_CLIENT_SECRET, nor without the HubSpot connector', async () => {
    const off = await buildTestApp();
    expect((await off.app.inject({ method: 'POST', url: '/webhooks/hubspot', payload: '[]' })).statusCode).toBe(404);
    const noConnector = await buildTestApp({ env: hubspotEnv, runtime: { connector: () => undefined } });
    const body = JSON.stringify([event(1)]);
    expect((await noConnector.app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: delivery(body), payload: body })).statusCode).toBe(404);
    expect(noConnector.logs.some((l) => String(l.msg).includes('HubSpot webhooks off'))).toBe(true);
  });
});

describe('POST /webhooks/salesforce through the app', () => {
  it('is registered only when SALESFORCE_WEBHOOK_TOKEN is set', async () => {
    const off = await buildTestApp();
    expect((await off.app.inject({ method: 'POST', url: '/webhooks/salesforce', headers: { 'content-type': 'text/xml' }, payload: '<x/>' })).statusCode).toBe(404);
    const on = await buildTestApp({ env: { SALESFORCE_WEBHOOK_TOKEN: 'sf-token-123', SALESFORCE_ORG_ID: '00D000000000001AAA' } });
    const res = await on.app.inject({ method: 'POST', url: '/webhooks/salesforce?token=wrong', headers: { 'content-type': 'text/xml' }, payload: '<x/>' });
    expect(res.statusCode).toBe(401);
  });
});

describe('contact webhooks through the app', () => {
  const contactEvent = (objectId: number, propertyName: string) => ({ ...event(objectId, propertyName), subscriptionType: 'contact.propertyChange', propertyValue: 'CEO' });
  const withContacts = {
    connector: (crm: 'hubspot' | 'salesforce') =>
      crm === 'hubspot'
        ? {
            crm,
            objectTypes: ['companies', 'contacts'],
            outputFields: (t: string) => (t === 'contacts' ? [{ key: 'buyingRole' as const, name: 'icp_buying_role', kind: 'enum' as const }] : []),
            inputFields: (t: string) => (t === 'contacts' ? ['jobtitle', 'hs_buying_role'] : []),
          }
        : undefined,
  };

  it('rescores contacts when the runtime syncs them; our own contact fields never trigger', async () => {
    const { app, runtime } = await buildTestApp({ env: hubspotEnv, runtime: withContacts });
    const body = JSON.stringify([contactEvent(501, 'jobtitle'), contactEvent(502, 'icp_buying_role'), contactEvent(503, 'email')]);
    expect((await app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: delivery(body), payload: body })).statusCode).toBe(200);
    expect(runtime.enqueued.map((r) => [r.objectType, r.id])).toEqual([['contacts', '501']]);
  });

  it('drops contact events when contacts are not synced (a model without roles)', async () => {
    const { app, runtime } = await buildTestApp({ env: hubspotEnv });
    const body = JSON.stringify([contactEvent(501, 'jobtitle')]);
    expect((await app.inject({ method: 'POST', url: '/webhooks/hubspot', headers: delivery(body), payload: body })).statusCode).toBe(200);
    expect(runtime.enqueued).toEqual([]);
  });
});
