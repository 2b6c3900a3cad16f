/**
 * The Mappings pages through app.inject, on the real mapping store (Redis) and the real coverage
 * and preview over a fixed sample: fields, coverage, examples, the loader's messages, the preview
 * of an edit, save (editors only, CSRF-checked, audited), history and rollback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { loadMappings } from '../../src/mappings/load.ts';
import { HOSTILE } from './fake-console-runtime.ts';
import { EDITOR_SECRET, VIEWER_SECRET, buildConsoleApp, form, signIn } from './helper.ts';

/** Country read from a property the sample does not hold: every record loses its country. */
const MOVED_COUNTRY = `version: 1
hubspot:
  companies:
    attributes:
      country: { fields: [hs_country_code], transform: country }
`;

const INVALID = `version: 1
hubspot:
  companies:
    attributes:
      Country: name
      employees: { field: numberofemployees, transform: round }
`;

/** The problems `loadMappings` reports for a file holding `text` (what a start prints). */
async function loaderProblems(text: string): Promise<readonly string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'icp-map-'));
  try {
    writeFileSync(join(dir, 'mappings.yaml'), text);
    await loadMappings({ path: join(dir, 'mappings.yaml'), required: true });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const draft = (csrf: string, yaml: string, extra: Record<string, string> = {}) => form({ _csrf: csrf, target: 'hubspot:companies', yaml, ...extra });

describe('mappings page', () => {
  it('shows the mapping with coverage, values by field and examples, and the CRM fields', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, VIEWER_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/mappings', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="/console/mappings" aria-current="page">Mappings</a>');
    // 20 sample companies with name, employees and a French or Italian country; no domain.
    expect(res.body).toMatch(/<tr data-attribute="country"><th scope="row"><code>country<\/code> <span class="badge">used by the model<\/span><\/th>\s*<td><code>country<\/code><\/td>\s*<td>country<\/td>\s*<td class="num coverage">100[.,]0 %/);
    expect(res.body).toMatch(/<tr data-attribute="domain">[\s\S]*?<td class="num coverage">0[.,]0 %/);
    expect(res.body).toContain('<td class="muted">country 20</td>');
    expect(res.body).toContain('<li><code>FR</code></li><li><code>IT</code></li>');
    expect(res.body).toMatch(/<tr class="mapped"><th scope="row"><code>country<\/code><\/th><td>Country\/Region<\/td>/);
    expect(res.body).toContain('<code>hs_country_code</code></th><td>Country code</td><td>enumeration <span class="muted">(250 options)</span></td>');
    expect(res.body).toContain('No mappings version saved yet');
    // A viewer sees no save button.
    expect(res.body).not.toContain('id="mappings-save"');
  });

  it('says why the CRM fields could not be listed, escaped', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/mappings?target=hubspot:contacts', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The field list could not be read from the CRM: HubSpot list contacts properties: 403 MISSING_SCOPES &lt;script&gt;');
    expect(res.body).not.toContain(HOSTILE);
    expect(res.body).toContain('<tr data-attribute="job_title">');
  });

  it('refuses an object type this instance does not sync', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/mappings?target=salesforce:Account', cookies });
    expect(res.statusCode).toBe(400);
  });

  it('shows the messages a start would print for an invalid edit, word for word', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/mappings/preview', cookies, ...draft(csrf, INVALID) });
    expect(res.statusCode).toBe(400);
    const expected = await loaderProblems(INVALID);
    expect(expected.length).toBe(2);
    const shown = [...res.body.matchAll(/<li><code>(mappings\.yaml: [^<]+)<\/code><\/li>/g)].map((m) => (m[1] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
    expect(shown).toEqual(expected);
    // The edit stays in the editor.
    expect(res.body).toContain('Country: name');
  });

  it('previews the effect of an edit on coverage, completeness and scores', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/mappings/preview', cookies, ...draft(csrf, MOVED_COUNTRY) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The mappings are valid.');
    expect(res.body).toMatch(/<tr data-attribute="country" class="changed">[\s\S]*?<td class="num">100[.,]0 %<\/td><td class="num draft-coverage">0[.,]0 %<\/td>\s*<td class="num">−100[.,]0<\/td>/);
    // Country weighs 50 of 100: the 10 French companies lose 50 points; completeness 100 % → 50 %.
    expect(res.body).toMatch(/Average completeness 100[.,]0 % → 50[.,]0 %/);
    expect(res.body).toContain('10 records change tier, 10 change score');
    expect(res.body).toContain('These fields are not in the sample and look empty here: hs_country_code.');
    expect(res.body).toContain('name="fields" value="hs_country_code"');
    const fragment = await app.inject({
      method: 'POST',
      url: '/console/mappings/preview',
      cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-console-fragment': 'preview' },
      payload: new URLSearchParams({ _csrf: csrf, target: 'hubspot:companies', yaml: MOVED_COUNTRY }).toString(),
    });
    expect(fragment.body.startsWith('<section id="mapping-preview"')).toBe(true);
  });

  it('saves an edit as a new version with its changes, in the audit log, and rolls it back', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET, 'Camille');
    const saved = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...draft(csrf, MOVED_COUNTRY, { note: 'use the country code' }) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/console/mappings?target=hubspot%3Acompanies&done=save&rev=1');
    expect(runtime.activeMappings?.().mappings.hubspot['companies']?.attributes['country']?.fields).toEqual(['hs_country_code']);
    const after = await app.inject({ method: 'GET', url: saved.headers.location ?? '', cookies });
    expect(after.body).toContain('Mappings saved as revision 1');
    expect(after.body).toContain('Active mappings: revision 1, saved by Camille');
    expect(after.body).toMatch(/<tr data-attribute="country">[\s\S]*?<td><code>hs_country_code<\/code><\/td>/);
    // The same text again changes nothing.
    const again = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...draft(csrf, MOVED_COUNTRY) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Nothing to save: these mappings are already the active ones.');
    const audit = await app.inject({ method: 'GET', url: '/console/audit', cookies });
    expect(audit.body).toContain('mappings revision 1: ~ hubspot.companies.country: fields country → hs_country_code (note: use the country code)');
    const history = await app.inject({ method: 'GET', url: '/console/mappings/history', cookies });
    expect(history.body).toContain('<li><code>~ hubspot.companies.country: fields country → hs_country_code</code></li>');
    expect(history.body).toContain('use the country code');
    // Back to the defaults: a first save of the empty document, then a rollback to it.
    const defaults = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...draft(csrf, 'version: 1\n') });
    expect(defaults.statusCode).toBe(303);
    const rollback = await app.inject({ method: 'POST', url: '/console/mappings/rollback', cookies, ...form({ _csrf: csrf, revision: '1' }) });
    expect(rollback.statusCode).toBe(303);
    expect(rollback.headers.location).toBe('/console/mappings?done=rollback&rev=3');
    expect(runtime.activeMappings?.().mappings.hubspot['companies']?.attributes['country']?.fields).toEqual(['hs_country_code']);
    const audit2 = await app.inject({ method: 'GET', url: '/console/audit', cookies });
    expect(audit2.body).toContain('mappings back to revision 1 (now revision 3)');
  });

  it('refuses to save an invalid edit with the loader messages', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...draft(csrf, INVALID) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('mappings.yaml: hubspot.companies.attributes.Country: attribute names are snake_case');
    expect(await runtime.mappings?.head()).toBe(0);
  });

  it('a viewer cannot save or roll back', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, VIEWER_SECRET, 'Dominique');
    const res = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...draft(csrf, MOVED_COUNTRY) });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('only an editor can do this');
    const rollback = await app.inject({ method: 'POST', url: '/console/mappings/rollback', cookies, ...form({ _csrf: csrf, revision: '1' }) });
    expect(rollback.statusCode).toBe(403);
    expect(await runtime.mappings?.head()).toBe(0);
    // A viewer may still preview.
    const preview = await app.inject({ method: 'POST', url: '/console/mappings/preview', cookies, ...draft(csrf, MOVED_COUNTRY) });
    expect(preview.statusCode).toBe(200);
  });

  it('refuses a save without the CSRF token, or with a wrong one', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const none = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...form({ target: 'hubspot:companies', yaml: MOVED_COUNTRY }) });
    expect(none.statusCode).toBe(403);
    const wrong = await app.inject({ method: 'POST', url: '/console/mappings/save', cookies, ...draft(`${csrf.slice(0, -4)}AAAA`, MOVED_COUNTRY) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('The form had expired or did not come from this console');
    expect(await runtime.mappings?.head()).toBe(0);
  });

  it('reads the sample again with the fields an edit needs', async () => {
    const { app } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'POST', url: '/console/mappings/sample', cookies, ...form({ _csrf: csrf, target: 'hubspot:companies', fields: 'hs_country_code' }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/mappings?target=hubspot%3Acompanies');
    const bad = await app.inject({ method: 'POST', url: '/console/mappings/sample', cookies, ...form({ _csrf: csrf, target: 'hubspot:companies', fields: 'a b' }) });
    expect(bad.statusCode).toBe(400);
  });

  it('speaks French', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console/mappings?lang=fr', cookies });
    expect(res.body).toContain('<h1>Correspondances de champs</h1>');
    expect(res.body).toContain('Valider et prévisualiser');
  });
});
