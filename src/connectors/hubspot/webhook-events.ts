/**
 * HubSpot webhook events → rescore requests, with the loop guard. Pure: no I/O.
 * Payload fields: https://developers.hubspot.com/docs/api/webhooks (legacy `company.*`) and the generic
 * `object.*` form carrying `objectTypeId` (`0-2` = companies).
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

export interface EventFilter {
  /** Accepted portal (`HUBSPOT_PORTAL_ID`); events from other portals are dropped. Unset: any. */
  portalId?: string;
  /** Our app id (`HUBSPOT_APP_ID`): changes whose `sourceId` is ours are our own writes echoing back. */
  appId?: string;
  /** Our output property names: a change to one of them never triggers a rescore. */
  outputProperties: ReadonlySet<string>;
}

export type DropReason = 'other-portal' | 'own-write' | 'output-property' | 'not-company' | 'deletion' | 'merged-away' | 'unsupported';

export interface EventTriage {
  requests: RescoreRequest[];
  dropped: Array<{ reason: DropReason; objectId?: string }>;
}

const COMPANY_OBJECT_TYPE = '0-2';

/** `creation`, `propertyChange`… for company events in either form; undefined for other objects. */
function companyAction(e: WebhookEvent): string | undefined {
  const [scope, action] = e.subscriptionType.split('.', 2);
  if (scope === 'company') return action;
  if (scope === 'object' && e.objectTypeId === COMPANY_OBJECT_TYPE) return action;
  return undefined;
}

/**
 * One rescore per surviving company, the newest `occurredAt` kept. Merges rescore the survivor and
 * forget the merged-away ids, even when an earlier event in the batch asked for them.
 */
export function triageEvents(events: readonly WebhookEvent[], filter: EventFilter): EventTriage {
  const dropped: EventTriage['dropped'] = [];
  const wanted = new Map<string, number>();
  const gone = new Set<string>();
  const drop = (reason: DropReason, objectId?: string) => dropped.push({ reason, ...(objectId ? { objectId } : {}) });

  for (const e of events) {
    if (filter.portalId !== undefined && e.portalId !== filter.portalId) {
      drop('other-portal', e.objectId);
      continue;
    }
    const action = companyAction(e);
    if (action === undefined) {
      drop('not-company', e.objectId);
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
    wanted.set(target, Math.max(wanted.get(target) ?? 0, e.occurredAt));
  }
  const requests: RescoreRequest[] = [];
  for (const [objectId, occurredAt] of wanted) {
    if (gone.has(objectId)) {
      drop('merged-away', objectId);
      continue;
    }
    requests.push({ crm: 'hubspot', objectType: 'companies', id: objectId, trigger: 'webhook', occurredAt });
  }
  return { requests, dropped };
}
