import { describe, expect, it } from 'vitest';
import { buildTestApp } from './helper.ts';

describe('GET /healthz', () => {
  it('answers ok without touching Redis', async () => {
    const { app } = await buildTestApp({ runtime: { ready: () => Promise.reject(new Error('down')) } });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('is ready when Redis answers', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { config: 'ok', redis: 'ok' } });
  });

  it('answers 503 when Redis is unreachable, without the error text', async () => {
    const { app } = await buildTestApp({ runtime: { ready: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:6379')) } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { config: 'ok', redis: 'unreachable' } });
    expect(res.body).not.toContain('10.0.0.7');
  });

  it('answers 503 when Redis does not answer in time', async () => {
    const { app } = await buildTestApp({ runtime: { ready: () => new Promise<void>(() => undefined) }, app: { readyTimeoutMs: 20 } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { redis: 'timeout' } });
  });
});

describe('unknown routes and errors', () => {
  it('answers 404 in the error shape', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/nope?token=secret' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', message: 'no route GET /nope' });
  });

  it('logs one access line per request with the route pattern, never the query string', async () => {
    const { app, logs } = await buildTestApp();
    await app.inject({ method: 'GET', url: '/readyz?token=s3cr3t-value' });
    await app.inject({ method: 'GET', url: '/nope?token=s3cr3t-value' });
    expect(JSON.stringify(logs)).not.toContain('s3cr3t-value');
    const access = logs.filter((l) => l.msg === 'request');
    expect(access).toEqual([expect.objectContaining({ method: 'GET', route: 'unmatched', statusCode: 404 })]);
  });
});
