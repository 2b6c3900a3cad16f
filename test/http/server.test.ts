import { describe, expect, it } from 'vitest';
import { installGracefulShutdown, listen } from '../../src/http/server.ts';
import { createLogger } from '../../src/logging.ts';
import { buildTestApp } from './helper.ts';

const logger = createLogger({ level: 'silent' });

describe('installGracefulShutdown', () => {
  it('runs every step in order on SIGTERM, then exits 0', async () => {
    const order: string[] = [];
    let exitCode: number | undefined;
    const { uninstall } = installGracefulShutdown({
      logger,
      signals: ['SIGUSR2'],
      exit: (code) => {
        exitCode = code;
      },
      steps: ['http', 'workers', 'redis'].map((name) => ({ name, run: async () => void order.push(name) })),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 20));
      expect(order).toEqual(['http', 'workers', 'redis']);
      expect(exitCode).toBe(0);
    } finally {
      uninstall();
    }
  });

  it('keeps closing after a failed step and exits 1; a second call does not rerun', async () => {
    const order: string[] = [];
    const codes: number[] = [];
    const { shutdown, uninstall } = installGracefulShutdown({
      logger,
      signals: [],
      exit: (code) => void codes.push(code),
      steps: [
        { name: 'http', run: async () => void order.push('http') },
        { name: 'workers', run: () => Promise.reject(new Error('stuck')) },
        { name: 'redis', run: async () => void order.push('redis') },
      ],
    });
    await Promise.all([shutdown('test'), shutdown('again')]);
    uninstall();
    expect(order).toEqual(['http', 'redis']);
    expect(codes).toEqual([1]);
  });

  it('exits 1 when the steps outlast the timeout', async () => {
    const codes: number[] = [];
    const { shutdown, uninstall } = installGracefulShutdown({
      logger,
      signals: [],
      timeoutMs: 10,
      exit: (code) => void codes.push(code),
      steps: [{ name: 'workers', run: () => new Promise((r) => setTimeout(r, 60)) }],
    });
    await shutdown('test');
    uninstall();
    expect(codes[0]).toBe(1);
  });
});

describe('listen + close', () => {
  it('stops intake: after close the port refuses connections', async () => {
    const { app } = await buildTestApp({ app: { dashboard: false } });
    const address = await listen(app, { HOST: '127.0.0.1', PORT: 0 });
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    await app.close();
    await expect(fetch(`${address}/healthz`)).rejects.toThrow();
  });
});
