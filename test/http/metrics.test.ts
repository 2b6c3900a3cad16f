import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { webhooksTotal } from '../../src/observability/metrics.ts';
import { buildTestApp } from './helper.ts';

function countingQueue(name: string, counts: Record<string, number>): Queue {
  const queue = { name, getJobCounts: async (...states: string[]) => Object.fromEntries(states.map((s) => [s, counts[s] ?? 0])) };
  return queue as unknown as Queue;
}

describe('GET /metrics', () => {
  it('serves the Prometheus text format with icp_sync metrics and process metrics', async () => {
    const { app } = await buildTestApp();
    webhooksTotal.inc({ crm: 'hubspot', result: 'accepted' }, 3);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/^icp_sync_webhooks_total\{crm="hubspot",result="accepted"\} \d+$/m);
    expect(res.body).toContain('# TYPE icp_sync_e2e_latency_seconds histogram');
    expect(res.body).toContain('# TYPE icp_sync_limiter_wait_seconds histogram');
    expect(res.body).toContain('icp_sync_process_cpu_user_seconds_total');
  });

  it('reads queue depth from the runtime queues at scrape time', async () => {
    const queues = [countingQueue('icp-rescore', { waiting: 7, active: 2, failed: 1 })];
    const { app } = await buildTestApp({ queues, app: { dashboard: false } });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('icp_sync_queue_depth{queue="icp-rescore",state="waiting"} 7');
    expect(res.body).toContain('icp_sync_queue_depth{queue="icp-rescore",state="active"} 2');
    expect(res.body).toContain('icp_sync_queue_depth{queue="icp-rescore",state="failed"} 1');
    expect(res.body).toContain('icp_sync_queue_depth{queue="icp-rescore",state="delayed"} 0');
  });

  it('still answers when Redis cannot be read', async () => {
    const broken = { name: 'q', getJobCounts: () => Promise.reject(new Error('down')) } as unknown as Queue;
    const { app } = await buildTestApp({ queues: [broken], app: { dashboard: false } });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('icp_sync_webhooks_total');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('asks for the bearer token', async () => {
    const token = 'Pq7r-metrics-Zx93Lm2Vb8';
    const { app } = await buildTestApp({ env: { METRICS_TOKEN: token }, app: { dashboard: false } });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope-nope-nope-nope' } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('icp_sync_webhooks_total');
  });
});

describe('queue depth on /metrics', () => {
  it('is read from Redis once for scrapes a few seconds apart', async () => {
    let reads = 0;
    const queue = { name: 'q', getJobCounts: async (...states: string[]) => (reads++, Object.fromEntries(states.map((s) => [s, 1]))) } as unknown as Queue;
    const { app } = await buildTestApp({ queues: [queue], app: { dashboard: false } });
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect(reads).toBe(1);
  });
});
