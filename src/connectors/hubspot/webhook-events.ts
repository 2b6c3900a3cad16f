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
 * when the body is not an array of at most MAX_EVENTS_PER_DELIVERY items. `json` must be freshly parsed
 * JSON owned by the caller: valid events are normalised in place rather than copied.
 */
export function parseDelivery(json: unknown): ParsedDelivery | null {
  if (!Array.isArray(json) || json.length > MAX_EVENTS_PER_DELIVERY) return null;
  const items: readonly unknown[] = json;
  const events: WebhookEvent[] = [];
  const invalid: ParsedDelivery['invalid'] = [];
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    // The documented shape is checked by hand first (zod's copies were most of the route's CPU);
    // anything it does not take goes through the schema, which has the last word and the messages.
    const fast = takeEvent(item);
    if (fast !== undefined) {
      events.push(fast);
      continue;
    }
    const parsed = webhookEventSchema.safeParse(item);
    if (parsed.success) {
      events.push(parsed.data);
    } else {
      const issue = parsed.error.issues[0];
      invalid.push({ index, problem: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
    }
  }
  return { events, invalid };
}

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

// ---- the same checks by hand -----------------------------------------------------------------
// A property test holds `takeEvent` to the schema: whatever it takes, the schema accepts with an
// equal result; whatever it declines is left untouched for the schema to decide and word.
// Every field is read by name (one hidden class for all events of a delivery), and nothing is
// copied: a delivery is freshly parsed JSON that nobody else holds, so it is normalised in place.

const DIGITS = /^\d+$/;

const isId = (v: unknown): v is number | string =>
  typeof v === 'number' ? Number.isSafeInteger(v) && v >= 0 : typeof v === 'string' && DIGITS.test(v);
const isText = (v: unknown): v is number | string => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isFlag = (v: unknown): boolean => typeof v === 'boolean' || v === 'true' || v === 'false';

// Optional fields: absent or null is accepted (and null becomes undefined).
const optId = (v: unknown): boolean => v === undefined || v === null || isId(v);
const optText = (v: unknown): boolean => v === undefined || v === null || isText(v);
const optString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const optFlag = (v: unknown): boolean => v === undefined || v === null || isFlag(v);

function optIds(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  const ids: readonly unknown[] = v;
  for (let i = 0; i < ids.length; i += 1) if (!isId(ids[i])) return false;
  return true;
}

// Normalisers of values the checks above took (only called for a present key).
const asText = (v: unknown): string | undefined => (v === null ? undefined : String(v as string | number));
const asString = (v: unknown): string | undefined => (v === null ? undefined : (v as string));
const asFlag = (v: unknown): boolean | undefined => (v === null ? undefined : v === true || v === 'true');
const asIds = (v: unknown): string[] | undefined => (v === null ? undefined : (v as Array<string | number>).map(String));

/** The fields of an event as JSON holds them, before and after normalisation. */
type RawEvent = { [K in keyof WebhookEvent]?: unknown } & Record<string, unknown>;

/**
 * One event checked by hand. When it is plainly valid, it is normalised in place to exactly what the
 * schema would return (ids and texts as strings, `"true"`/`"false"` as booleans, a numeric string
 * `occurredAt` as a number, null as undefined) and returned; otherwise `undefined`, the item untouched.
 * The item must be freshly parsed JSON owned by the caller.
 */
export function takeEvent(item: unknown): WebhookEvent | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || Object.getPrototypeOf(item) !== Object.prototype) return undefined;
  const e = item as RawEvent;
  // A `__proto__` key is left to the schema: copying it anywhere is how prototypes get polluted.
  if (Object.hasOwn(e, '__proto__')) return undefined;
  const { portalId, occurredAt, subscriptionType } = e;
  if (!isId(portalId)) return undefined;
  if (typeof occurredAt === 'number' ? !(Number.isSafeInteger(occurredAt) && occurredAt >= 0) : !(typeof occurredAt === 'string' && DIGITS.test(occurredAt))) {
    return undefined;
  }
  if (typeof subscriptionType !== 'string' || subscriptionType.length === 0) return undefined;
  if (
    !optText(e.eventId) ||
    !optText(e.subscriptionId) ||
    !optText(e.appId) ||
    !optText(e.sourceId) ||
    !optText(e.attemptNumber) ||
    !optId(e.objectId) ||
    !optId(e.primaryObjectId) ||
    !optId(e.newObjectId) ||
    !optId(e.fromObjectId) ||
    !optId(e.toObjectId) ||
    !optIds(e.mergedObjectIds) ||
    !optString(e.objectTypeId) ||
    !optString(e.propertyName) ||
    !optString(e.changeSource) ||
    !optString(e.associationType) ||
    !optString(e.fromObjectTypeId) ||
    !optString(e.toObjectTypeId) ||
    !optFlag(e.associationRemoved) ||
    !optFlag(e.isPrimaryAssociation)
  ) {
    return undefined;
  }
  // Everything checked: now normalise, writing only the keys that are present.
  if (typeof portalId === 'number') e.portalId = String(portalId);
  if (typeof occurredAt === 'string') e.occurredAt = Number(occurredAt);
  if (e.eventId !== undefined) e.eventId = asText(e.eventId);
  if (e.subscriptionId !== undefined) e.subscriptionId = asText(e.subscriptionId);
  if (e.appId !== undefined) e.appId = asText(e.appId);
  if (e.sourceId !== undefined) e.sourceId = asText(e.sourceId);
  // attemptNumber keeps its type (number or string), as the schema does.
  if (e.attemptNumber === null) e.attemptNumber = undefined;
  if (e.objectId !== undefined) e.objectId = asText(e.objectId);
  if (e.primaryObjectId !== undefined) e.primaryObjectId = asText(e.primaryObjectId);
  if (e.newObjectId !== undefined) e.newObjectId = asText(e.newObjectId);
  if (e.fromObjectId !== undefined) e.fromObjectId = asText(e.fromObjectId);
  if (e.toObjectId !== undefined) e.toObjectId = asText(e.toObjectId);
  if (e.mergedObjectIds !== undefined) e.mergedObjectIds = asIds(e.mergedObjectIds);
  if (e.objectTypeId !== undefined) e.objectTypeId = asString(e.objectTypeId);
  if (e.propertyName !== undefined) e.propertyName = asString(e.propertyName);
  if (e.changeSource !== undefined) e.changeSource = asString(e.changeSource);
  if (e.associationType !== undefined) e.associationType = asString(e.associationType);
  if (e.fromObjectTypeId !== undefined) e.fromObjectTypeId = asString(e.fromObjectTypeId);
  if (e.toObjectTypeId !== undefined) e.toObjectTypeId = asString(e.toObjectTypeId);
  if (e.associationRemoved !== undefined) e.associationRemoved = asFlag(e.associationRemoved);
  if (e.isPrimaryAssociation !== undefined) e.isPrimaryAssociation = asFlag(e.isPrimaryAssociation);
  return e as WebhookEvent;
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

type Subject = 'company' | 'contact' | 'other';

/** `company.propertyChange` → `propertyChange`: what `split('.', 2)[1]` gives, `''` without a dot. */
function actionOf(type: string): string {
  const dot = type.indexOf('.');
  if (dot < 0) return '';
  const next = type.indexOf('.', dot + 1);
  return next < 0 ? type.slice(dot + 1) : type.slice(dot + 1, next);
}

/** Whether `type`'s part before the first dot is `scope`. */
const inScope = (type: string, scope: string): boolean =>
  type.startsWith(scope) && (type.length === scope.length || type.charCodeAt(scope.length) === 46 /* . */);

/** Which object an event is about, in the legacy (`contact.creation`) or generic (`object.creation` + `objectTypeId`) form. */
function subjectOf(e: WebhookEvent, action: string): Subject {
  const type = e.subscriptionType;
  if (inScope(type, 'company')) return 'company';
  if (inScope(type, 'contact')) return 'contact';
  if (inScope(type, 'object')) {
    if (e.objectTypeId === COMPANY_OBJECT_TYPE) return 'company';
    if (e.objectTypeId === CONTACT_OBJECT_TYPE) return 'contact';
    // Generic association events name both sides' types instead of `objectTypeId`.
    if (action === 'associationChange' && (e.fromObjectTypeId !== undefined || e.toObjectTypeId !== undefined)) return 'contact';
  }
  return 'other';
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
interface Wanted {
  objectType: 'companies' | 'contacts';
  id: string;
  occurredAt: number;
}

export function triageEvents(events: readonly WebhookEvent[], filter: EventFilter): EventTriage {
  const dropped: EventTriage['dropped'] = [];
  // One entry per record, in the order first asked for; looked up by id in its object type's map.
  const wanted: Wanted[] = [];
  const companies = new Map<string, Wanted>();
  const contacts = new Map<string, Wanted>();
  const gone = new Set<string>();
  const drop = (reason: DropReason, objectId?: string) => dropped.push(objectId ? { reason, objectId } : { reason });
  const want = (objectType: 'companies' | 'contacts', id: string, occurredAt: number) => {
    const ids = objectType === 'companies' ? companies : contacts;
    const prev = ids.get(id);
    if (prev === undefined) {
      const entry = { objectType, id, occurredAt: Math.max(0, occurredAt) };
      ids.set(id, entry);
      wanted.push(entry);
    } else {
      prev.occurredAt = Math.max(prev.occurredAt, occurredAt);
    }
  };

  let lastType: string | undefined;
  let lastAction = '';
  for (const e of events) {
    if (filter.portalId !== undefined && e.portalId !== filter.portalId) {
      drop('other-portal', e.objectId);
      continue;
    }
    // A delivery's events mostly share one subscription type: its action is worked out once.
    if (e.subscriptionType !== lastType) {
      lastType = e.subscriptionType;
      lastAction = actionOf(lastType);
    }
    const action = lastAction;
    const subject = subjectOf(e, action);
    const isAssociation = action === 'associationChange';
    if (subject === 'other') {
      drop('not-company', e.objectId);
      continue;
    }
    // An association change between a company and its contacts is about the contact.
    const aboutContact = subject === 'contact' || isAssociation;
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
      if (targets.length === 1) want('contacts', targets[0] as string, e.occurredAt);
      else for (const t of new Set(targets)) want('contacts', t, e.occurredAt);
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
  for (const { objectType, id, occurredAt } of wanted) {
    if (objectType === 'companies' && gone.has(id)) {
      drop('merged-away', id);
      continue;
    }
    requests.push({ crm: 'hubspot', objectType, id, trigger: 'webhook', occurredAt });
  }
  return { requests, dropped };
}
