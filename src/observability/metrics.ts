/**
 * Prometheus metrics (served on `GET /metrics`). One registry for the process; the pipeline,
 * the connectors and the HTTP edge import the typed metric objects below and only ever touch
 * the label values documented on each. Label values are small closed sets or CRM/queue names:
 * never a record id, a name or an e-mail (cardinality and personal data).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The registry `/metrics` serialises. Default Node.js process metrics carry the `icp_sync_` prefix too. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'icp_sync_' });

/** Outcome of one webhook request at the receiver. */
export type WebhookResult =
  | 'accepted'
  | 'ignored'
  | 'invalid_signature'
  | 'stale'
  | 'malformed'
  | 'too_large'
  | 'queue_unavailable';

/**
 * Webhook requests by outcome. Labels: `crm` (`hubspot`|`salesforce`), `result` ({@link WebhookResult}:
 * `accepted` queued; `ignored` valid but nothing to do (own writes, other portal); `invalid_signature`;
 * `stale` timestamp too old; `malformed` 400; `too_large` 413; `queue_unavailable` 503).
 */
export const webhooksTotal = new Counter({
  name: 'icp_sync_webhooks_total',
  help: 'Webhook requests received, by CRM and result',
  labelNames: ['crm', 'result'] as const,
  registers: [registry],
});

/** Events carried by accepted webhooks (one request may carry up to 100 HubSpot events). Labels: `crm`. */
export const webhookEventsTotal = new Counter({
  name: 'icp_sync_webhook_events_total',
  help: 'Change events taken from accepted webhooks, by CRM',
  labelNames: ['crm'] as const,
  registers: [registry],
});

/** Final state of one job attempt. */
export type JobOutcome = 'completed' | 'failed' | 'retried' | 'rate_limited';

/**
 * Queue jobs by outcome. Labels: `queue` (BullMQ queue name), `outcome` ({@link JobOutcome}:
 * `completed`; `failed` for good, moved to the failed set; `retried` failed, will be tried again;
 * `rate_limited` handed back because the CRM said to wait).
 */
export const jobsTotal = new Counter({
  name: 'icp_sync_jobs_total',
  help: 'Queue job attempts, by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

/**
 * CRM API calls by HTTP status. Labels: `crm`, `status` (the HTTP status as text, e.g. `200`, `429`,
 * or `network` when no response came back).
 */
export const crmCallsTotal = new Counter({
  name: 'icp_sync_crm_calls_total',
  help: 'CRM API calls, by CRM and HTTP status',
  labelNames: ['crm', 'status'] as const,
  registers: [registry],
});

/** Time spent waiting for the shared rate limiter before a CRM call, in seconds. Labels: `crm`. */
export const limiterWaitSeconds = new Histogram({
  name: 'icp_sync_limiter_wait_seconds',
  help: 'Seconds a CRM call waited for the rate limiter',
  labelNames: ['crm'] as const,
  buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

/** BullMQ job states reported by {@link queueDepth}. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** One reading of a queue's job counts. */
export interface QueueDepthReading {
  queue: string;
  state: QueueState;
  count: number;
}

let queueDepthSource: (() => Promise<readonly QueueDepthReading[]>) | undefined;

/**
 * Jobs in each queue and state, read from Redis at scrape time. Labels: `queue`, `state`
 * (`waiting`|`active`|`delayed`|`prioritized`|`failed`). Fed by {@link setQueueDepthSource}.
 */
export const queueDepth = new Gauge({
  name: 'icp_sync_queue_depth',
  help: 'Jobs in each queue, by state (read at scrape time)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    if (!queueDepthSource) return;
    // Each reading costs a Redis round trip per queue and state: scrapes within a few seconds share one.
    if (Date.now() - queueDepthReadAt < QUEUE_DEPTH_CACHE_MS) return;
    let readings: readonly QueueDepthReading[];
    try {
      readings = await queueDepthSource();
    } catch {
      // Redis down: keep the last values rather than failing the whole scrape; readiness reports it.
      return;
    }
    queueDepthReadAt = Date.now();
    this.reset();
    for (const r of readings) this.set({ queue: r.queue, state: r.state }, r.count);
  },
});

/** Queue depths read at most this often, ms; scrapes in between get the last reading. */
export const QUEUE_DEPTH_CACHE_MS = 5000;
let queueDepthReadAt = 0;

/** Tells {@link queueDepth} where to read queue counts from; `undefined` detaches it. */
export function setQueueDepthSource(source: (() => Promise<readonly QueueDepthReading[]>) | undefined): void {
  queueDepthSource = source;
  queueDepthReadAt = 0;
}

/** Distribution of computed scores (0–100). Labels: `crm`. */
export const scoreHistogram = new Histogram({
  name: 'icp_sync_score',
  help: 'Computed ICP fit scores',
  labelNames: ['crm'] as const,
  buckets: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
  registers: [registry],
});

/** Records scored, by tier (the excluded tier included). Labels: `crm`, `tier` (model tier names). */
export const tierTotal = new Counter({
  name: 'icp_sync_tier_total',
  help: 'Records scored, by CRM and resulting tier',
  labelNames: ['crm', 'tier'] as const,
  registers: [registry],
});

/** What happened to one scored record at write-back. */
export type RecordOutcome = 'written' | 'unchanged' | 'failed' | 'missing';

/**
 * Records processed by the workers. Labels: `crm`, `outcome` ({@link RecordOutcome}: `written`;
 * `unchanged` values equal what the CRM holds, not written; `failed` the CRM refused it;
 * `missing` deleted or merged away before it was read).
 */
export const recordsTotal = new Counter({
  name: 'icp_sync_records_total',
  help: 'Records processed by the workers, by CRM and outcome',
  labelNames: ['crm', 'outcome'] as const,
  registers: [registry],
});

/**
 * Seconds from the change at the CRM (webhook `occurredAt`) to the score being written back.
 * Labels: `crm`. Only observed for requests that carry `occurredAt`.
 */
export const e2eLatencySeconds = new Histogram({
  name: 'icp_sync_e2e_latency_seconds',
  help: 'Seconds from a CRM change to its score written back',
  labelNames: ['crm'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
  registers: [registry],
});

/** What the model-health gauges show, read from Redis at scrape time (see `setModelHealthSource`). */
export interface ModelHealthReading {
  /** Days since the active model was published. */
  ageDays: number;
  crms: ReadonlyArray<{
    crm: string;
    /** `null` until judged (too few deals, or all of one outcome). */
    auc: number | null;
    /** Closed deals the last check scored. */
    deals: number;
    tiers: ReadonlyArray<{ tier: string; winRate: number | null }>;
  }>;
}

let modelHealthSource: (() => Promise<ModelHealthReading>) | undefined;
let modelHealthReading: Promise<ModelHealthReading | undefined> | undefined;
let modelHealthReadAt = 0;
/** Model-health readings are shared by the gauges of one scrape and cached this long, ms. */
export const MODEL_HEALTH_CACHE_MS = 5000;

/** One reading for every model-health gauge of a scrape; `undefined` when detached or Redis is down. */
function readModelHealth(): Promise<ModelHealthReading | undefined> {
  if (modelHealthSource === undefined) return Promise.resolve(undefined);
  if (modelHealthReading === undefined || Date.now() - modelHealthReadAt >= MODEL_HEALTH_CACHE_MS) {
    modelHealthReadAt = Date.now();
    modelHealthReading = modelHealthSource().catch(() => undefined);
  }
  return modelHealthReading;
}

/** Tells the model-health gauges where to read from; `undefined` detaches them. */
export function setModelHealthSource(source: (() => Promise<ModelHealthReading>) | undefined): void {
  modelHealthSource = source;
  modelHealthReading = undefined;
  modelHealthReadAt = 0;
}

/**
 * AUC of the active model on the deals each CRM closed since it was published (last check). Labels:
 * `crm`. Absent until a check had enough deals to judge.
 */
export const modelAuc = new Gauge({
  name: 'icp_model_auc',
  help: 'AUC of the active ICP model on deals closed since it was published (last check), by CRM',
  labelNames: ['crm'] as const,
  registers: [registry],
  async collect() {
    const r = await readModelHealth();
    if (r === undefined) return;
    this.reset();
    for (const c of r.crms) if (c.auc !== null) this.set({ crm: c.crm }, c.auc);
  },
});

/** Days since the active model was published (its re-challenge is due at 6 months unless configured). */
export const modelAgeDays = new Gauge({
  name: 'icp_model_age_days',
  help: 'Days since the active ICP model was published',
  registers: [registry],
  async collect() {
    const r = await readModelHealth();
    if (r !== undefined) this.set(r.ageDays);
  },
});

/** Win rate (0..1) of each tier on the deals of the last check. Labels: `crm`, `tier` (model tier names). */
export const modelWinRate = new Gauge({
  name: 'icp_model_win_rate',
  help: 'Win rate of each tier on deals closed since the model was published (last check), by CRM',
  labelNames: ['crm', 'tier'] as const,
  registers: [registry],
  async collect() {
    const r = await readModelHealth();
    if (r === undefined) return;
    this.reset();
    for (const c of r.crms) for (const t of c.tiers) if (t.winRate !== null) this.set({ crm: c.crm, tier: t.tier }, t.winRate);
  },
});

/** Closed deals the last model-health check scored. Labels: `crm`. */
export const modelHealthDeals = new Gauge({
  name: 'icp_model_health_deals',
  help: 'Closed deals scored by the last model-health check, by CRM',
  labelNames: ['crm'] as const,
  registers: [registry],
  async collect() {
    const r = await readModelHealth();
    if (r === undefined) return;
    this.reset();
    for (const c of r.crms) this.set({ crm: c.crm }, c.deals);
  },
});
