/**
 * Records search by name through app.inject: the connector's name search per synced type, results
 * escaped and linked to the explain view (with "rescore now"), ids still go straight to it, a short
 * text and a failing CRM are told on the page.
 */
import { describe, expect, it } from 'vitest';
import { HOSTILE } from './fake-console-runtime.ts';
import { EDITOR_SECRET, buildConsoleApp, signIn } from './helper.ts';

describe('records search by name', () => {
  it('lists the records of every synced type whose name matches, escaped, each linked to its explain view', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3A&q=acme', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Records found (3, at most 20)');
    expect(res.body).not.toContain(HOSTILE);
    expect(res.body).toContain('<a href="/console/records?target=hubspot%3Acompanies&amp;id=42">Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>');
    expect(res.body).toContain('<a href="/console/records?target=hubspot%3Acontacts&amp;id=901">Camille Acme</a></th><td>camille@acme.fr</td>');
    expect(res.body).toContain('name="q" type="search" value="acme"');
    expect(runtime.calls.filter((c) => c.method === 'searchByName').map((c) => c.args)).toEqual([
      ['companies', 'acme', 20],
      ['contacts', 'acme', 18],
    ]);
    // The link opens the explain view with "rescore now".
    const explain = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3Acompanies&id=42', cookies });
    expect(explain.body).toContain('Rescore now');
  });

  it('searches only the chosen type, says when nothing matches, and treats an id as an id', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const one = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3Acompanies&q=industrie', cookies });
    expect(one.body).toContain('<a href="/console/records?target=hubspot%3Acompanies&amp;id=43">Acme Industrie</a>');
    const none = await app.inject({ method: 'GET', url: `/console/records?target=hubspot%3Acompanies&q=${encodeURIComponent('<zz>')}`, cookies });
    expect(none.body).toContain('No record name contains “&lt;zz&gt;”.');
    const byId = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3Acompanies&q=42', cookies });
    expect(byId.body).toContain('Score 30 · tier C');
    expect(runtime.calls.filter((c) => c.method === 'searchByName')).toHaveLength(2);
  });

  it('asks for two characters at least, and reports a CRM search that failed', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const short = await app.inject({ method: 'GET', url: '/console/records?q=a', cookies });
    expect(short.body).toContain('Type at least 2 characters to search by name.');
    expect(runtime.calls.some((c) => c.method === 'searchByName')).toBe(false);
    const failed = await app.inject({ method: 'GET', url: '/console/records?target=hubspot%3Acompanies&q=boom', cookies });
    expect(failed.statusCode).toBe(200);
    expect(failed.body).toContain('The hubspot companies search failed: HubSpot POST /crm/objects/2026-03/companies/search failed: 502');
  });
});
