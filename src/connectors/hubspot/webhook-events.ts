/**
 * HubSpot webhook events → rescore requests, with the loop guard. Pure: no I/O.
 * Payload fields: https://developers.hubspot.com/docs/api/webhooks (legacy `company.*`) and the generic
 * `object.*` form carrying `objectTypeId` (`0-2` = companies).
 */
import { z } from 'zod';
import type { RescoreRequest } from '../../pipeline/requests.ts';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const webhookEventSchema = z
  .object({
    eventId: z.union([z.number(), z.string()]).optional(),
    subscriptionId: z.union([z.number(), z.string()]).optional(),
    portalId: id,
    appId: z.union([z.number(), z.string()]).transform(String).optional(),
    occurredAt: z.number().int().nonnegative(),
    subscriptionType: z.string().min(1),
    attemptNumber: z.number().optional(),
    objectId: id.optional(),
    objectTypeId: z.string().optional(),
    propertyName: z.string().optional(),
    propertyValue: z.unknown().optional(),
    changeSource: z.string().optional(),
    sourceId: z.union([z.string(), z.number()]).transform(String).optional(),
    primaryObjectId: id.optional(),
    newObjectId: id.optional(),
    mergedObjectIds: z.array(id).optional(),
  })
  .loose();

export const webhookBatchSchema = z.array(webhookEventSchema).max(1000);
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
