/**
 * The hand-written event check agrees with the zod schema: whatever it accepts, the schema accepts
 * with an equal result, on random, typical and hostile events; and it takes every documented shape
 * itself (else it would never save anything).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastEvent, parseDelivery, webhookEventSchema } from '../../../src/connectors/hubspot/webhook-events.ts';

const anyValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer({ min: -5, max: 1e12 }),
  fc.double(),
  fc.constantFrom('', '0', '42', '007', '-1', '1.5', 'true', 'false', 'abc', ' 1', '1e3', '\u0661'),
  fc.string(),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 99 }), fc.constantFrom('1', 'x', '2'))),
  fc.dictionary(fc.string(), fc.integer()),
);

const KEYS = [
  'eventId', 'subscriptionId', 'portalId', 'appId', 'occurredAt', 'subscriptionType', 'attemptNumber', 'objectId', 'objectTypeId',
  'propertyName', 'propertyValue', 'changeSource', 'sourceId', 'primaryObjectId', 'newObjectId', 'mergedObjectIds', 'fromObjectId',
  'toObjectId', 'associationType', 'associationRemoved', 'isPrimaryAssociation', 'fromObjectTypeId', 'toObjectTypeId', 'extra',
];

const valid = fc.record(
  {
    eventId: fc.oneof(fc.integer({ min: 0 }), fc.string()),
    subscriptionId: fc.integer({ min: 0 }),
    portalId: fc.oneof(fc.integer({ min: 0 }), fc.stringMatching(/^\d{1,9}$/)),
    appId: fc.oneof(fc.integer({ min: 0 }), fc.constant(null)),
    occurredAt: fc.oneof(fc.integer({ min: 0, max: 2 ** 52 }), fc.stringMatching(/^\d{1,13}$/)),
    subscriptionType: fc.constantFrom('company.propertyChange', 'contact.creation', 'object.associationChange', 'contact.merge'),
    attemptNumber: fc.integer({ min: 0, max: 9 }),
    objectId: fc.integer({ min: 0 }),
    propertyName: fc.constantFrom('numberofemployees', 'jobtitle'),
    propertyValue: anyValue,
    changeSource: fc.constantFrom('CRM_UI', 'INTEGRATION'),
    sourceId: fc.oneof(fc.constant('userId:1'), fc.integer({ min: 0 })),
    mergedObjectIds: fc.array(fc.integer({ min: 0 })),
    associationRemoved: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false')),
    fromObjectTypeId: fc.constantFrom('0-1', '0-2'),
  },
  { requiredKeys: ['portalId', 'occurredAt', 'subscriptionType'] },
).map((e) => ({ ...e })); // a plain object, as JSON.parse makes

function agrees(item: unknown): void {
  const fast = fastEvent(item);
  if (fast === undefined) return;
  const slow = webhookEventSchema.safeParse(item);
  expect(slow.success, JSON.stringify(item)).toBe(true);
  if (slow.success) expect(fast).toEqual(slow.data);
}

describe('fastEvent', () => {
  it('takes every documented shape, exactly as the schema does', () => {
    fc.assert(
      fc.property(valid, (e) => {
        expect(fastEvent(e)).toBeDefined();
        agrees(e);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts what the schema refuses, on random events', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...KEYS), anyValue).map((e) => ({ ...e })), agrees), { numRuns: 5000 });
    fc.assert(fc.property(valid, fc.constantFrom(...KEYS), anyValue, (e, k, v) => agrees({ ...e, [k]: v })), { numRuns: 5000 });
  });

  it('declines hostile input and leaves it to the schema', () => {
    for (const hostile of [null, [], 'x', 1, JSON.parse('{"__proto__":{"polluted":1},"portalId":1,"occurredAt":1,"subscriptionType":"a"}'), Object.create({ portalId: 1 })]) {
      expect(fastEvent(hostile)).toBeUndefined();
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('gives parseDelivery the same answer as before, messages included', () => {
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
