/**
 * Outbound Messages from the sandbox: when an Account, Lead or Contact is created or a mapped input field of
 * one changes (Contact: Title, AccountId; the criteria of the record-triggered flows in
 * `integrations/salesforce`), a SOAP `notifications` message (up to 100
 * notifications) is POSTed to the target; anything but Salesforce's `Ack` is retried with backoff.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
import { KEY_PREFIX } from './ids.ts';
import { type ChangeEvent, type SandboxStore, type SObjectName } from './store.ts';

export interface OutboundTarget {
  url: string;
  token: string;
  /** OrganizationId sent in messages (default: the sandbox org's). */
  orgId?: string;
}

export interface OutboundStats {
  /** Notifications acknowledged. */
  acked: number;
  /** HTTP deliveries tried (each carries up to 100 notifications). */
  attempts: number;
  /** Deliveries answered with something other than an Ack. */
  nacks: number;
  /** Notifications given up on after all retries. */
  dropped: number;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class OutboundSender {
  private target: OutboundTarget | undefined;
  private readonly pending = new Map<SObjectName, Array<{ notificationId: string; id: string }>>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  readonly stats: OutboundStats = { acked: 0, attempts: 0, nacks: 0, dropped: 0 };
  private readonly store: SandboxStore;
  private readonly baseUrl: () => string;

  constructor(store: SandboxStore, baseUrl: () => string) {
    this.store = store;
    this.baseUrl = baseUrl;
    store.changeListeners.push((e) => this.onChange(e));
  }

  setTarget(target: OutboundTarget | undefined): void {
    this.target = target;
  }

  /** Resolves once nothing is pending or in flight. */
  waitIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && [...this.pending.values()].every((p) => p.length === 0);
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of w) resolve();
  }

  private onChange(e: ChangeEvent): void {
    if (!this.target) return;
    const inputs = this.store.standardFields(e.objectType).input;
    if (!e.changedFields.some((f) => inputs.includes(f))) return;
    const queue = this.pending.get(e.objectType) ?? [];
    queue.push({ notificationId: this.store.nextId(KEY_PREFIX.OutboundNotification), id: e.id });
    this.pending.set(e.objectType, queue);
    // Salesforce queues and batches; a short delay lets a burst share one message.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 10);
  }

  private flush(): void {
    for (const [type, queue] of this.pending) {
      while (queue.length > 0) {
        const batch = queue.splice(0, 100);
        this.inFlight += 1;
        void this.deliver(type, batch, 0).finally(() => {
          this.inFlight -= 1;
          this.notifyIdle();
        });
      }
    }
  }

  messageFor(type: SObjectName, batch: ReadonlyArray<{ notificationId: string; id: string }>, orgId: string): string {
    const fields = ['Id', 'LastModifiedById', ...this.store.standardFields(type).input];
    const notes = batch
      .map(({ notificationId, id }) => {
        // A record deleted since the change: its notification carries no data.
        const row = this.store.records[type].get(id);
        const body = fields
          .filter((f) => row && row[f] !== null && row[f] !== undefined)
          .map((f) => `<sf:${f}>${escape(String(row?.[f]))}</sf:${f}>`)
          .join('');
        return `<Notification><Id>${notificationId}</Id><sObject xsi:type="sf:${type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${body}</sObject></Notification>`;
      })
      .join('');
    const base = this.baseUrl();
    return (
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
      `<OrganizationId>${orgId}</OrganizationId><ActionId>${this.store.nextId(KEY_PREFIX.OutboundAction)}</ActionId>` +
      '<SessionId xsi:nil="true"/>' +
      `<EnterpriseUrl>${base}/services/Soap/c/65.0/${orgId.slice(0, 15)}</EnterpriseUrl><PartnerUrl>${base}/services/Soap/u/65.0/${orgId.slice(0, 15)}</PartnerUrl>` +
      `${notes}</notifications></soapenv:Body></soapenv:Envelope>`
    );
  }

  private async deliver(type: SObjectName, batch: Array<{ notificationId: string; id: string }>, attempt: number): Promise<void> {
    const target = this.target;
    if (!target) return;
    const url = new URL(target.url);
    url.searchParams.set('token', target.token);
    this.stats.attempts += 1;
    let acked = false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '""' },
        body: this.messageFor(type, batch, target.orgId ?? this.store.orgId),
      });
      const text = await res.text();
      acked = res.status === 200 && /<Ack>\s*true\s*<\/Ack>/.test(text);
    } catch {
      acked = false;
    }
    if (acked) {
      this.stats.acked += batch.length;
      return;
    }
    this.stats.nacks += 1;
    if (attempt >= 4) {
      this.stats.dropped += batch.length;
      return;
    }
    await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    await this.deliver(type, batch, attempt + 1);
  }
}
