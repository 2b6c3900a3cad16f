import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureV3 } from '../../../src/connectors/hubspot/signature.ts';
import { parseDelivery, triageEvents, type EventFilter, type WebhookEvent } from '../../../src/connectors/hubspot/webhook-events.ts';
import { hubspotWebhookRoutes } from '../../../src/connectors/hubspot/webhook-route.ts';
import type { RescoreProducer, RescoreRequest } from '../../../src/pipeline/requests.ts';
import { silentLogger, testEnv } from './helpers.ts';

const APP_ID = '4242';
const PORTAL = '62515';
const OUTPUTS = new Set(['icp_fit_score', 'icp_tier', 'icp_buying_role', 'icp_priority_score', 'icp_model_version']);
const SYNCED: EventFilter = { portalId: PORTAL, appId: APP_ID, outputProperties: OUTPUTS, contacts: { inputProperties: new Set(['jobtitle', 'hs_buying_role']) } };
const NOT_SYNCED: EventFilter = { portalId: PORTAL, appId: APP_ID, outputProperties: OUTPUTS };

function raw(over: Record<string, unknown>): Record<string, unknown> {
  return {
    eventId: 1,
    subscriptionId: 7,
    portalId: Number(PORTAL),
    appId: Number(APP_ID),
    occurredAt: 1_787_843_156_000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 501,
    propertyName: 'jobtitle',
    propertyValue: 'Directeur Général',
    changeSource: 'CRM_UI',
    sourceId: 'userId:45427659',
    ...over,
  };
}

function events(...items: Record<string, unknown>[]): WebhookEvent[] {
  const parsed = parseDelivery(items);
  if (!parsed || parsed.invalid.length > 0) throw new Error(`fixture does not parse: ${JSON.stringify(parsed?.invalid)}`);
  return parsed.events;
}

const contacts = (requests: readonly RescoreRequest[]) =>
  requests
    .filter((r) => r.objectType === 'contacts')
    .map((r) => r.id)
    .sort();

describe('HubSpot contact events → rescores of contacts', () => {
  it('creation, deletion and restore request the contact (a deleted one too, for its company’s coverage)', () => {
    const t = triageEvents(
      events(
        raw({ subscriptionType: 'contact.creation', objectId: 1, propertyName: undefined, changeFlag: 'CREATED' }),
        raw({ subscriptionType: 'contact.deletion', objectId: 2, propertyName: undefined, changeFlag: 'DELETED' }),
        raw({ subscriptionType: 'contact.restore', objectId: 3, propertyName: undefined }),
      ),
      SYNCED,
    );
    expect(t.requests).toEqual([
      { crm: 'hubspot', objectType: 'contacts', id: '1', trigger: 'webhook', occurredAt: 1_787_843_156_000 },
      { crm: 'hubspot', objectType: 'contacts', id: '2', trigger: 'webhook', occurredAt: 1_787_843_156_000 },
      { crm: 'hubspot', objectType: 'contacts', id: '3', trigger: 'webhook', occurredAt: 1_787_843_156_000 },
    ]);
    expect(t.dropped).toEqual([]);
  });

  it('property changes of the mapped inputs only; output properties and other properties are dropped', () => {
    const t = triageEvents(
      events(
        raw({ objectId: 10, propertyName: 'jobtitle' }),
        raw({ objectId: 11, propertyName: 'hs_buying_role', propertyValue: 'DECISION_MAKER;BUDGET_HOLDER' }),
        raw({ objectId: 12, propertyName: 'icp_buying_role' }),
        raw({ objectId: 13, propertyName: 'email' }),
        raw({ objectId: 14, propertyName: undefined }),
      ),
      SYNCED,
    );
    expect(contacts(t.requests)).toEqual(['10', '11']);
    expect(t.dropped).toEqual([
      { reason: 'output-property', objectId: '12' },
      { reason: 'not-input-property', objectId: '13' },
      { reason: 'not-input-property', objectId: '14' },
    ]);
  });

  it('drops our own writes echoing back, whatever the property', () => {
    const t = triageEvents(events(raw({ objectId: 20, changeSource: 'INTEGRATION', sourceId: APP_ID })), SYNCED);
    expect(t.requests).toEqual([]);
    expect(t.dropped).toEqual([{ reason: 'own-write', objectId: '20' }]);
  });

  it('a merge requests the survivor and every merged id', () => {
    const t = triageEvents(
      events(
        raw({ subscriptionType: 'contact.merge', objectId: 30, primaryObjectId: 30, newObjectId: 30, mergedObjectIds: [31, 32], propertyName: undefined }),
        raw({ subscriptionType: 'contact.merge', objectId: 40, primaryObjectId: 40, newObjectId: 41, mergedObjectIds: [42], propertyName: undefined }),
      ),
      SYNCED,
    );
    expect(contacts(t.requests)).toEqual(['30', '31', '32', '41', '42']);
  });

  it('association changes between contacts and companies rescore the contact, in either direction, once', () => {
    const assoc = (over: Record<string, unknown>) =>
      raw({ objectId: undefined, propertyName: undefined, propertyValue: undefined, subscriptionType: 'contact.associationChange', ...over });
    const t = triageEvents(
      events(
        assoc({ associationType: 'CONTACT_TO_COMPANY', fromObjectId: 50, toObjectId: 900, associationRemoved: false, isPrimaryAssociation: true, occurredAt: 1 }),
        assoc({ subscriptionType: 'company.associationChange', associationType: 'COMPANY_TO_CONTACT', fromObjectId: 900, toObjectId: 50, associationRemoved: false, occurredAt: 2 }),
        assoc({ associationType: 'CONTACT_TO_COMPANY_UNLABELED', fromObjectId: 51, toObjectId: 901, associationRemoved: true }),
        assoc({ subscriptionType: 'object.associationChange', fromObjectTypeId: '0-2', toObjectTypeId: '0-1', fromObjectId: 902, toObjectId: 52, associationRemoved: true }),
        assoc({ subscriptionType: 'object.associationChange', fromObjectTypeId: '0-1', toObjectTypeId: '0-2', fromObjectId: 53, toObjectId: 903, associationRemoved: 'false' }),
        // Not contact↔company: ignored.
        assoc({ associationType: 'CONTACT_TO_DEAL', fromObjectId: 54, toObjectId: 7000 }),
        assoc({ subscriptionType: 'object.associationChange', fromObjectTypeId: '0-1', toObjectTypeId: '0-3', fromObjectId: 55, toObjectId: 7001 }),
        assoc({ fromObjectId: 56, toObjectId: 904 }),
      ),
      SYNCED,
    );
    expect(contacts(t.requests)).toEqual(['50', '51', '52', '53']);
    expect(t.requests.find((r) => r.id === '50')?.occurredAt).toBe(2);
    expect(t.requests.some((r) => r.objectType === 'companies')).toBe(false);
    expect(t.dropped.map((d) => d.reason)).toEqual(['not-contact-company-association', 'not-contact-company-association', 'not-contact-company-association']);
  });

  it('generic object.* events with objectTypeId 0-1 are contact events', () => {
    const t = triageEvents(
      events(
        raw({ subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 60, propertyName: undefined }),
        raw({ subscriptionType: 'object.propertyChange', objectTypeId: '0-1', objectId: 61, propertyName: 'jobtitle' }),
        raw({ subscriptionType: 'object.propertyChange', objectTypeId: '0-2', objectId: 62, propertyName: 'industry' }),
        raw({ subscriptionType: 'object.deletion', objectTypeId: '0-1', objectId: 63, propertyName: undefined }),
      ),
      SYNCED,
    );
    expect(t.requests.map((r) => [r.objectType, r.id])).toEqual([
      ['contacts', '60'],
      ['contacts', '61'],
      ['companies', '62'],
      ['contacts', '63'],
    ]);
  });

  it('without the contacts option every contact event is dropped with a reason, companies unchanged', () => {
    const t = triageEvents(
      events(
        raw({ objectId: 70 }),
        raw({ subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 71, propertyName: undefined }),
        raw({ subscriptionType: 'contact.associationChange', objectId: undefined, associationType: 'CONTACT_TO_COMPANY', fromObjectId: 72, toObjectId: 905 }),
        raw({ subscriptionType: 'company.creation', objectId: 73, propertyName: undefined }),
      ),
      NOT_SYNCED,
    );
    expect(t.requests.map((r) => [r.objectType, r.id])).toEqual([['companies', '73']]);
    expect(t.dropped).toEqual([
      { reason: 'contacts-not-synced', objectId: '70' },
      { reason: 'contacts-not-synced', objectId: '71' },
      { reason: 'contacts-not-synced', objectId: '72' },
    ]);
  });

  it('a contact event with no id to rescore is dropped, not queued', () => {
    const t = triageEvents(events(raw({ subscriptionType: 'contact.creation', objectId: undefined, propertyName: undefined })), SYNCED);
    expect(t.requests).toEqual([]);
    expect(t.dropped).toEqual([{ reason: 'unsupported' }]);
  });

  it('refuses malformed contact events: non-numeric ids, bad association fields', () => {
    const parsed = parseDelivery([
      raw({ objectId: 'abc' }),
      raw({ subscriptionType: 'contact.associationChange', fromObjectId: 'x1', toObjectId: 2 }),
      raw({ subscriptionType: 'contact.merge', mergedObjectIds: 'not-a-list' }),
      raw({ subscriptionType: 'contact.associationChange', associationRemoved: 'maybe', fromObjectId: 1, toObjectId: 2 }),
      raw({ objectId: 80 }),
    ]);
    expect(parsed?.invalid.map((i) => i.index)).toEqual([0, 1, 2, 3]);
    expect(parsed?.events.map((e) => e.objectId)).toEqual(['80']);
  });
});

class RecordingProducer implements RescoreProducer {
  readonly batches: RescoreRequest[][] = [];
  async enqueue(requests: readonly RescoreRequest[]): Promise<void> {
    this.batches.push([...requests]);
  }
}

describe('POST /webhooks/hubspot with contacts', () => {
  const SECRET = 'webhook-secret';
  const PUBLIC = 'https://icp.example.com';
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function build(producer: RescoreProducer, contactInputProperties?: string[]) {
    app = Fastify({ logger: false });
    await app.register(hubspotWebhookRoutes, {
      env: testEnv({ HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: APP_ID, HUBSPOT_PORTAL_ID: PORTAL, PUBLIC_BASE_URL: PUBLIC }),
      producer,
      outputPropertyNames: [...OUTPUTS],
      ...(contactInputProperties ? { contactInputProperties } : {}),
      logger: silentLogger,
    });
    await app.ready();
    return app;
  }

  const signed = (body: string) => {
    const ts = String(Date.now());
    return {
      method: 'POST' as const,
      url: '/webhooks/hubspot',
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signatureV3(SECRET, 'POST', `${PUBLIC}/webhooks/hubspot`, body, ts),
        'x-hubspot-request-timestamp': ts,
      },
    };
  };

  const body = JSON.stringify([raw({ objectId: 90 }), raw({ subscriptionType: 'company.creation', objectId: 91, propertyName: undefined })]);

  it('queues contacts when contactInputProperties is passed', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer, ['jobtitle', 'hs_buying_role']);
    const res = await a.inject(signed(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ queued: 2, ignored: 0 });
    expect(producer.batches.flat().map((r) => [r.objectType, r.id])).toEqual([
      ['contacts', '90'],
      ['companies', '91'],
    ]);
  });

  it('answers 200 and drops contacts by default', async () => {
    const producer = new RecordingProducer();
    const a = await build(producer);
    const res = await a.inject(signed(body));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ queued: 1, ignored: 1 });
    expect(producer.batches.flat().map((r) => r.objectType)).toEqual(['companies']);
  });

  it('answers 400 when every event of a contact delivery is malformed', async () => {
    const a = await build(new RecordingProducer(), ['jobtitle']);
    const res = await a.inject(signed(JSON.stringify([raw({ objectId: 'abc' }), raw({ fromObjectId: -1 })])));
    expect(res.statusCode).toBe(400);
  });
});
