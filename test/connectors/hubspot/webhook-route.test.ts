import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureV3 } from '../../../src/connectors/hubspot/signature.ts';
import { hubspotWebhookRoutes } from '../../../src/connectors/hubspot/webhook-route.ts';
import { QueueUnavailableError } from '../../../src/errors.ts';
import type { RescoreProducer, RescoreRequest } from '../../../src/pipeline/requests.ts';
import { silentLogger, testEnv } from './helpers.ts';

const SECRET = 'webhook-secret';
const APP_ID = '4242';
const PORTAL = '62515';
const PUBLIC = 'https://icp.example.com';
const OUTPUTS = ['icp_fit_score', 'icp_tier', 'icp_tags', 'icp_fit_reasons'];

class RecordingProducer implements RescoreProducer {
  readonly batches: RescoreRequest[][] = [];
  fail: Error | undefined;
  async enqueue(requests: readonly RescoreRequest[]): Promise<void> {
    if (this.fail) throw this.fail;
    this.batches.push([...requests]);
  }
}

let app: FastifyInstance | undefined;

async function build(producer: RescoreProducer, env: Record<string, string> = {}): Promise<FastifyInstance> {
  app = Fastify({ logger: false });
  await app.register(hubspotWebhookRoutes, {
    env: testEnv({ HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: APP_ID, HUBSPOT_PORTAL_ID: PORTAL, PUBLIC_BASE_URL: PUBLIC, ...env }),
    producer,
    outputPropertyNames: OUTPUTS,
    logger: silentLogger,
  });
  await app.ready();
  return app;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

function event(over: Record<string, unknown>): Record<string, unknown> {
  return {
    eventId: 1,
    subscriptionId: 7,
    portalId: Number(PORTAL),
    appId: Number(APP_ID),
    occurredAt: 1_787_843_156_000,
    subscriptionType: 'company.propertyChange',
    attemptNumber: 0,
    objectId: 101,
    propertyName: 'industry',
    propertyValue: 'RETAIL',
    changeSource: 'CRM_UI',
    sourceId: 'userId:45427659',
    ...over,
  };
}

function signed(body: string, opts: { ts?: number; url?: string; secret?: string; base?: string } = {}) {
  const ts = String(opts.ts ?? Date.now());
  const url = opts.url ?? '/webhooks/hubspot';
  return {
    method: 'POST' as const,
    url,
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signatureV3(opts.secret ?? SECRET, 'POST', `${opts.base ?? PUBLIC}${url}`, body, ts),
      'x-hubspot-request-timestamp': ts,
    },
  };
}

describe('POST /webhooks/hubspot', () => {
  it('enqueues one rescore per company from a signed batch', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer);
    const body = JSON.stringify([
      event({ objectId: 101, occurredAt: 1 }),
      event({ objectId: 101, occurredAt: 5, propertyName: 'numberofemployees' }),
      event({ objectId: 102, subscriptionType: 'company.creation', propertyName: undefined }),
      event({ objectId: 103, subscriptionType: 'object.propertyChange', objectTypeId: '0-2' }),
      event({ objectId: 104, subscriptionType: 'object.propertyChange', objectTypeId: '0-1' }),
      event({ objectId: 105, subscriptionType: 'company.restore' }),
    ]);
    const res = await a.inject(signed(body));
    expect(res.statusCode).toBe(200);
    expect(producer.batches).toHaveLength(1);
    const reqs = producer.batches[0]!;
    expect(reqs.map((r) => r.id).sort()).toEqual(['101', '102', '103', '105']);
    expect(reqs.find((r) => r.id === '101')).toEqual({ crm: 'hubspot', objectType: 'companies', id: '101', trigger: 'webhook', occurredAt: 5 });
  });

  it('drops our own echoes, changes to output properties and other portals (loop guard)', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer);
    const body = JSON.stringify([
      event({ objectId: 201, changeSource: 'INTEGRATION', sourceId: APP_ID }),
      event({ objectId: 202, propertyName: 'icp_tier' }),
      event({ objectId: 203, portalId: 999 }),
    ]);
    const res = await a.inject(signed(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ queued: 0, ignored: 3 });
    expect(producer.batches).toHaveLength(0);
  });

  it('rescores the surviving company of a merge and drops merged-away and deleted ones', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer);
    const body = JSON.stringify([
      event({ objectId: 301, occurredAt: 1 }),
      event({ subscriptionType: 'company.merge', objectId: 300, primaryObjectId: 300, newObjectId: 300, mergedObjectIds: [301], occurredAt: 2 }),
      event({ subscriptionType: 'company.deletion', objectId: 302 }),
    ]);
    const res = await a.inject(signed(body));
    expect(res.statusCode).toBe(200);
    expect(producer.batches[0]!.map((r) => r.id)).toEqual(['300']);
  });

  it('refuses forged, stale, future and replayed-outside-window deliveries with 401', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer);
    const body = JSON.stringify([event({})]);
    expect((await a.inject(signed(body, { secret: 'forged' }))).statusCode).toBe(401);
    expect((await a.inject(signed(body, { ts: Date.now() - 6 * 60_000 }))).statusCode).toBe(401);
    expect((await a.inject(signed(body, { ts: Date.now() + 6 * 60_000 }))).statusCode).toBe(401);
    const captured = signed(body, { ts: Date.now() - 5 * 60_000 - 1 });
    expect((await a.inject(captured)).statusCode).toBe(401);
    const tampered = signed(body);
    tampered.payload = JSON.stringify([event({ objectId: 999 })]);
    expect((await a.inject(tampered)).statusCode).toBe(401);
    const unsigned = { ...signed(body), headers: { 'content-type': 'application/json' } };
    expect((await a.inject(unsigned)).statusCode).toBe(401);
    expect(producer.batches).toHaveLength(0);
  });

  it('checks the signature against PUBLIC_BASE_URL, not the Host header', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer, { PUBLIC_BASE_URL: 'https://edge.example.com/icp/' });
    const body = JSON.stringify([event({})]);
    expect((await a.inject(signed(body, { base: 'https://edge.example.com/icp' }))).statusCode).toBe(200);
    expect((await a.inject(signed(body, { base: 'http://localhost:80' }))).statusCode).toBe(401);
  });

  it('answers 400 on malformed JSON or events, and 413 over 1 MB', async () => {
    const a = await build(new RecordingProducer());
    expect((await a.inject(signed('[{"eventId":'))).statusCode).toBe(400);
    expect((await a.inject(signed(JSON.stringify([{ objectId: 'abc' }])))).statusCode).toBe(400);
    expect((await a.inject(signed(JSON.stringify({ not: 'an array' })))).statusCode).toBe(400);
    const huge = JSON.stringify([event({ propertyValue: 'x'.repeat(1024 * 1024) })]);
    expect((await a.inject(signed(huge))).statusCode).toBe(413);
  });

  it('keeps the valid events of a delivery that also holds a malformed one, and accepts nulls', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer);
    const body = JSON.stringify([
      event({ objectId: 201, sourceId: null, objectTypeId: null }),
      { objectId: 'abc', subscriptionType: 'company.propertyChange' },
      event({ objectId: 202, occurredAt: '1787843157000' }),
    ]);
    const res = await a.inject(signed(body));
    expect(res.statusCode).toBe(200);
    expect(producer.batches.flat().map((r) => [r.id, r.occurredAt])).toEqual([
      ['201', 1_787_843_156_000],
      ['202', 1_787_843_157_000],
    ]);
  });

  it('answers 503 when the queue cannot take the events', async () => {
    const producer = new RecordingProducer();
    producer.fail = new QueueUnavailableError('redis down');
    const a = await build(producer);
    const res = await a.inject(signed(JSON.stringify([event({})])));
    expect(res.statusCode).toBe(503);
  });

  it('registers no route when no client secret is configured (service keys have no webhooks)', async () => {
    const a = await build(new RecordingProducer(), { HUBSPOT_CLIENT_SECRET: '' });
    const res = await a.inject(signed(JSON.stringify([event({})])));
    expect(res.statusCode).toBe(404);
  });
});
