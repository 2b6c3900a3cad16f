/**
 * The console's access rules through app.inject: off without a secret, sign-in and its rate
 * limit, cookie attributes, CSRF on every form, the viewer's read-only role, the audit log.
 */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logging.ts';
import { createFakeRuntime } from '../http/fake-runtime.ts';
import { createFakeConsoleRuntime } from './fake-console-runtime.ts';
import { EDITOR_SECRET, VIEWER_SECRET, buildConsoleApp, cookieJar, csrfOf, form, signIn } from './helper.ts';

describe('console settings', () => {
  it('is absent (404) when no console secret is set', async () => {
    const app = await buildApp({ env: parseEnv({}), logger: createLogger({ level: 'silent' }), runtime: createFakeRuntime(), console: createFakeConsoleRuntime() });
    try {
      expect((await app.inject({ method: 'GET', url: '/console' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/console/sign-in' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('refuses weak, placeholder and shared secrets', () => {
    expect(() => parseEnv({ CONSOLE_EDITOR_SECRET: 'short' })).toThrow(/CONSOLE_EDITOR_SECRET: must be at least 16 characters/);
    expect(() => parseEnv({ CONSOLE_VIEWER_SECRET: 'changeme-changeme-123' })).toThrow(/CONSOLE_VIEWER_SECRET: is too easy to guess/);
    expect(() => parseEnv({ CONSOLE_EDITOR_SECRET: EDITOR_SECRET, CONSOLE_VIEWER_SECRET: EDITOR_SECRET })).toThrow(/CONSOLE_VIEWER_SECRET: must differ from CONSOLE_EDITOR_SECRET/);
    expect(parseEnv({ CONSOLE_EDITOR_SECRET: EDITOR_SECRET }).CONSOLE_COOKIE_SECURE).toBe('auto');
  });
});

describe('sign-in', () => {
  it('sends a visitor to the sign-in page, then back where they wanted to go', async () => {
    const { app } = await buildConsoleApp();
    const res = await app.inject({ method: 'GET', url: '/console/operations' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Foperations');
    const signInPage = await app.inject({ method: 'GET', url: res.headers.location ?? '' });
    expect(signInPage.statusCode).toBe(200);
    expect(signInPage.body).toContain('value="/console/operations"');
    expect(signInPage.headers['content-security-policy']).toContain("script-src 'self'");
    expect(signInPage.headers['x-frame-options']).toBe('DENY');
  });

  it('sets a signed, httpOnly, SameSite=Strict session cookie scoped to /console', async () => {
    const { app } = await buildConsoleApp();
    const page = await app.inject({ method: 'GET', url: '/console/sign-in' });
    const res = await app.inject({ method: 'POST', url: '/console/sign-in', cookies: cookieJar(page), ...form({ _csrf: csrfOf(page.body), name: 'Camille', secret: EDITOR_SECRET, next: 'https://evil.example/' }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console');
    const session = res.cookies.find((c) => c.name === 'icp_console_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(session?.secure).toBeFalsy();
    // A forged cookie (the payload changed, the signature kept) is refused.
    const forged = `${Buffer.from(JSON.stringify({ r: 'editor', n: 'Mallory', e: Date.now() + 1e6 })).toString('base64url')}.${(session?.value ?? '').split('.').at(-1) ?? ''}`;
    expect((await app.inject({ method: 'GET', url: '/console', cookies: { icp_console_session: forged } })).statusCode).toBe(303);
    expect((await app.inject({ method: 'GET', url: '/console', cookies: { icp_console_session: session?.value ?? '' } })).statusCode).toBe(200);
  });

  it('marks cookies Secure behind HTTPS', async () => {
    const { app } = await buildConsoleApp({ PUBLIC_BASE_URL: 'https://icp.example.com' });
    const page = await app.inject({ method: 'GET', url: '/console/sign-in' });
    expect(page.cookies.find((c) => c.name === 'icp_console_csrf')?.secure).toBe(true);
  });

  it('refuses a wrong secret, then rate-limits the address', async () => {
    const { app } = await buildConsoleApp();
    const page = await app.inject({ method: 'GET', url: '/console/sign-in' });
    const attempt = (secret: string) =>
      app.inject({ method: 'POST', url: '/console/sign-in', cookies: cookieJar(page), ...form({ _csrf: csrfOf(page.body), name: 'Eve', secret }) });
    const first = await attempt('not-the-secret-at-all');
    expect(first.statusCode).toBe(401);
    expect(first.body).toContain('Wrong secret.');
    for (let i = 0; i < 9; i++) await attempt(`wrong-${i}-xxxxxxxxxxxx`);
    const blocked = await attempt(EDITOR_SECRET);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.cookies.find((c) => c.name === 'icp_console_session')).toBeUndefined();
  });

  it('needs the CSRF token on the sign-in form too', async () => {
    const { app } = await buildConsoleApp();
    const res = await app.inject({ method: 'POST', url: '/console/sign-in', ...form({ _csrf: 'x', name: 'A', secret: EDITOR_SECRET }) });
    expect(res.statusCode).toBe(403);
  });
});

describe('forms', () => {
  it('refuses a state-changing request without the CSRF token (403), even from an editor', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const missing = await app.inject({ method: 'POST', url: '/console/operations/backfill', cookies, ...form({ target: 'hubspot:companies' }) });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('did not come from this console');
    const wrong = await app.inject({ method: 'POST', url: '/console/operations/backfill', cookies, ...form({ _csrf: `${csrf}x`, target: 'hubspot:companies' }) });
    expect(wrong.statusCode).toBe(403);
    expect(runtime.calls.filter((c) => c.method === 'startBackfill')).toEqual([]);
    const ok = await app.inject({ method: 'POST', url: '/console/operations/backfill', cookies, ...form({ _csrf: csrf, target: 'hubspot:companies' }) });
    expect(ok.statusCode).toBe(303);
    expect(runtime.calls.filter((c) => c.method === 'startBackfill')).toEqual([{ method: 'startBackfill', args: ['hubspot', 'companies'] }]);
  });

  it('lets a viewer read but not act, and shows no action buttons', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, VIEWER_SECRET, 'Vic');
    const ops = await app.inject({ method: 'GET', url: '/console/operations', cookies });
    expect(ops.statusCode).toBe(200);
    expect(ops.body).not.toContain('/console/operations/backfill');
    expect(ops.body).not.toContain('/console/operations/retry');
    for (const [url, fields] of [
      ['/console/operations/backfill', { target: 'hubspot:companies' }],
      ['/console/operations/retry', { scope: 'all' }],
      ['/console/records/rescore', { crm: 'hubspot', objectType: 'companies', id: '12' }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url, cookies, ...form({ _csrf: csrf, ...fields }) });
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('read only');
    }
    expect(runtime.calls.filter((c) => c.method !== 'explain')).toEqual([]);
  });

  it('records backfills, retries and rescores in the audit log, shown on its page', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET, 'Camille <RevOps>');
    await app.inject({ method: 'POST', url: '/console/operations/backfill', cookies, ...form({ _csrf: csrf, target: 'hubspot:' }) });
    await app.inject({ method: 'POST', url: '/console/operations/retry', cookies, ...form({ _csrf: csrf, scope: 'selected', ids: 'record:hubspot:companies:77' }) });
    const rescore = await app.inject({ method: 'POST', url: '/console/records/rescore', cookies, ...form({ _csrf: csrf, crm: 'hubspot', objectType: 'companies', id: '12' }) });
    expect(rescore.headers.location).toBe('/console/records?target=hubspot%3Acompanies&id=12&done=rescore&n=1');
    const audit = await app.inject({ method: 'GET', url: '/console/audit', cookies });
    expect(audit.body).toContain('Camille &lt;RevOps&gt;');
    expect(audit.body).not.toContain('Camille <RevOps>');
    const rows = [...audit.body.matchAll(/<tr><td>[^<]+<\/td><td>[^<]+<span[^>]*>[^<]+<\/span><\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['rescore', 'hubspot companies 12'],
      ['retry', 'record:hubspot:companies:77: 1 handed back'],
      ['backfill', 'hubspot all object types (run run-1)'],
      ['sign-in', 'from 127.0.0.1'],
    ]);
  });

  it('refuses a backfill of an object type this instance does not sync', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/operations/backfill', cookies, ...form({ _csrf: csrf, target: 'salesforce:Account' }) });
    expect(res.statusCode).toBe(400);
    expect(runtime.calls).toEqual([]);
  });

  it('signs out', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/sign-out', cookies, ...form({ _csrf: csrf }) });
    expect(res.statusCode).toBe(303);
    expect(res.cookies.find((c) => c.name === 'icp_console_session')?.value).toBe('');
  });
});
