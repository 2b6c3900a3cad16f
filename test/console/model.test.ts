/**
 * The Model pages through app.inject, on the real model store (Redis) and the real what-if over a
 * fixed sample: fields, validation messages, preview, publish, history, diff, rollback, export.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_V1 } from './fake-console-runtime.ts';
import { EDITOR_SECRET, VIEWER_SECRET, buildConsoleApp, form, signIn } from './helper.ts';

const fields = (csrf: string, extra: Record<string, string> = {}) => ({
  _csrf: csrf,
  target: 'hubspot:companies',
  yaml: MODEL_V1,
  'weight.size': '50',
  'weight0.size': '50',
  'weight.country': '50',
  'weight0.country': '50',
  'version.model': 'v2',
  'version0.model': 'v1',
  ...extra,
});

describe('model editor', () => {
  it('shows the active model in fields and its text', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/model', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="weight.size" value="50"');
    expect(res.body).toContain('name="tier.A" value="70"');
    expect(res.body).toContain('In use: v1 (revision 1), published by file');
    expect(res.body).toContain('Sample: 20 records read');
    expect(res.body).toContain('id="publish"');
  });

  it('previews a weight change: tier counts before and after, moves and movers', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    // In use: size 50 + country 50 → French big (5) 100 A, French small (5) and foreign big (5) 50 B, the rest 0 C.
    const res = await app.inject({ method: 'POST', url: '/console/model/preview', cookies, ...form(fields(csrf, { 'weight.size': '150' })) });
    expect(res.statusCode).toBe(200);
    // Draft: size 150 + country 50 → foreign big 75 → A; French small 25 → C.
    expect(res.body).toMatch(/<tr data-tier="A"><th scope="row">A<\/th>\s*<td class="num">5 <span class="muted">\(25,0 %\)|<tr data-tier="A"><th scope="row">A<\/th>\s*<td class="num">5 <span class="muted">\(25.0 %\)/);
    expect(res.body).toMatch(/<td class="num draft-count">10 <span/);
    expect(res.body).toContain('10 records change tier, 10 change score');
    expect(res.body).toContain('name="weight.size" value="150"');
    expect(res.body).toMatch(/weight: 150/);
    const fragment = await app.inject({ method: 'POST', url: '/console/model/preview', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-console-fragment': 'preview' }, payload: new URLSearchParams(fields(csrf, { 'weight.size': '150' })).toString() });
    expect(fragment.body.startsWith('<section id="preview"')).toBe(true);
  });

  it('shows the validate messages for an invalid draft', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/model/preview', cookies, ...form(fields(csrf, { 'weight.size': '-3' })) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<li><code>icp\.yaml: criteria\[0\]\.weight: [^<]+<\/code><\/li>/);
  });

  it('publishes with author and note, then diffs, rolls back and exports', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET, 'Camille');
    const pub = await app.inject({ method: 'POST', url: '/console/model/publish', cookies, ...form(fields(csrf, { 'weight.size': '150', note: 'size matters more' })) });
    expect(pub.statusCode).toBe(303);
    expect(pub.headers.location).toBe('/console/operations?done=publish');
    expect(runtime.activeModel().version).toBe('v2');
    const again = await app.inject({ method: 'POST', url: '/console/model/publish', cookies, ...form(fields(csrf)) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Version v2 is already in the history (revision 2); v2.1 is free and now proposed.');
    const history = await app.inject({ method: 'GET', url: '/console/model/history', cookies });
    expect(history.body).toMatch(/<td class="num">2<\/td><td><code>v2<\/code> <span class="badge done">in use<\/span><\/td>\s*<td>[^<]+<\/td><td>Camille<\/td><td>console<\/td><td>size matters more<\/td>/);
    const diff = await app.inject({ method: 'GET', url: '/console/model/diff?from=1&to=2', cookies });
    expect(diff.body).toContain('<span class="del">-     weight: 50\n</span>');
    expect(diff.body).toContain('<span class="add">+     weight: 150\n</span>');
    const rollback = await app.inject({ method: 'POST', url: '/console/model/rollback', cookies, ...form({ _csrf: csrf, revision: '1' }) });
    expect(rollback.statusCode).toBe(303);
    expect(runtime.activeModel().version).toBe('v1');
    const exported = await app.inject({ method: 'GET', url: '/console/model/export', cookies });
    const files = [...exported.body.matchAll(/href="\/console\/model\/export\/([^"]+)"/g)].map((m) => m[1]);
    expect(files).toHaveLength(3);
    const file = await app.inject({ method: 'GET', url: `/console/model/export/${files[1] ?? ''}`, cookies });
    expect(file.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(file.body).toContain('weight: 150');
    const audit = await app.inject({ method: 'GET', url: '/console/audit', cookies });
    expect(audit.body).toContain('model v2 (revision 2): size matters more');
    expect(audit.body).toContain('to revision 1: model v1 active again (revision 3)');
  });

  it('lets a viewer preview but not publish or roll back', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, VIEWER_SECRET, 'Vic');
    const page = await app.inject({ method: 'GET', url: '/console/model', cookies });
    expect(page.body).not.toContain('id="publish"');
    expect((await app.inject({ method: 'POST', url: '/console/model/preview', cookies, ...form(fields(csrf)) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/console/model/publish', cookies, ...form(fields(csrf)) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/console/model/rollback', cookies, ...form({ _csrf: csrf, revision: '1' }) })).statusCode).toBe(403);
    expect(await runtime.models.head()).toBe(1);
  });
});
