/**
 * The HubSpot developer project in `integrations/hubspot/`: its webhook subscriptions are derived
 * from the field mappings — property changes on the input properties only (never on our output
 * properties, which would echo every write back), plus creation, merge, deletion and restore.
 * When the model has roles, contacts too: creation, deletion, merge, changes of the contacts
 * mapping's inputs (`jobtitle`, `hs_buying_role`) and association changes (a contact joining or
 * leaving a company, or its primary company changing).
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks
 *
 * The webhook component is never committed: it is generated from `PUBLIC_BASE_URL` by
 * `integrations/hubspot/configure.ts`, which refuses placeholder, local and plain-http URLs, so the project
 * cannot be uploaded pointing HubSpot at a URL nobody chose.
 */

/** Where the generated webhook component lives inside `integrations/hubspot/` (git-ignored). */
export const WEBHOOK_COMPONENT_PATH = 'src/app/webhooks/webhooks-hsmeta.json';
import { readFile, writeFile } from 'node:fs/promises';
import type { ObjectMapping } from '../../mappings/types.ts';
import { inputFields } from '../../mappings/apply.ts';
import { publicCallbackBase } from '../public-endpoint.ts';
import { HUBSPOT_WEBHOOK_PATH } from './webhook-route.ts';

/** Properties HubSpot refuses property-change subscriptions for (webhooks doc). */
const NOT_SUBSCRIBABLE = new Set(['hs_lastmodifieddate', 'num_unique_conversion_events']);

/** In-flight deliveries HubSpot may send at once (its documented example and default is 10). */
export const MAX_CONCURRENT_REQUESTS = 10;

export interface WebhookSubscription {
  subscriptionType: string;
  propertyName?: string;
  active: boolean;
}

/** The contacts part of the project, given only when the model has roles. */
export interface ContactSubscriptions {
  /** The HubSpot contacts mapping (`mappings.hubspot.contacts`). */
  mapping: ObjectMapping;
  /** Contact output property names (never subscribed). */
  outputNames: readonly string[];
}

function subscribable(mapping: ObjectMapping, outputNames: readonly string[]): string[] {
  const outputs = new Set(outputNames);
  return inputFields(mapping).filter((p) => !NOT_SUBSCRIBABLE.has(p) && !outputs.has(p));
}

export function webhookSubscriptions(mapping: ObjectMapping, outputNames: readonly string[], contacts?: ContactSubscriptions): WebhookSubscription[] {
  const props = subscribable(mapping, outputNames);
  return [
    { subscriptionType: 'company.creation', active: true },
    ...props.map((propertyName) => ({ subscriptionType: 'company.propertyChange', propertyName, active: true })),
    { subscriptionType: 'company.merge', active: true },
    { subscriptionType: 'company.deletion', active: true },
    { subscriptionType: 'company.restore', active: true },
    ...(contacts ? contactSubscriptions(contacts) : []),
  ];
}

/**
 * Contact events: a deletion is subscribed (the deleted contact no longer counts in its company's
 * committee); association changes are subscribed on the contact side only, since the company side
 * would deliver the same change a second time.
 */
function contactSubscriptions(contacts: ContactSubscriptions): WebhookSubscription[] {
  return [
    { subscriptionType: 'contact.creation', active: true },
    ...subscribable(contacts.mapping, [...contacts.outputNames]).map((propertyName) => ({ subscriptionType: 'contact.propertyChange', propertyName, active: true })),
    { subscriptionType: 'contact.associationChange', active: true },
    { subscriptionType: 'contact.merge', active: true },
    { subscriptionType: 'contact.deletion', active: true },
  ];
}

/**
 * The `webhooks-hsmeta.json` component for a service reachable at `publicBaseUrl`; `contacts` when
 * the model has roles.
 */
export function webhookComponent(publicBaseUrl: string | undefined, mapping: ObjectMapping, outputNames: readonly string[], contacts?: ContactSubscriptions) {
  const base = publicCallbackBase(publicBaseUrl, 'HubSpot');
  return {
    uid: 'icp_sync_webhooks',
    type: 'webhooks',
    config: {
      settings: { targetUrl: `${base}${HUBSPOT_WEBHOOK_PATH}`, maxConcurrentRequests: MAX_CONCURRENT_REQUESTS },
      subscriptions: { crmObjects: [], legacyCrmObjects: webhookSubscriptions(mapping, outputNames, contacts), hubEvents: [] },
    },
  };
}

/** Rewrites the project's webhook component; returns whether the file changed. */
export async function writeWebhookComponent(path: string, component: ReturnType<typeof webhookComponent>): Promise<boolean> {
  const text = `${JSON.stringify(component, null, 2)}\n`;
  const before = await readFile(path, 'utf8').catch(() => '');
  if (before === text) return false;
  await writeFile(path, text, 'utf8');
  return true;
}
