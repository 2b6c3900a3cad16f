/** The pages through app.inject: content, escaping of CRM data, languages. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonScript } from '../../src/console/html.ts';
import { pickLang } from '../../src/console/i18n.ts';
import { HOSTILE } from './fake-console-runtime.ts';
import { EDITOR_SECRET, buildConsoleApp, signIn } from './helper.ts';

describe('template helper', () => {
  it('escapes every interpolated value and keeps nested templates', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x" & \'y\''}">${inner}${['<', 1, null, undefined, false]}</p>`.text).toBe('<p title="&quot;x&quot; &amp; &#39;y&#39;"><b>&lt;i&gt;</b>&lt;1</p>');
    expect(escapeHtml('`')).toBe('&#96;');
    expect(jsonScript('d', { a: '</script><b>' }).text).toBe('<script type="application/json" id="d">{"a":"\\u003c/script\\u003e\\u003cb\\u003e"}</script>');
  });

  it('picks the language from the query, the cookie, then Accept-Language', () => {
    expect(pickLang('fr', 'en', 'en')).toBe('fr');
    expect(pickLang(undefined, 'fr', 'en')).toBe('fr');
    expect(pickLang(undefined, undefined, 'de-DE,fr;q=0.8,en;q=0.5')).toBe('fr');
    expect(pickLang(undefined, undefined, 'en-US,fr;q=0.9')).toBe('en');
    expect(pickLang('de', undefined, undefined)).toBe('en');
  });
});

describe('pages', () => {
  it('overview shows the model, the synced objects and the queues', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<code>v-test</code>');
    expect(res.body).toMatch(/<th scope="row">hubspot<\/th><td><code>companies<\/code><\/td>\s*<td class="num">3<\/td>/);
    expect(res.body).toContain('<span class="badge failing">has failures</span>');
    // The sample's tiers under the model in use: French big companies A, French small and foreign big B.
    expect(res.body).toContain('<td>A 5 (25 %) · B 10 (50 %) · C 5 (25 %) · X 0 (0 %)</td><td class="num">100 %</td>');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('records explain escapes CRM values and shows the write', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3Acompanies&id=42', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(HOSTILE);
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(res.body).toContain('Score 30 · tier C · completeness 50% · tags taille-cible');
    expect(res.body).toContain('Rescore now');
    const missing = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3A&id=404', cookies });
    expect(missing.body).toContain('No hubspot record has the id 404.');
    const bad = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3A&id=abc', cookies });
    expect(bad.body).toContain('abc is not a hubspot record id');
  });

  it('operations escape failure messages', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/operations', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(HOSTILE);
    expect(res.body).toContain('bad value &lt;script&gt;');
    expect(res.body).toContain('data-events="/console/operations/events"');
  });

  it('speaks French on request and remembers it', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const fr = await app.inject({ method: 'GET', url: '/console/operations?lang=fr', cookies });
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain('Fiches et tâches en échec');
    const lang = fr.cookies.find((c) => c.name === 'icp_console_lang');
    expect(lang?.value).toBe('fr');
    const again = await app.inject({ method: 'GET', url: '/console', cookies: { ...cookies, icp_console_lang: 'fr' } });
    expect(again.body).toContain('<h1>Vue d&#39;ensemble</h1>');
    const browser = await app.inject({ method: 'GET', url: '/console', cookies, headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    expect(browser.body).toContain('Changements en attente');
  });

  it('serves its own script and stylesheet', async () => {
    const { app } = await buildConsoleApp();
    const css = await app.inject({ method: 'GET', url: '/console/assets/console.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const again = await app.inject({ method: 'GET', url: '/console/assets/console.css', headers: { 'if-none-match': String(css.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: '/console/assets/nope.js' })).statusCode).toBe(404);
  });
});
