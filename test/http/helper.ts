/**
 * The one way HTTP tests get an app: built with a test env and a runtime double, closed when the
 * test ends. Drive it with `app.inject()`.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { buildApp, type BuildAppOptions } from '../../src/http/app.ts';
import type { HttpRuntime } from '../../src/http/runtime-port.ts';
import { createLogger } from '../../src/logging.ts';
import { createFakeRuntime, type FakeRuntime } from './fake-runtime.ts';

export const ADMIN_TOKEN = 'k7Qz-fixture-9fX2mP4wL8';

export interface TestApp {
  app: FastifyInstance;
  runtime: FakeRuntime;
  /** Every log line written, parsed. */
  logs: Array<Record<string, unknown>>;
}

export interface TestAppOptions {
  /** Environment variables on top of `{ ADMIN_TOKEN }`; pass `ADMIN_TOKEN: ''` to turn admin off. */
  env?: Record<string, string>;
  runtime?: Partial<HttpRuntime>;
  queues?: Parameters<typeof createFakeRuntime>[1];
  app?: Partial<Pick<BuildAppOptions, 'dashboard' | 'readyTimeoutMs'>>;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const env = parseEnv({ ADMIN_TOKEN, ...options.env });
  const runtime = createFakeRuntime(options.runtime, options.queues);
  const app = await buildApp({ env, logger: createLogger({ level: 'info', destination }), runtime, ...options.app });
  await app.ready();
  onTestFinished(async () => {
    await app.close();
  });
  return { app, runtime, logs };
}

export const bearer = (token: string = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}` });
