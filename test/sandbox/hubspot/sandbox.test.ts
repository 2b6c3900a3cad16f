import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';

let sandbox: HubSpotSandbox;
let client: Client;

async function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? sandbox.accessToken}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 250, tokens: { 'read-only': { scopes: ['crm.objects.companies.read'] } } });
  // The real SDK, unchanged but for basePath; no retries so faults surface.
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url });
});
afterAll(async () => {
  await sandbox.close();
});

describe('HubSpot sandbox with the real @hubspot/api-client', () => {
  it('lists every seeded company through getAll (paging with after)', async () => {
    const all = await client.crm.companies.getAll(100, undefined, ['name', 'industry', 'numberofemployees']);
    expect(all).toHaveLength(250);
    expect(new Set(all.map((c) => c.id)).size).toBe(250);
    expect(all[0]?.properties).toHaveProperty('numberofemployees');
  });

  it('seeds the same companies for the same seed', async () => {
    const other = await startHubSpotSandbox({ seed: 5 });
    try {
      const a = other.store.list().map((c) => c.properties.name);
      const mine = sandbox.store.list().slice(0, 5).map((c) => c.properties.name);
      expect(a).toEqual(mine);
    } finally {
      await other.close();
    }
  });

  it('batch reads, batch updates and searches', async () => {
    const ids = sandbox.store.list().slice(0, 3).map((c) => c.id);
    const read = await client.crm.companies.batchApi.read({
      inputs: [...ids, '1'].map((id) => ({ id })),
      properties: ['name'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect('errors' in read && read.errors?.[0]?.category).toBe('OBJECT_NOT_FOUND');

    const upd = await client.crm.companies.batchApi.update({ inputs: [{ id: ids[0]!, properties: { city: 'Brest' } }] });
    expect(upd.results[0]?.properties.city).toBe('Brest');

    const found = await client.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'city', operator: 'EQ' as never, value: 'Brest' }] }],
      sorts: ['hs_lastmodifieddate'],
      properties: ['city'],
      limit: 200,
      after: '0',
    });
    expect(found.results.map((r) => r.id)).toContain(ids[0]);
  });

  it('creates a property group and properties, and answers 409 on duplicates', async () => {
    await client.crm.properties.groupsApi.create('companies', { name: 'icp_sync', label: 'ICP', displayOrder: -1 });
    const created = await client.crm.properties.coreApi.create('companies', {
      name: 'icp_tier',
      label: 'ICP Tier',
      type: 'enumeration' as never,
      fieldType: 'select' as never,
      groupName: 'icp_sync',
      options: [{ label: 'A', value: 'A', hidden: false, displayOrder: 0 }],
    });
    expect(created.name).toBe('icp_tier');
    await expect(client.crm.properties.groupsApi.create('companies', { name: 'icp_sync', label: 'ICP' })).rejects.toMatchObject({ code: 409 });
  });

  it('answers 401 with HubSpot body and 403 on a missing scope', async () => {
    const bad = await call('/crm/v3/objects/companies', { token: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body.category).toBe('INVALID_AUTHENTICATION');
    const forbidden = await call('/crm/objects/2026-03/companies/batch/update', { method: 'POST', token: 'read-only', body: { inputs: [] } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.category).toBe('MISSING_SCOPES');
  });

  it('serves date-versioned paths and per-input errors for unknown options', async () => {
    const ids = sandbox.store.list().slice(0, 2).map((c) => c.id);
    const res = await call('/crm/objects/2026-03/companies/batch/update', {
      method: 'POST',
      body: {
        inputs: [
          { id: ids[0], properties: { industry: 'NOT_AN_INDUSTRY' }, objectWriteTraceId: ids[0] },
          { id: ids[1], properties: { city: 'Vannes' }, objectWriteTraceId: ids[1] },
        ],
      },
    });
    expect(res.status).toBe(207);
    const errors = res.body.errors as Array<{ category: string; context: { objectWriteTraceId: string[] } }>;
    expect(errors[0]?.category).toBe('VALIDATION_ERROR');
    expect(errors[0]?.context.objectWriteTraceId).toEqual([ids[0]]);
    expect(sandbox.store.get(ids[1]!)?.properties.city).toBe('Vannes');
    const whole = await call('/crm/objects/2026-03/companies/batch/update', {
      method: 'POST',
      body: { inputs: [{ id: ids[0], properties: { industry: 'NOT_AN_INDUSTRY' } }] },
    });
    expect(whole.status).toBe(400);
  });

  it('refuses search paging at 10,000 results', async () => {
    const res = await call('/crm/v3/objects/companies/search', { method: 'POST', body: { limit: 200, after: '10000' } });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
  });

  it('enforces the rolling 10-second limit with HubSpot 429 bodies and headers', async () => {
    const s = await startHubSpotSandbox({ seed: 1, limits: { per10s: 2 } });
    try {
      const get = () => fetch(`${s.url}/crm/v3/objects/companies?limit=1`, { headers: { authorization: `Bearer ${s.accessToken}` } });
      const first = await get();
      expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('2');
      expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).not.toBeNull();
      await get();
      const third = await get();
      expect(third.status).toBe(429);
      expect(await third.json()).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.' });
      expect(s.store.stats().rateLimited).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('injects faults that the SDK sees as ApiException', async () => {
    sandbox.store.injectFault({ status: 502, count: 1, route: 'companies.get' });
    const id = sandbox.store.list()[0]!.id;
    await expect(client.crm.companies.basicApi.getById(id)).rejects.toMatchObject({ code: 502 });
    const ok = await client.crm.companies.basicApi.getById(id);
    expect(ok.id).toBe(id);
    expect(sandbox.store.stats().byRoute['companies.get']).toBeGreaterThanOrEqual(2);
  });

  it('posts signed webhook batches when records change, and echoes own writes only when asked', async () => {
    const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
    const target: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/webhooks/hubspot`;
    try {
      const secret = 'sandbox-secret';
      sandbox.setWebhookTarget(url, { clientSecret: secret, appId: sandbox.appId, portalId: sandbox.portalId, properties: ['industry', 'city'] });
      const [a, b] = sandbox.store.list().map((c) => c.id);
      sandbox.store.update(a!, { city: 'Quimper' });
      // A value the seeded company does not hold already, so the edit is a change.
      const industry = sandbox.store.get(b!)?.properties.industry === 'RETAIL' ? 'CONSTRUCTION' : 'RETAIL';
      sandbox.store.update(b!, { industry, name: 'Unsubscribed change' });
      await client.crm.companies.basicApi.update(a!, { properties: { city: 'Lorient' } });
      await sandbox.flushWebhooks();
      const events = received.flatMap((r) => JSON.parse(r.body) as Array<Record<string, unknown>>);
      expect(events.map((e) => [e.objectId, e.propertyName])).toEqual([
        [Number(a), 'city'],
        [Number(b), 'industry'],
      ]);
      const first = received[0]!;
      expect(Signature.isValid({ signature: String(first.headers['x-hubspot-signature']), clientSecret: secret, requestBody: first.body })).toBe(true);
      expect(
        Signature.isValid({
          signatureVersion: 'v3',
          signature: String(first.headers['x-hubspot-signature-v3']),
          clientSecret: secret,
          requestBody: first.body,
          url,
          method: 'POST',
          timestamp: Number(first.headers['x-hubspot-request-timestamp']),
        }),
      ).toBe(true);

      received.length = 0;
      sandbox.setWebhookTarget(url, { clientSecret: secret, appId: sandbox.appId, portalId: sandbox.portalId, echoOwnWrites: true });
      await client.crm.companies.basicApi.update(a!, { properties: { city: 'Vannes' } });
      await sandbox.flushWebhooks();
      const echo = received.flatMap((r) => JSON.parse(r.body) as Array<Record<string, unknown>>);
      expect(echo).toEqual([expect.objectContaining({ changeSource: 'INTEGRATION', sourceId: String(sandbox.appId), propertyName: 'city' })]);
    } finally {
      sandbox.setWebhookTarget(undefined);
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});

describe('HubSpot sandbox webhook retries', () => {
  it('re-sends a refused delivery with attemptNumber counting up', async () => {
    const statuses = [503, 503, 204];
    const seen: number[] = [];
    const target: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push((JSON.parse(body) as Array<{ attemptNumber: number }>)[0]!.attemptNumber);
        res.writeHead(statuses.shift() ?? 204).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const s = await startHubSpotSandbox({ seed: 1 });
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
      s.setWebhookTarget(url, { clientSecret: 'x', appId: s.appId, portalId: s.portalId, retries: 3, retryDelayMs: 5 });
      s.store.update(s.store.list()[0]!.id, { city: 'Sète' });
      await s.flushWebhooks();
      expect(seen).toEqual([0, 1, 2]);
      expect(s.webhookDeliveries.map((d) => d.status)).toEqual([503, 503, 204]);
    } finally {
      await s.close();
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});
