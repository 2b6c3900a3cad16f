/**
 * HubSpot webhook events → rescore requests, with the loop guard. Pure: no I/O.
 * Payload fields: https://developers.hubspot.com/docs/api/webhooks (legacy `company.*`, `contact.*`) and
 * the generic `object.*` form carrying `objectTypeId` (`0-2` = companies, `0-1` = contacts).
 */
import { z } from 'zod';
import type { RescoreRequest } from '../../pipeline/requests.ts';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const text = z.union([z.string(), z.number()]).transform(String);

/** HubSpot sends optional fields absent or `null` depending on the subscription: treat both as absent. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const webhookEventSchema = z
  .object({
    eventId: optional(text),
    subscriptionId: optional(text),
    portalId: id,
    appId: optional(text),
    // A millisecond timestamp; some relays forward it as a numeric string.
    occurredAt: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
    subscriptionType: z.string().min(1),
    attemptNumber: optional(z.union([z.number(), z.string()])),
    objectId: optional(id),
    objectTypeId: optional(z.string()),
    propertyName: optional(z.string()),
    propertyValue: z.unknown().optional(),
    changeSource: optional(z.string()),
    sourceId: optional(text),
    primaryObjectId: optional(id),
    newObjectId: optional(id),
    mergedObjectIds: optional(z.array(id)),
    // Association changes (https://developers.hubspot.com/changelog/new-subscription-types-for-webhooks).
    fromObjectId: optional(id),
    toObjectId: optional(id),
    associationType: optional(z.string()),
    associationRemoved: optional(z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])),
    isPrimaryAssociation: optional(z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])),
    fromObjectTypeId: optional(z.string()),
    toObjectTypeId: optional(z.string()),
  })
  .loose();

/** HubSpot sends fewer than 100 events per request; anything far above is not a HubSpot delivery. */
export const MAX_EVENTS_PER_DELIVERY = 1000;

export interface ParsedDelivery {
  events: WebhookEvent[];
  /** Events that did not match the documented shape, skipped so that one odd event never costs the rest. */
  invalid: Array<{ index: number; problem: string }>;
}

/**
 * Parses a delivery event by event: HubSpot retries a refused delivery as a whole and drops it after
 * its last retry, so one malformed event must not take the valid ones down with it. Returns `null`
 * when the body is not an array of at most MAX_EVENTS_PER_DELIVERY items.
 */
export function parseDelivery(json: unknown): ParsedDelivery | null {
  if (!Array.isArray(json) || json.length > MAX_EVENTS_PER_DELIVERY) return null;
  const events: WebhookEvent[] = [];
  const invalid: ParsedDelivery['invalid'] = [];
  json.forEach((item: unknown, index) => {
    // The documented shape is checked by hand first (zod's copies were most of the route's CPU);
    // anything it does not take goes through the schema, which has the last word and the messages.
    const fast = fastEvent(item);
    if (fast !== undefined) {
      events.push(fast);
      return;
    }
    const parsed = webhookEventSchema.safeParse(item);
    if (parsed.success) {
      events.push(parsed.data);
    } else {
      const issue = parsed.error.issues[0];
      invalid.push({ index, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
    }
  });
  return { events, invalid };
}

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

// ---- the same checks by hand -----------------------------------------------------------------
// Each returns the parsed value, or FAIL. A property test holds `fastEvent` to the schema: whatever it
// accepts, the schema accepts with an equal result (and what it declines, the schema decides).

const FAIL = Symbol('fail');
type Out<T> = T | typeof FAIL;
const DIGITS = /^\d+$/;

function idOf(v: unknown): Out<string> {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? String(v) : FAIL;
  return typeof v === 'string' && DIGITS.test(v) ? v : FAIL;
}

function textOf(v: unknown): Out<string> {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : FAIL;
}

function stringOf(v: unknown): Out<string> {
  return typeof v === 'string' ? v : FAIL;
}

function flagOf(v: unknown): Out<boolean> {
  if (typeof v === 'boolean') return v;
  return v === 'true' ? true : v === 'false' ? false : FAIL;
}

function attemptOf(v: unknown): Out<number | string> {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? v : FAIL;
}

function idsOf(v: unknown): Out<string[]> {
  if (!Array.isArray(v)) return FAIL;
  const out: string[] = [];
  for (const x of v) {
    const id = idOf(x);
    if (id === FAIL) return FAIL;
    out.push(id);
  }
  return out;
}

/** Optional fields: absent or null is `undefined`. */
const OPTIONAL: ReadonlyArray<readonly [string, (v: unknown) => Out<unknown>]> = [
  ['eventId', textOf],
  ['subscriptionId', textOf],
  ['appId', textOf],
  ['attemptNumber', attemptOf],
  ['objectId', idOf],
  ['objectTypeId', stringOf],
  ['propertyName', stringOf],
  ['changeSource', stringOf],
  ['sourceId', textOf],
  ['primaryObjectId', idOf],
  ['newObjectId', idOf],
  ['mergedObjectIds', idsOf],
  ['fromObjectId', idOf],
  ['toObjectId', idOf],
  ['associationType', stringOf],
  ['associationRemoved', flagOf],
  ['isPrimaryAssociation', flagOf],
  ['fromObjectTypeId', stringOf],
  ['toObjectTypeId', stringOf],
];

/** One event checked by hand; `undefined` when it is not plainly valid (the schema then decides). */
export function fastEvent(item: unknown): WebhookEvent | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || Object.getPrototypeOf(item) !== Object.prototype) return undefined;
  const input = item as Record<string, unknown>;
  if (Object.hasOwn(input, '__proto__')) return undefined;
  const portalId = idOf(input['portalId']);
  const at = input['occurredAt'];
  const occurredAt = typeof at === 'number' ? (Number.isSafeInteger(at) && at >= 0 ? at : FAIL) : typeof at === 'string' && DIGITS.test(at) ? Number(at) : FAIL;
  const type = input['subscriptionType'];
  if (portalId === FAIL || occurredAt === FAIL || typeof type !== 'string' || type.length === 0) return undefined;
  const out: Record<string, unknown> = { ...input, portalId, occurredAt, subscriptionType: type };
  for (const [key, check] of OPTIONAL) {
    const v = input[key];
    if (v === undefined || v === null) {
      if (key in out) out[key] = undefined;
      continue;
    }
    const parsed = check(v);
    if (parsed === FAIL) return undefined;
    out[key] = parsed;
  }
  return out as WebhookEvent;
}

export interface EventFilter {
  /** Accepted portal (`HUBSPOT_PORTAL_ID`); events from other portals are dropped. Unset: any. */
  portalId?: string;
  /** Our app id (`HUBSPOT_APP_ID`): changes whose `sourceId` is ours are our own writes echoing back. */
  appId?: string;
  /** Our output property names: a change to one of them never triggers a rescore. */
  outputProperties: ReadonlySet<string>;
  /**
   * Set when the runtime syncs contacts (the model has roles): contact events become rescores of
   * `contacts`, property changes only for these input properties (the contacts mapping's fields,
   * `jobtitle` and `hs_buying_role` by default). Unset: every contact event is dropped
   * (`contacts-not-synced`), since no worker would process it.
   */
  contacts?: { inputProperties: ReadonlySet<string> };
}

export type DropReason =
  | 'other-portal'
  | 'own-write'
  | 'output-property'
  | 'not-company'
  | 'deletion'
  | 'merged-away'
  | 'unsupported'
  | 'contacts-not-synced'
  | 'not-input-property'
  | 'not-contact-company-association';

export interface EventTriage {
  requests: RescoreRequest[];
  dropped: Array<{ reason: DropReason; objectId?: string }>;
}

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
export function triageEvents(events: readonly WebhookEvent[], filter: EventFilter): EventTriage {
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
