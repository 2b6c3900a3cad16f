/**
 * The hand-written event check agrees with the zod schema, which stays the source of truth: whatever
 * it takes, the schema accepts with an equal result; whatever it declines is left untouched for the
 * schema. Whole deliveries parse exactly as a schema-only parse does (events, skipped indexes and their
 * messages), on random, typical and hostile JSON. Inputs are JSON text parsed twice, as the route
 * gets them, so that the in-place normalisation of one copy cannot colour the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_EVENTS_PER_DELIVERY,
  parseDelivery,
  takeEvent,
  webhookEventSchema,
  type ParsedDelivery,
  type WebhookEvent,
} from '../../../src/connectors/hubspot/webhook-events.ts';

/** The delivery parse as it was before the hand-written check: the schema alone. */
function schemaOnly(json: unknown): ParsedDelivery | null {
  if (!Array.isArray(json) || json.length > MAX_EVENTS_PER_DELIVERY) return null;
  const events: WebhookEvent[] = [];
  const invalid: ParsedDelivery['invalid'] = [];
  json.forEach((item: unknown, index) => {
    const parsed = webhookEventSchema.safeParse(item);
    if (parsed.success) events.push(parsed.data);
    else invalid.push({ index, problem: `${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  });
  return { events, invalid };
}

function sameAsSchema(text: string): void {
  expect(parseDelivery(JSON.parse(text)), text).toEqual(schemaOnly(JSON.parse(text)));
}

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 1e12 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, -0, 0.5, Number.MAX_SAFE_INTEGER),
  fc.constantFrom('', '0', '42', '007', '-1', '1.5', 'true', 'false', 'TRUE', 'abc', ' 1', '1 ', '1e3', '\u0661', '9'.repeat(400), '0x10'),
  fc.string(),
);
// Nested values: arrays, objects, and the keys that pollute prototypes when copied carelessly.
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'portalId')), tie('value'), { maxKeys: 4 }),
})).value;

const KEYS = [
  'eventId', 'subscriptionId', 'portalId', 'appId', 'occurredAt', 'subscriptionType', 'attemptNumber', 'objectId', 'objectTypeId',
  'propertyName', 'propertyValue', 'changeSource', 'sourceId', 'primaryObjectId', 'newObjectId', 'mergedObjectIds', 'fromObjectId',
  'toObjectId', 'associationType', 'associationRemoved', 'isPrimaryAssociation', 'fromObjectTypeId', 'toObjectTypeId', 'extra',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];

const valid = fc.record(
  {
    eventId: fc.oneof(fc.integer({ min: 0 }), fc.string()),
    subscriptionId: fc.integer({ min: 0 }),
    portalId: fc.oneof(fc.integer({ min: 0 }), fc.stringMatching(/^\d{1,9}$/)),
    appId: fc.oneof(fc.integer({ min: 0 }), fc.constant(null)),
    occurredAt: fc.oneof(fc.integer({ min: 0, max: 2 ** 52 }), fc.stringMatching(/^\d{1,13}$/)),
    subscriptionType: fc.constantFrom('company.propertyChange', 'contact.creation', 'object.associationChange', 'contact.merge', 'object.propertyChange'),
    attemptNumber: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant('1'), fc.constant(null)),
    objectId: fc.oneof(fc.integer({ min: 0 }), fc.stringMatching(/^\d{1,12}$/)),
    objectTypeId: fc.constantFrom('0-1', '0-2', '0-3'),
    propertyName: fc.constantFrom('numberofemployees', 'jobtitle'),
    propertyValue: anyValue,
    changeSource: fc.constantFrom('CRM_UI', 'INTEGRATION'),
    sourceId: fc.oneof(fc.constant('userId:1'), fc.integer({ min: 0 }), fc.constant(null)),
    primaryObjectId: fc.integer({ min: 0 }),
    newObjectId: fc.stringMatching(/^\d{1,6}$/),
    mergedObjectIds: fc.array(fc.oneof(fc.integer({ min: 0 }), fc.stringMatching(/^\d{1,6}$/))),
    fromObjectId: fc.integer({ min: 0 }),
    toObjectId: fc.integer({ min: 0 }),
    associationType: fc.constantFrom('CONTACT_TO_COMPANY', 'COMPANY_TO_CONTACT'),
    associationRemoved: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false')),
    isPrimaryAssociation: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false'), fc.constant(null)),
    fromObjectTypeId: fc.constantFrom('0-1', '0-2'),
    toObjectTypeId: fc.constantFrom('0-1', '0-2'),
  },
  { requiredKeys: ['portalId', 'occurredAt', 'subscriptionType'] },
);

/** A valid event with one key set to anything, or removed. */
const mutated = fc.tuple(valid, fc.constantFrom(...KEYS), fc.option(anyValue, { nil: undefined })).map(([e, k, v]) => {
  const out: Record<string, unknown> = { ...e };
  if (v === undefined) delete out[k];
  else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});

const eventText = fc.oneof(
  valid.map((e) => JSON.stringify(e)),
  mutated.map((e) => JSON.stringify(e)),
  fc.dictionary(fc.constantFrom(...KEYS), anyValue).map((e) => JSON.stringify(e)),
  anyValue.map((v) => JSON.stringify(v)),
);

describe('takeEvent', () => {
  function agrees(text: string): void {
    const fast = takeEvent(JSON.parse(text));
    if (fast === undefined) return;
    const slow = webhookEventSchema.safeParse(JSON.parse(text));
    expect(slow.success, text).toBe(true);
    if (slow.success) expect(fast, text).toEqual(slow.data);
  }

  it('takes every documented shape, exactly as the schema does', () => {
    fc.assert(
      fc.property(valid, (e) => {
        const text = JSON.stringify(e);
        expect(takeEvent(JSON.parse(text)), text).toBeDefined();
        agrees(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('never accepts what the schema refuses, on random and mutated events', () => {
    fc.assert(fc.property(eventText, agrees), { numRuns: 10_000 });
  });

  it('leaves what it declines untouched, and declines hostile input', () => {
    fc.assert(
      fc.property(eventText, (text) => {
        const item: unknown = JSON.parse(text);
        if (takeEvent(item) === undefined) expect(item).toEqual(JSON.parse(text));
      }),
      { numRuns: 3000 },
    );
    const base = '"portalId":1,"occurredAt":1,"subscriptionType":"company.creation"';
    for (const hostile of [
      null,
      [],
      'x',
      1,
      JSON.parse(`{"__proto__":{"polluted":1},${base}}`),
      Object.create({ portalId: 1, occurredAt: 1, subscriptionType: 'company.creation' }),
      Object.assign(Object.create(null), { portalId: 1, occurredAt: 1, subscriptionType: 'company.creation' }),
      JSON.parse(`{${base},"objectId":${2 ** 53}}`),
      JSON.parse(`{${base},"objectId":1e400}`),
      JSON.parse(`{${base},"occurredAt":-1}`),
      JSON.parse(`{${base},"mergedObjectIds":[1,[2]]}`),
    ]) {
      expect(takeEvent(hostile)).toBeUndefined();
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseDelivery', () => {
  it('parses whole deliveries exactly as the schema alone: events, skipped indexes, messages', () => {
    const delivery = fc.oneof(
      fc.array(eventText, { maxLength: 12 }).map((items) => `[${items.join(',')}]`),
      anyValue.map((v) => JSON.stringify(v)),
      fc.constantFrom('{}', 'null', '"[]"', '1', `[${'{}'.repeat(0)}]`, `[${Array.from({ length: MAX_EVENTS_PER_DELIVERY + 1 }, () => '{}').join(',')}]`),
      fc.integer({ min: 1, max: 60 }).map((depth) => `[${'['.repeat(depth)}${']'.repeat(depth)}]`),
    );
    fc.assert(fc.property(delivery, sameAsSchema), { numRuns: 3000 });
  });

  it('keeps the messages and indexes of skipped events', () => {
    const delivery = parseDelivery([
      { portalId: 1, occurredAt: 5, subscriptionType: 'company.creation', objectId: 7 },
      { portalId: 'x', occurredAt: 5, subscriptionType: 'company.creation' },
      { portalId: 1, occurredAt: 5, subscriptionType: '' },
    ]);
    expect(delivery?.events).toEqual([{ portalId: '1', occurredAt: 5, subscriptionType: 'company.creation', objectId: '7' }]);
    expect(delivery?.invalid.map((i) => i.index)).toEqual([1, 2]);
    expect(delivery?.invalid[0]?.problem).toMatch(/^portalId: /);
  });
});
