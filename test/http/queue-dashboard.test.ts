import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, buildTestApp } from './helper.ts';

const prefix = `icp-test-${randomUUID()}`;
const queue = new Queue('rescore', { prefix, connection: { host: '127.0.0.1', port: 6379 } });

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

describe('/admin/queues', () => {
  it('asks browsers for credentials', async () => {
    const { app } = await buildTestApp({ queues: [queue] });
    const res = await app.inject({ method: 'GET', url: '/admin/queues' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="icp-sync admin"/);
  });

  it('serves the dashboard with Basic credentials (token as password)', async () => {
    const { app } = await buildTestApp({ queues: [queue] });
    const authorization = `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`;
    const res = await app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('/admin/queues');
  });

  it('lists the runtime queues on its API, with the bearer token', async () => {
    await queue.add('rescore', { ids: ['1'] });
    const { app } = await buildTestApp({ queues: [queue] });
    const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer() });
    expect(res.statusCode).toBe(200);
    const names = (res.json() as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toEqual(['rescore']);
    const wrong = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer('nope-nope-nope-nope') });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('/admin/queues when Redis fails', () => {
  it('answers 500 without the error text', async () => {
    class FailingQueue extends Queue {
      override async getJobCounts(): Promise<{ [index: string]: number }> {
        throw new Error('WRONGPASS redis://:hunter2@10.1.2.3:6379');
      }
    }
    const failing = new FailingQueue('failing', { prefix, connection: { host: '127.0.0.1', port: 6379 } });
    // bull-board's listing asks for other counts beside getJobCounts; the 500 answers before they
    // settle, so closing the queue can end the connection under one of them (BullMQ then builds its
    // job scheduler over the closed connection). The service's own queues log such errors; here
    // they are collected and must be nothing but that closed connection.
    const errors: Error[] = [];
    failing.on('error', (err) => errors.push(err));
    try {
      const { app } = await buildTestApp({ queues: [failing] });
      const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer() });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toMatch(/hunter2|10\.1\.2\.3|WRONGPASS/);
    } finally {
      await failing.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors.map((e) => e.message).filter((m) => m !== 'Connection is closed.')).toEqual([]);
  });
});

describe('/admin/queues is read-only and self-contained by default', () => {
  it('refuses to add, retry or clean jobs unless ADMIN_DASHBOARD_WRITE is on', async () => {
    const { app } = await buildTestApp({ queues: [queue] });
    const add = await app.inject({ method: 'POST', url: '/admin/queues/api/queues/rescore/add', headers: bearer(), payload: { name: 'x', data: { records: [] } } });
    expect(add.statusCode).toBe(405);
    const clean = await app.inject({ method: 'PUT', url: '/admin/queues/api/queues/rescore/clean/completed', headers: bearer() });
    expect(clean.statusCode).toBe(405);
    expect(await queue.count()).toBeGreaterThanOrEqual(0);
    const writable = await buildTestApp({ queues: [queue], env: { ADMIN_DASHBOARD_WRITE: 'true' } });
    const added = await writable.app.inject({ method: 'POST', url: '/admin/queues/api/queues/rescore/add', headers: bearer(), payload: { name: 'x', data: { ids: ['1'] } } });
    expect(added.statusCode).toBe(200);
  });

  it('forbids framing, sets a same-origin CSP and asks no third party for fonts', async () => {
    const { app } = await buildTestApp({ queues: [queue] });
    const res = await app.inject({ method: 'GET', url: '/admin/queues', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.body).not.toMatch(/fonts\.googleapis|fonts\.gstatic|https?:\/\/(?!127\.0\.0\.1|localhost)[a-z]/i);
  });
});

describe('failed admin attempts', () => {
  it('are throttled per address: 429 with Retry-After, even for the right token, until the window passes', async () => {
    const { app } = await buildTestApp();
    for (let i = 0; i < 10; i++) {
      expect((await app.inject({ method: 'GET', url: '/admin/status', headers: bearer(`wrong-${i}-Zq8xP3mK7vB2`) })).statusCode).toBe(401);
    }
    const blocked = await app.inject({ method: 'GET', url: '/admin/status', headers: bearer() });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await app.inject({ method: 'GET', url: '/admin/status', headers: bearer(), remoteAddress: '10.9.8.7' });
    expect(other.statusCode).toBe(200);
  });
});
