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
    try {
      const { app } = await buildTestApp({ queues: [failing] });
      const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer() });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toMatch(/hunter2|10\.1\.2\.3|WRONGPASS/);
    } finally {
      await failing.close();
    }
  });
});
