/**
 * Delivers record changes to a webhook target the way HubSpot does: JSON arrays of under 100
 * events, signed with both the v1 (`X-HubSpot-Signature`) and v3 (`X-HubSpot-Signature-v3` +
 * `X-HubSpot-Request-Timestamp`) schemes
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation).
 */
import { createHash, createHmac } from 'node:crypto';
import type { ChangeEvent, SandboxObjectType, SandboxStore } from './store.ts';

export interface WebhookTargetOptions {
  clientSecret: string;
  appId: string | number;
  portalId: string | number;
  /**
   * `legacy` → `company.propertyChange`, `contact.propertyChange`; `generic` → `object.propertyChange`
   * with `objectTypeId` `"0-2"` (companies) or `"0-1"` (contacts).
   */
  format?: 'legacy' | 'generic';
  /** Company property names with a propertyChange subscription. Default: every property. */
  properties?: readonly string[];
  /** Object types with subscriptions. Default: companies and contacts. */
  objects?: readonly SandboxObjectType[];
  /** Contact property names with a propertyChange subscription. Default: every property. */
  contactProperties?: readonly string[];
  /** Also deliver the changes made through the API by this app (`changeSource: "INTEGRATION"`). Default false. */
  echoOwnWrites?: boolean;
  /** How long changes are gathered into one delivery (ms). Default 25. */
  batchDelayMs?: number;
  /**
   * Re-sends of a delivery the target refused (any 4xx/5xx, or no answer), with `attemptNumber`
   * counting up. HubSpot makes up to 10 over 24 hours; the sandbox default is 0 (tests stay exact).
   */
  retries?: number;
  /** Delay before each re-send, ms. Default 50. */
  retryDelayMs?: number;
}

export interface WebhookDelivery {
  status: number;
  events: number;
  body: string;
}

const MAX_EVENTS = 99;

/** Signs a delivery the way HubSpot does; exported so tests can forge or replay deliveries. */
export function signDelivery(secret: string, url: string, body: string, timestamp: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-version': 'v1',
    'x-hubspot-signature': createHash('sha256').update(secret + body, 'utf8').digest('hex'),
    'x-hubspot-signature-v3': createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`, 'utf8').digest('base64'),
    'x-hubspot-request-timestamp': String(timestamp),
  };
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private url: string | undefined;
  private opts: WebhookTargetOptions | undefined;
  private pending: ChangeEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private eventId = 1;
  private readonly listener = (e: ChangeEvent) => this.onChange(e);

  private readonly store: SandboxStore;

  constructor(store: SandboxStore) {
    this.store = store;
    store.events.on('change', this.listener);
  }

  setTarget(url: string | undefined, opts?: WebhookTargetOptions): void {
    this.url = url;
    this.opts = opts;
  }

  /** Sends what is pending now and waits for every delivery to finish. */
  async flush(): Promise<void> {
    this.sendPending();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.store.events.off('change', this.listener);
    await this.flush();
  }

  private onChange(e: ChangeEvent): void {
    const o = this.opts;
    if (!this.url || !o) return;
    if (!o.echoOwnWrites && e.changeSource === 'INTEGRATION' && e.sourceId === String(o.appId)) return;
    const type = e.objectType ?? 'companies';
    if (!(o.objects ?? ['companies', 'contacts']).includes(type)) return;
    const subscribed = type === 'contacts' ? o.contactProperties : o.properties;
    if (e.kind === 'propertyChange' && subscribed && !subscribed.includes(e.propertyName ?? '')) return;
    this.pending.push(e);
    if (this.pending.length >= MAX_EVENTS) this.sendPending();
    else this.timer ??= setTimeout(() => this.sendPending(), o.batchDelayMs ?? 25);
  }

  private payload(e: ChangeEvent, o: WebhookTargetOptions): Record<string, unknown> {
    const generic = o.format === 'generic';
    const contact = e.objectType === 'contacts';
    const kinds = ['creation', 'propertyChange', 'deletion', 'merge', 'restore', 'associationChange'];
    const base: Record<string, unknown> = {
      eventId: this.eventId++,
      subscriptionId: (contact ? 2000 : 1000) + kinds.indexOf(e.kind),
      portalId: Number(o.portalId),
      appId: Number(o.appId),
      occurredAt: e.occurredAt,
      subscriptionType: `${generic ? 'object' : contact ? 'contact' : 'company'}.${e.kind}`,
      attemptNumber: 0,
      changeSource: e.changeSource,
      ...(e.sourceId !== undefined ? { sourceId: e.sourceId } : {}),
    };
    if (e.kind === 'associationChange') {
      // Association events name both ends instead of one `objectId`; the generic form adds both type ids.
      Object.assign(base, {
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: Number(e.objectId),
        toObjectId: Number(e.toObjectId),
        associationRemoved: e.associationRemoved ?? false,
        isPrimaryAssociation: e.isPrimaryAssociation ?? false,
        ...(generic ? { fromObjectTypeId: '0-1', toObjectTypeId: '0-2' } : {}),
      });
      return base;
    }
    base.objectId = Number(e.objectId);
    if (generic) base.objectTypeId = contact ? '0-1' : '0-2';
    if (e.kind === 'propertyChange') Object.assign(base, { propertyName: e.propertyName, propertyValue: e.propertyValue });
    if (e.kind === 'creation') base.changeFlag = 'CREATED';
    if (e.kind === 'merge') {
      Object.assign(base, {
        primaryObjectId: Number(e.objectId),
        mergedObjectIds: (e.mergedObjectIds ?? []).map(Number),
        newObjectId: Number(e.objectId),
        numberOfPropertiesMoved: 0,
      });
    }
    return base;
  }

  private sendPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const url = this.url;
    const o = this.opts;
    if (!url || !o || this.pending.length === 0) return;
    const batch = this.pending.splice(0, MAX_EVENTS).map((e) => this.payload(e, o));
    const p = this.deliver(url, o, batch).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    if (this.pending.length > 0) this.sendPending();
  }

  private async deliver(url: string, o: WebhookTargetOptions, events: Array<Record<string, unknown>>): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
      let status = 0;
      try {
        const res = await fetch(url, { method: 'POST', headers: signDelivery(o.clientSecret, url, body, Date.now()), body });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      this.deliveries.push({ status, events: events.length, body });
      if ((status >= 200 && status < 300) || attempt >= (o.retries ?? 0)) return;
      await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 50));
    }
  }
}
