/**
 * Enrichment metrics, on the process registry served at `GET /metrics`. Labels are closed sets:
 * `provider` (configured provider names) and a status; never a record id or a company name.
 */
import { Counter } from 'prom-client';
import { registry } from '../observability/metrics.ts';

/**
 * Record lookups per provider by outcome: `hit`, `miss`, `cached_hit`, `cached_miss`, `error`,
 * `budget` (monthly budget spent), `skipped` (nothing to look up with).
 */
export const enrichmentLookupsTotal = new Counter({
  name: 'icp_sync_enrichment_lookups_total',
  help: 'Enrichment lookups per record, by provider and outcome',
  labelNames: ['provider', 'status'] as const,
  registers: [registry],
});

/** Provider HTTP calls by status (`200`, `429`, `500`…, `timeout`, `network`). */
export const enrichmentCallsTotal = new Counter({
  name: 'icp_sync_enrichment_calls_total',
  help: 'Enrichment provider HTTP calls, by provider and HTTP status',
  labelNames: ['provider', 'status'] as const,
  registers: [registry],
});
