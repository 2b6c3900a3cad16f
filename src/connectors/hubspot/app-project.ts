/**
 * The HubSpot developer project in `integrations/hubspot/`: its webhook subscriptions are derived
 * from the field mappings — property changes on the input properties only (never on our output
 * properties, which would echo every write back), plus creation, merge, deletion and restore.
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

export function webhookSubscriptions(mapping: ObjectMapping, outputNames: readonly string[]): WebhookSubscription[] {
  const outputs = new Set(outputNames);
  const props = inputFields(mapping).filter((p) => !NOT_SUBSCRIBABLE.has(p) && !outputs.has(p));
  return [
    { subscriptionType: 'company.creation', active: true },
    ...props.map((propertyName) => ({ subscriptionType: 'company.propertyChange', propertyName, active: true })),
    { subscriptionType: 'company.merge', active: true },
    { subscriptionType: 'company.deletion', active: true },
    { subscriptionType: 'company.restore', active: true },
  ];
}

/** The `webhooks-hsmeta.json` component for a service reachable at `publicBaseUrl`. */
export function webhookComponent(publicBaseUrl: string | undefined, mapping: ObjectMapping, outputNames: readonly string[]) {
  const base = publicCallbackBase(publicBaseUrl, 'HubSpot');
  return {
    uid: 'icp_sync_webhooks',
    type: 'webhooks',
    config: {
      settings: { targetUrl: `${base}${HUBSPOT_WEBHOOK_PATH}`, maxConcurrentRequests: MAX_CONCURRENT_REQUESTS },
      subscriptions: { crmObjects: [], legacyCrmObjects: webhookSubscriptions(mapping, outputNames), hubEvents: [] },
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
