/**
 * Builds the app with the console on (a fake runtime, the real Redis audit log under a random
 * prefix that is deleted afterwards) and signs in through the real form.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logging.ts';
import { cleanRedis } from '../pipeline/helpers.ts';
import { createFakeRuntime } from '../http/fake-runtime.ts';
import { MODEL_V1, createFakeConsoleRuntime, type FakeConsoleRuntime } from './fake-console-runtime.ts';

export const EDITOR_SECRET = 'ed-7Hq2-Lp9x-Vb4k-Zr8m';
export const VIEWER_SECRET = 'vw-3Nc6-Tj1y-Qd5s-Wg2p';

export interface ConsoleTestApp {
  app: FastifyInstance;
  runtime: FakeConsoleRuntime;
}

export async function buildConsoleApp(env: Record<string, string> = {}): Promise<ConsoleTestApp> {
  const parsed = parseEnv({
    CONSOLE_EDITOR_SECRET: EDITOR_SECRET,
    CONSOLE_VIEWER_SECRET: VIEWER_SECRET,
    REDIS_PREFIX: `icpconsole-${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const redis = new Redis(parsed.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const runtime = createFakeConsoleRuntime(redis, parsed.REDIS_PREFIX);
  await runtime.models.registerFile(MODEL_V1, 'config/icp.yaml');
  const app = await buildApp({ env: parsed, logger: createLogger({ level: 'silent' }), runtime: createFakeRuntime(), console: runtime });
  await app.ready();
  onTestFinished(async () => {
    await app.close();
    await cleanRedis(parsed);
    redis.disconnect();
  });
  return { app, runtime };
}

/** `name=value` pairs of the cookies a response sets, to send back. */
export function cookieJar(...responses: LightMyRequestResponse[]): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const r of responses) for (const c of r.cookies) jar[c.name] = c.value;
  return jar;
}

/** The CSRF token of the first form on a page. */
export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error('no CSRF field on the page');
  return m[1];
}

export interface Signed {
  cookies: Record<string, string>;
  csrf: string;
}

/** Signs in through the form; returns the cookies and a CSRF token valid for the session. */
export async function signIn(app: FastifyInstance, secret: string, name = 'Camille'): Promise<Signed> {
  const form = await app.inject({ method: 'GET', url: '/console/sign-in' });
  const csrfCookies = cookieJar(form);
  const res = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    cookies: csrfCookies,
    payload: new URLSearchParams({ _csrf: csrfOf(form.body), name, secret, next: '/console' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  const cookies = { ...csrfCookies, ...cookieJar(res) };
  const page = await app.inject({ method: 'GET', url: '/console', cookies });
  return { cookies, csrf: csrfOf(page.body) };
}

export const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
