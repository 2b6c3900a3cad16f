/**
 * `POST /webhooks/hubspot` answers exactly as the schema-only route did — status and body — on random
 * and hostile signed deliveries (the hand-written check is only a shortcut), and, over the real Redis
 * producer, deliveries that arrive together get their 200 only once Redis holds their rescores, or all
 * get the same 503 when the grouped write fails.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { signatureV3 } from '../../src/connectors/hubspot/signature.ts';
import {
  MAX_EVENTS_PER_DELIVERY,
  triageEvents,
  webhookEventSchema,
  type EventFilter,
  type WebhookEvent,
} from '../../src/connectors/hubspot/webhook-events.ts';
import { hubspotWebhookRoutes } from '../../src/connectors/hubspot/webhook-route.ts';
import { createLogger } from '../../src/logging.ts';
import { pipelineKeys } from '../../src/pipeline/keys.ts';
import { createRescoreProducer } from '../../src/pipeline/producer.ts';
import type { RescoreProducer, RescoreRequest } from '../../src/pipeline/requests.ts';
import { removeTestKeys } from '../redis-keys.ts';

const SECRET = 'intake-secret';
const PUBLIC = 'https://icp.example.com';
const PORTAL = '62515';
const APP_ID = '4242';
const OUTPUTS = ['icp_fit_score', 'icp_tier'];
const CONTACT_INPUTS = ['jobtitle'];
const FILTER: EventFilter = {
  portalId: PORTAL,
  appId: APP_ID,
  outputProperties: new Set(OUTPUTS),
  contacts: { inputProperties: new Set(CONTACT_INPUTS) },
};

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function build(producer: RescoreProducer): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  apps.push(app);
  await app.register(hubspotWebhookRoutes, {
    env: parseEnv({ HUBSPOT_ACCESS_TOKEN: 't', HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: APP_ID, HUBSPOT_PORTAL_ID: PORTAL, PUBLIC_BASE_URL: PUBLIC }),
    producer,
    outputPropertyNames: OUTPUTS,
    contactInputProperties: CONTACT_INPUTS,
    logger: createLogger({ level: 'silent' }),
  });
  await app.ready();
  return app;
}

function post(app: FastifyInstance, body: string) {
  const at = Date.now();
  return app.inject({
    method: 'POST',
    url: '/webhooks/hubspot',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signatureV3(SECRET, 'POST', `${PUBLIC}/webhooks/hubspot`, body, at),
      'x-hubspot-request-timestamp': String(at),
    },
    payload: body,
  });
}

/** The answer the route gave when every event went through the schema. */
function schemaOnlyAnswer(body: string): { status: number; body: unknown; requests: RescoreRequest[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { status: 400, body: { error: 'body is not JSON' }, requests: [] };
  }
  if (!Array.isArray(json) || json.length > MAX_EVENTS_PER_DELIVERY) return { status: 400, body: { error: 'body must be a JSON array of events' }, requests: [] };
  const events: WebhookEvent[] = [];
  const invalid: Array<{ index: number; problem: string }> = [];
  json.forEach((item: unknown, index) => {
    const parsed = webhookEventSchema.safeParse(item);
    if (parsed.success) events.push(parsed.data);
    else invalid.push({ index, problem: `${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  });
  if (events.length === 0 && invalid.length > 0) {
    return { status: 400, body: { error: `invalid events: [${invalid[0]?.index ?? 0}].${invalid[0]?.problem ?? ''}` }, requests: [] };
  }
  const { requests, dropped } = triageEvents(events, FILTER);
  return { status: 200, body: { queued: requests.length, ignored: dropped.length }, requests };
}

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 1e13 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(2 ** 53, 1e21, -0, '', '12', '007', 'true', 'x', '1.5', '9'.repeat(30)),
  fc.string({ maxLength: 8 }),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', 'portalId'), tie('v'), { maxKeys: 3 })),
})).v;
const event = fc.record(
  {
    portalId: fc.constantFrom(62515, '62515', 1),
    occurredAt: fc.oneof(fc.integer({ min: 0, max: 2e12 }), fc.constant('1787843156000')),
    subscriptionType: fc.constantFrom('company.propertyChange', 'company.creation', 'company.merge', 'contact.propertyChange', 'contact.associationChange', 'object.creation', 'deal.creation'),
    objectId: fc.integer({ min: 1, max: 9 }),
    objectTypeId: fc.constantFrom('0-1', '0-2'),
    propertyName: fc.constantFrom('industry', 'jobtitle', 'icp_fit_score'),
    sourceId: fc.constantFrom(APP_ID, 'userId:1'),
    mergedObjectIds: fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 2 }),
    associationType: fc.constantFrom('CONTACT_TO_COMPANY', 'COMPANY_TO_CONTACT'),
    fromObjectId: fc.integer({ min: 1, max: 9 }),
    toObjectId: fc.integer({ min: 1, max: 9 }),
  },
  { requiredKeys: ['portalId', 'occurredAt', 'subscriptionType'] },
);
const KEYS = ['portalId', 'occurredAt', 'subscriptionType', 'objectId', 'mergedObjectIds', 'associationRemoved', 'eventId', '__proto__', 'extra'];
const hostileEvent = fc.tuple(event, fc.constantFrom(...KEYS), value).map(([e, k, v]) => {
  const out: Record<string, unknown> = { ...e };
  Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});
const body = fc.oneof(
  fc.array(fc.oneof(event, event, hostileEvent, value), { maxLength: 8 }).map((items) => JSON.stringify(items)),
  value.map((v) => JSON.stringify(v)),
  fc.constantFrom('', 'not json', '[', '{"a":1}', '[]', '[null]', `[${'['.repeat(40)}${']'.repeat(40)}]`),
);

describe('POST /webhooks/hubspot: same answers as the schema-only route', () => {
  it('gives the same status, body and rescores on random and hostile signed deliveries', async () => {
    const batches: RescoreRequest[][] = [];
    const app = await build({
      enqueue: async (requests) => {
        batches.push([...requests]);
      },
    });
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        batches.length = 0;
        const expected = schemaOnlyAnswer(text);
        const res = await post(app, text);
        expect({ status: res.statusCode, body: res.json() as unknown }, text).toEqual({ status: expected.status, body: expected.body });
        expect(batches.flat(), text).toEqual(expected.requests);
      }),
      { numRuns: 400 },
    );
  });
});

describe('POST /webhooks/hubspot over the real Redis producer', () => {
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  afterEach(async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    for (const p of prefixes.splice(0)) await removeTestKeys(redis, p);
    redis.disconnect();
    for (const c of connections.splice(0)) c.disconnect();
  });

  async function withRedis() {
    const prefix = `icp-test-intake-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const redis = new Redis('redis://127.0.0.1:6379', { enableOfflineQueue: false, commandTimeout: 2000 });
    await new Promise((resolve) => redis.once('ready', resolve));
    const keys = pipelineKeys(prefix);
    const reader = new Redis('redis://127.0.0.1:6379');
    connections.push(redis, reader);
    return { app: await build(createRescoreProducer({ redis, keys, debounceMs: 1000 })), keys, reader };
  }

  const delivery = (first: number) =>
    JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({ portalId: 62515, occurredAt: 1_787_843_156_000, subscriptionType: 'company.propertyChange', objectId: first + i, propertyName: 'industry' })),
    );

  it('answers each concurrent delivery 200 only once Redis holds its rescores', async () => {
    const { app, keys, reader } = await withRedis();
    const results = await Promise.all(
      Array.from({ length: 12 }, async (_, d) => {
        const res = await post(app, delivery(d * 1000));
        const ids = Array.from({ length: 100 }, (_, i) => String(d * 1000 + i));
        const scores = await reader.zmscore(keys.pending('hubspot', 'companies'), ...ids);
        return { status: res.statusCode, body: res.json() as unknown, missing: scores.filter((s) => s === null).length };
      }),
    );
    expect(results).toEqual(results.map(() => ({ status: 200, body: { queued: 100, ignored: 0 }, missing: 0 })));
    expect(await reader.hget(keys.pendingAt('hubspot', 'companies'), '5042')).toBe('1787843156000');
  });

  it('answers every delivery of a failed write 503, with the same body, and takes the next ones', async () => {
    const { app, keys, reader } = await withRedis();
    await reader.set(keys.pending('hubspot', 'companies'), 'not a sorted set');
    const results = await Promise.all(Array.from({ length: 6 }, (_, d) => post(app, delivery(d * 1000))));
    expect(results.map((r) => [r.statusCode, r.json() as unknown])).toEqual(results.map(() => [503, { error: 'queue unavailable, retry later' }]));
    await reader.del(keys.pending('hubspot', 'companies'));
    expect((await post(app, delivery(0))).statusCode).toBe(200);
  });
});
