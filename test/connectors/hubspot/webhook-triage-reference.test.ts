/**
 * The allocation-light triage agrees with the version it replaced, kept here as a frozen reference:
 * the same rescores in the same order and the same drops, on random deliveries of every event kind
 * (legacy and generic forms, merges, deletions, associations, echoes, other portals), with contacts
 * synced or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDelivery, triageEvents, type DropReason, type EventFilter, type EventTriage, type WebhookEvent } from '../../../src/connectors/hubspot/webhook-events.ts';
import type { RescoreRequest } from '../../../src/pipeline/requests.ts';

// ---- frozen reference (the triage before the allocation-light rewrite) ----
const CONTACT_OBJECT_TYPE = '0-1';
const COMPANY_OBJECT_TYPE = '0-2';

type Subject = { object: 'company' | 'contact'; action: string } | { object: 'other'; action: string };

/** Which object an event is about, in the legacy (`contact.creation`) or generic (`object.creation` + `objectTypeId`) form. */
function subjectOf(e: WebhookEvent): Subject {
  const [scope, action = ''] = e.subscriptionType.split('.', 2);
  if (scope === 'company') return { object: 'company', action };
  if (scope === 'contact') return { object: 'contact', action };
  if (scope === 'object') {
    if (e.objectTypeId === COMPANY_OBJECT_TYPE) return { object: 'company', action };
    if (e.objectTypeId === CONTACT_OBJECT_TYPE) return { object: 'contact', action };
    // Generic association events name both sides' types instead of `objectTypeId`.
    if (action === 'associationChange' && (e.fromObjectTypeId !== undefined || e.toObjectTypeId !== undefined)) return { object: 'contact', action };
  }
  return { object: 'other', action };
}

/**
 * The contact of a contact↔company association change, whichever direction the event reports
 * (HubSpot sends one event per direction when both `contact.` and `company.associationChange` are
 * subscribed); `undefined` for associations with anything else. The generic form names the types
 * (`fromObjectTypeId`/`toObjectTypeId`); the legacy form says `associationType`
 * (`CONTACT_TO_COMPANY`, `COMPANY_TO_CONTACT`, possibly with a label suffix).
 */
function associatedContact(e: WebhookEvent): string | undefined {
  if (e.fromObjectTypeId !== undefined || e.toObjectTypeId !== undefined) {
    if (e.fromObjectTypeId === CONTACT_OBJECT_TYPE && e.toObjectTypeId === COMPANY_OBJECT_TYPE) return e.fromObjectId;
    if (e.fromObjectTypeId === COMPANY_OBJECT_TYPE && e.toObjectTypeId === CONTACT_OBJECT_TYPE) return e.toObjectId;
    return undefined;
  }
  const type = e.associationType?.toUpperCase();
  if (type !== undefined) {
    if (type.startsWith('CONTACT_TO_COMPANY')) return e.fromObjectId;
    if (type.startsWith('COMPANY_TO_CONTACT')) return e.toObjectId;
    return undefined;
  }
  // No type at all: a `contact.associationChange` could be with a deal or a ticket; nothing to go on.
  return undefined;
}

/**
 * One rescore per surviving record, the newest `occurredAt` kept. Company merges rescore the
 * survivor and forget the merged-away ids, even when an earlier event in the batch asked for them.
 * Contacts are different: a deleted or merged-away contact IS requested, so that the pipeline sees
 * it gone and recomputes its company's committee coverage.
 */
function referenceTriage(events: readonly WebhookEvent[], filter: EventFilter): EventTriage {
  const dropped: EventTriage['dropped'] = [];
  const wanted = new Map<string, { objectType: string; id: string; occurredAt: number }>();
  const gone = new Set<string>();
  const drop = (reason: DropReason, objectId?: string) => dropped.push({ reason, ...(objectId ? { objectId } : {}) });
  const want = (objectType: string, id: string, occurredAt: number) => {
    const key = `${objectType}:${id}`;
    const prev = wanted.get(key);
    wanted.set(key, { objectType, id, occurredAt: Math.max(prev?.occurredAt ?? 0, occurredAt) });
  };

  for (const e of events) {
    if (filter.portalId !== undefined && e.portalId !== filter.portalId) {
      drop('other-portal', e.objectId);
      continue;
    }
    const subject = subjectOf(e);
    const { action } = subject;
    const isAssociation = action === 'associationChange';
    if (subject.object === 'other') {
      drop('not-company', e.objectId);
      continue;
    }
    // An association change between a company and its contacts is about the contact.
    const aboutContact = subject.object === 'contact' || isAssociation;
    if (aboutContact && filter.contacts === undefined) {
      drop('contacts-not-synced', e.objectId ?? e.fromObjectId);
      continue;
    }
    if (filter.appId !== undefined && e.sourceId === filter.appId) {
      drop('own-write', e.objectId);
      continue;
    }
    if (action === 'propertyChange' && e.propertyName !== undefined && filter.outputProperties.has(e.propertyName)) {
      drop('output-property', e.objectId);
      continue;
    }

    if (aboutContact && filter.contacts) {
      let targets: string[] = [];
      switch (action) {
        case 'propertyChange':
          if (e.propertyName === undefined || !filter.contacts.inputProperties.has(e.propertyName)) {
            drop('not-input-property', e.objectId);
            continue;
          }
          targets = e.objectId !== undefined ? [e.objectId] : [];
          break;
        case 'creation':
        case 'deletion':
        case 'privacyDeletion':
        case 'restore':
          targets = e.objectId !== undefined ? [e.objectId] : [];
          break;
        case 'merge': {
          const survivor = e.newObjectId ?? e.primaryObjectId ?? e.objectId;
          targets = [...(survivor !== undefined ? [survivor] : []), ...(e.mergedObjectIds ?? [])];
          break;
        }
        case 'associationChange': {
          const contact = associatedContact(e);
          if (contact === undefined) {
            drop('not-contact-company-association', e.fromObjectId ?? e.objectId);
            continue;
          }
          targets = [contact];
          break;
        }
        default:
          drop('unsupported', e.objectId);
          continue;
      }
      if (targets.length === 0) {
        drop('unsupported');
        continue;
      }
      for (const t of new Set(targets)) want('contacts', t, e.occurredAt);
      continue;
    }

    let target: string | undefined;
    switch (action) {
      case 'creation':
      case 'propertyChange':
      case 'restore':
        target = e.objectId;
        break;
      case 'merge':
        target = e.newObjectId ?? e.primaryObjectId ?? e.objectId;
        for (const m of e.mergedObjectIds ?? []) if (m !== target) gone.add(m);
        break;
      case 'deletion':
        // A deleted company has nothing left to hold a score, and reading it would find nothing;
        // if it is restored, the `restore` event brings it back.
        drop('deletion', e.objectId);
        continue;
      default:
        drop('unsupported', e.objectId);
        continue;
    }
    if (target === undefined) {
      drop('unsupported');
      continue;
    }
    want('companies', target, e.occurredAt);
  }
  const requests: RescoreRequest[] = [];
  for (const { objectType, id, occurredAt } of wanted.values()) {
    if (objectType === 'companies' && gone.has(id)) {
      drop('merged-away', id);
      continue;
    }
    requests.push({ crm: 'hubspot', objectType, id, trigger: 'webhook', occurredAt });
  }
  return { requests, dropped };
}

// ---- the property ----
const id = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom('3', '7'));
const event = fc.record(
  {
    portalId: fc.constantFrom(62515, '62515', 1),
    occurredAt: fc.integer({ min: 0, max: 50 }),
    subscriptionType: fc.constantFrom(
      'company.propertyChange', 'company.creation', 'company.deletion', 'company.restore', 'company.merge', 'company.associationChange',
      'contact.propertyChange', 'contact.creation', 'contact.deletion', 'contact.privacyDeletion', 'contact.restore', 'contact.merge',
      'contact.associationChange', 'object.propertyChange', 'object.creation', 'object.merge', 'object.associationChange', 'deal.creation',
      'company', 'company.', '.propertyChange', 'company.propertyChange.extra', 'companyX.creation', 'objects.creation',
    ),
    objectId: id,
    objectTypeId: fc.constantFrom('0-1', '0-2', '0-3'),
    propertyName: fc.constantFrom('numberofemployees', 'jobtitle', 'icp_fit_score', 'hs_buying_role'),
    sourceId: fc.constantFrom('4242', 'userId:1'),
    primaryObjectId: id,
    newObjectId: id,
    mergedObjectIds: fc.array(id, { maxLength: 3 }),
    fromObjectId: id,
    toObjectId: id,
    associationType: fc.constantFrom('CONTACT_TO_COMPANY', 'company_to_contact_primary', 'DEAL_TO_COMPANY'),
    fromObjectTypeId: fc.constantFrom('0-1', '0-2', '0-3'),
    toObjectTypeId: fc.constantFrom('0-1', '0-2'),
  },
  { requiredKeys: ['portalId', 'occurredAt', 'subscriptionType'] },
);
const filter: fc.Arbitrary<EventFilter> = fc.record(
  {
    portalId: fc.constant('62515'),
    appId: fc.constant('4242'),
    outputProperties: fc.constant(new Set(['icp_fit_score'])),
    contacts: fc.constant({ inputProperties: new Set(['jobtitle', 'hs_buying_role']) }),
  },
  { requiredKeys: ['outputProperties'] },
);

describe('triageEvents', () => {
  it('gives the same rescores, in the same order, and the same drops as the reference', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 25 }), filter, (items, f) => {
        const events = parseDelivery(JSON.parse(JSON.stringify(items)))?.events ?? [];
        expect(events).toHaveLength(items.length);
        expect(triageEvents(events, f)).toEqual(referenceTriage(events, f));
      }),
      { numRuns: 5000 },
    );
  });
});
