import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { salesforceWebhookRoutes } from '../../../src/connectors/salesforce/webhook-route.ts';
import { ACK_ENVELOPE } from '../../../src/connectors/salesforce/outbound-message.ts';
import { QueueUnavailableError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/logging.ts';
import type { RescoreProducer, RescoreRequest } from '../../../src/pipeline/requests.ts';
import { quietLogger, sandboxEnv } from './helpers.ts';

const ORG = '00D5g000004ABCDEAA';
const INTEGRATION_USER = '0055g00000AAAAAAAA';
const TOKEN = 'a-long-shared-secret-token';

interface Note {
  id: string;
  type?: string;
  modifiedBy?: string;
  extra?: string;
  /** The raw `<sObject>` element (or nothing) in place of the generated one: a deleted record's notification. */
  raw?: string;
}

function message(notes: Note[], org = ORG): string {
  const body = notes
    .map(
      (n, i) =>
        `<Notification><Id>04l5g00000ABC${String(i).padStart(3, '0')}AA</Id>` +
        (n.raw !== undefined ? `${n.raw}</Notification>` : '') +
        (n.raw !== undefined ? '' : `<sObject xsi:type="sf:${n.type ?? 'Account'}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">` +
        `<sf:Id>${n.id}</sf:Id>${n.modifiedBy ? `<sf:LastModifiedById>${n.modifiedBy}</sf:LastModifiedById>` : ''}` +
        `<sf:SystemModstamp>2026-11-26T10:00:00.000Z</sf:SystemModstamp>${n.extra ?? ''}</sObject></Notification>`),
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
    `<notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${org}</OrganizationId>` +
    '<ActionId>04k5g000000XYZAAA</ActionId><SessionId xsi:nil="true"/>' +
    '<EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/65.0/00D5g000004ABCD</EnterpriseUrl>' +
    '<PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/65.0/00D5g000004ABCD</PartnerUrl>' +
    `${body}</notifications></soapenv:Body></soapenv:Envelope>`
  );
}

class FakeProducer implements RescoreProducer {
  batches: RescoreRequest[][] = [];
  fail: Error | undefined;
  async enqueue(requests: readonly RescoreRequest[]): Promise<void> {
    if (this.fail) throw this.fail;
    this.batches.push([...requests]);
  }
}

describe('POST /webhooks/salesforce', () => {
  let app: FastifyInstance;
  let producer: FakeProducer;

  beforeEach(async () => {
    producer = new FakeProducer();
    app = Fastify();
    const env = sandboxEnv('https://login.salesforce.com', {
      SALESFORCE_ORG_ID: ORG.slice(0, 15),
      SALESFORCE_WEBHOOK_TOKEN: TOKEN,
      SALESFORCE_OBJECTS: 'Account',
    });
    await app.register(salesforceWebhookRoutes, { env, producer, integrationUserId: INTEGRATION_USER, logger: quietLogger() });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  const post = (payload: string, token: string | null = TOKEN, contentType = 'text/xml; charset=utf-8') =>
    app.inject({
      method: 'POST',
      url: token === null ? '/webhooks/salesforce' : `/webhooks/salesforce?token=${encodeURIComponent(token)}`,
      headers: { 'content-type': contentType, soapaction: '""' },
      payload,
    });

  it('acknowledges with the exact Ack envelope once the deduplicated rescores are queued', async () => {
    const res = await post(
      message([{ id: '0015g00000Aaaa1AAA' }, { id: '0015g00000Aaaa2AAA' }, { id: '0015g00000Aaaa1AAA' }]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toBe(ACK_ENVELOPE);
    expect(producer.batches).toHaveLength(1);
    expect(producer.batches[0]).toEqual([
      { crm: 'salesforce', objectType: 'Account', id: '0015g00000Aaaa1AAA', trigger: 'webhook', occurredAt: Date.parse('2026-11-26T10:00:00.000Z') },
      { crm: 'salesforce', objectType: 'Account', id: '0015g00000Aaaa2AAA', trigger: 'webhook', occurredAt: Date.parse('2026-11-26T10:00:00.000Z') },
    ]);
  });

  it('drops notifications caused by the integration user and objects that are not synced, and still acks', async () => {
    const res = await post(
      message([
        { id: '0015g00000Aaaa1AAA', modifiedBy: INTEGRATION_USER.slice(0, 15) },
        { id: '00Q5g00000Bbbb1AAA', type: 'Lead' },
        { id: '0015g00000Aaaa3AAA', modifiedBy: '0055g00000BBBBBBBB' },
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(ACK_ENVELOPE);
    expect(producer.batches.flat().map((r) => r.id)).toEqual(['0015g00000Aaaa3AAA']);
  });

  it('acks a message whose deleted records carry no data and queues every other notification', async () => {
    const sf = 'xmlns:sf="urn:sobject.enterprise.soap.sforce.com"';
    const res = await post(
      message([
        { id: '0015g00000Aaaa1AAA' },
        { id: '', raw: '' },
        { id: '', raw: `<sObject xsi:type="sf:Account" ${sf}/>` },
        { id: '', raw: '<sObject xsi:nil="true"/>' },
        { id: '', raw: `<sObject xsi:type="sf:Account" ${sf}><sf:Id></sf:Id></sObject>` },
        { id: '', raw: `<sObject ${sf}><sf:Id>0015g00000Aaaa4AAA</sf:Id></sObject>` },
        { id: '0015g00000Aaaa2AAA' },
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(ACK_ENVELOPE);
    expect(producer.batches.flat().map((r) => [r.objectType, r.id])).toEqual([
      ['Account', '0015g00000Aaaa1AAA'],
      ['Account', '0015g00000Aaaa4AAA'],
      ['Account', '0015g00000Aaaa2AAA'],
    ]);
  });

  it('acks a message made only of deleted records without queueing anything', async () => {
    const res = await post(message([{ id: '', raw: '' }, { id: '', raw: '<sObject/>' }]));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(ACK_ENVELOPE);
    expect(producer.batches).toEqual([]);
  });

  it('refuses a wrong or missing token with 401 and queues nothing', async () => {
    expect((await post(message([{ id: '0015g00000Aaaa1AAA' }]), 'wrong')).statusCode).toBe(401);
    expect((await post(message([{ id: '0015g00000Aaaa1AAA' }]), null)).statusCode).toBe(401);
    expect(producer.batches).toEqual([]);
  });

  it('refuses a message with deleted records from another org or without a token', async () => {
    expect((await post(message([{ id: '', raw: '' }], '00D000000000001AAA'))).statusCode).toBe(403);
    expect((await post(message([{ id: '', raw: '' }]), null)).statusCode).toBe(401);
  });

  it('refuses another org with 403', async () => {
    const res = await post(message([{ id: '0015g00000Aaaa1AAA' }], '00D000000000001AAA'));
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('<Ack>');
    expect(producer.batches).toEqual([]);
  });

  it('answers 400 to malformed XML and to a message of the wrong shape', async () => {
    for (const bad of ['<soapenv:Envelope><unclosed>', 'not xml at all', '<a><b></a></b>', message([]), '']) {
      const res = await post(bad);
      expect(res.statusCode, bad).toBe(400);
    }
    const tooMany = message(Array.from({ length: 101 }, (_, i) => ({ id: `0015g00000A${String(i).padStart(4, '0')}AAA` })));
    expect((await post(tooMany)).statusCode).toBe(400);
    expect(producer.batches).toEqual([]);
  });

  it('refuses XXE and entity expansion without resolving anything', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      message([{ id: '0015g00000Aaaa1AAA', extra: '<sf:Name>&xxe;</sf:Name>' }]).replace(/^<\?xml[^>]*\?>/, '');
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
    for (const payload of [xxe, lol, xxe.replace('DOCTYPE', 'doctype')]) {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain('root:');
    }
    expect(producer.batches).toEqual([]);
  });

  it('answers 503 without an Ack when the queue is unavailable, so Salesforce retries', async () => {
    producer.fail = new QueueUnavailableError('redis down');
    const res = await post(message([{ id: '0015g00000Aaaa1AAA' }]));
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('<Ack>true</Ack>');
  });

  it('refuses other content types', async () => {
    const res = await post('{"a":1}', TOKEN, 'application/json');
    expect(res.statusCode).toBe(415);
  });
});

describe('POST /webhooks/salesforce: Contact notifications', () => {
  const CONTACT = '0035g00000Cccc1AAA';
  const CONTACT_2 = '0035g00000Cccc2AAA';

  async function appWith(syncContacts: boolean | undefined) {
    const producer = new FakeProducer();
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const app = Fastify();
    const env = sandboxEnv('https://login.salesforce.com', { SALESFORCE_ORG_ID: ORG.slice(0, 15), SALESFORCE_WEBHOOK_TOKEN: TOKEN, SALESFORCE_OBJECTS: 'Account' });
    await app.register(salesforceWebhookRoutes, {
      env,
      producer,
      integrationUserId: INTEGRATION_USER,
      logger: createLogger({ level: 'info', destination }),
      ...(syncContacts === undefined ? {} : { syncContacts }),
    });
    await app.ready();
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: `/webhooks/salesforce?token=${TOKEN}`, headers: { 'content-type': 'text/xml' }, payload });
    return { app, producer, lines, post };
  }

  it('turns Contact notifications into Contact rescores when contacts are synced, without the integration user’s own writes', async () => {
    const { app, producer, post } = await appWith(true);
    const res = await post(
      message([
        { id: CONTACT, type: 'Contact', extra: '<sf:Title>Directeur Général</sf:Title>' },
        { id: CONTACT_2, type: 'Contact', modifiedBy: INTEGRATION_USER },
        { id: CONTACT.slice(0, 15), type: 'Contact' },
        { id: '0015g00000Aaaa1AAA' },
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(ACK_ENVELOPE);
    expect(producer.batches.flat().map((r) => [r.crm, r.objectType, r.id, r.trigger])).toEqual([
      ['salesforce', 'Contact', CONTACT, 'webhook'],
      ['salesforce', 'Account', '0015g00000Aaaa1AAA', 'webhook'],
    ]);
    await app.close();
  });

  it('acks and drops Contact notifications by default, logging why and no personal data', async () => {
    const { app, producer, lines, post } = await appWith(undefined);
    const res = await post(message([{ id: CONTACT, type: 'Contact', extra: '<sf:Title>Directeur Général</sf:Title>' }, { id: '0015g00000Aaaa1AAA' }]));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(ACK_ENVELOPE);
    expect(producer.batches.flat().map((r) => r.objectType)).toEqual(['Account']);
    const dropped = lines.find((l) => l.objectType === 'Contact');
    expect(dropped?.dropped).toBe(1);
    expect(String(dropped?.msg)).toContain('contacts are not synced');
    expect(JSON.stringify(lines)).not.toContain('Directeur');
    await app.close();
  });
});
