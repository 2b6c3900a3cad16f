/**
 * The Calibration page through app.inject: a run started by an editor goes to the background and is
 * audited, its result (summary, tiers, suggestion, ICP sheet) shows to every role, "use as draft"
 * loads the suggested model into the Model editor with its preview; viewers and forms without the
 * CSRF token are refused. The preview's closed-deal check (draft against current on the deals).
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/console/html.ts';
import { closedDealRows, MODEL_V1 } from './fake-console-runtime.ts';
import { EDITOR_SECRET, VIEWER_SECRET, buildConsoleApp, form, signIn } from './helper.ts';

describe('calibration page', () => {
  it('an editor runs a calibration in the background; the result, the sheet and the audit line follow', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET, 'Camille');
    const before = await app.inject({ method: 'GET', url: '/console/calibration', cookies });
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('No result yet: run a calibration.');
    expect(before.body).toContain('action="/console/calibration/run"');
    expect(before.body).toContain('href="/console/calibration" aria-current="page"');

    const run = await app.inject({ method: 'POST', url: '/console/calibration/run', cookies, ...form({ _csrf: csrf, crm: 'hubspot' }) });
    expect(run.statusCode).toBe(303);
    expect(run.headers.location).toBe('/console/calibration?crm=hubspot&done=run');
    // The request only started the run: the analysis goes on in a worker thread meanwhile.
    const running = await app.inject({ method: 'GET', url: run.headers.location, cookies });
    expect(running.body).toContain('Calibration started: its progress shows below.');
    expect(running.body).toMatch(/<div id="calibration-status" aria-live="polite" data-poll="\/console\/calibration\/status\?crm=hubspot" data-page="[^"]+" data-state="running">/);
    expect(running.body).toMatch(/<button type="submit" disabled>Run a calibration<\/button>/);
    const twice = await app.inject({ method: 'POST', url: '/console/calibration/run', cookies, ...form({ _csrf: csrf, crm: 'hubspot' }) });
    expect(twice.headers.location).toBe('/console/calibration?crm=hubspot&done=running');
    await runtime.calibration?.settled('hubspot');

    const status = await app.inject({ method: 'GET', url: '/console/calibration/status?crm=hubspot', cookies });
    expect(status.body).toContain('data-state="done"');
    expect(status.body).toContain('on 400 closed deals');

    const res = await app.inject({ method: 'GET', url: '/console/calibration?crm=hubspot', cookies });
    const result = await runtime.calibration?.result('hubspot');
    expect(result?.summary.current?.all.auc).toBeGreaterThan(0.5);
    expect(result?.suggestedYaml).toBeDefined();
    const aucText = (result?.summary.current?.all.auc as number).toFixed(3);
    expect(res.body).toContain(`<td class="num" data-auc="current">${aucText}</td>`);
    expect(res.body).toContain('Win rate per tier, model in use v1 (whole set)');
    expect(res.body).toMatch(/<tr data-tier="A"><th scope="row">A<\/th><td class="num">\d+<\/td><td class="num">[\d.]+ %<\/td><\/tr>/);
    expect(res.body).toContain('action="/console/calibration/draft"');
    expect(res.body).toContain('<iframe class="icp-sheet" src="/console/calibration/sheet?crm=hubspot"');

    const sheet = await app.inject({ method: 'GET', url: '/console/calibration/sheet?crm=hubspot', cookies });
    expect(sheet.statusCode).toBe(200);
    expect(sheet.body).toBe(result?.sheetHtml);
    expect(sheet.body).toContain('<svg');
    expect(sheet.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(sheet.headers['content-security-policy']).toContain('sandbox');
    expect(sheet.headers['content-security-policy']).not.toContain('script-src');
    expect(sheet.headers['x-frame-options']).toBe('SAMEORIGIN');
    // The console's own pages still refuse framing.
    expect(res.headers['x-frame-options']).toBe('DENY');

    const audit = await app.inject({ method: 'GET', url: '/console/audit', cookies });
    expect(audit.body).toMatch(/Camille[\s\S]*calibration[\s\S]*calibration of hubspot from its closed deals started/);
    expect(audit.body.match(/calibration of hubspot from its closed deals started/g)).toHaveLength(1);
  });

  it('use as draft opens the model editor with the suggested model and its preview', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    await app.inject({ method: 'POST', url: '/console/calibration/run', cookies, ...form({ _csrf: csrf, crm: 'hubspot' }) });
    await runtime.calibration?.settled('hubspot');
    const yaml = (await runtime.calibration?.result('hubspot'))?.suggestedYaml as string;
    const version = /^version: (.+)$/m.exec(yaml)?.[1] as string;
    expect(version).toBeDefined();

    const draft = await app.inject({ method: 'POST', url: '/console/calibration/draft', cookies, ...form({ _csrf: csrf, crm: 'hubspot' }) });
    expect(draft.statusCode).toBe(303);
    const location = draft.headers.location as string;
    expect(location).toBe('/console/model?draft=calibration:hubspot&target=hubspot%3Acompanies#preview');
    const model = await app.inject({ method: 'GET', url: location.replace(/#.*/, ''), cookies });
    expect(model.statusCode).toBe(200);
    expect(model.body).toContain('The suggested model of the last calibration is loaded as the draft');
    // The editor's text holds the suggested model, and the preview compares it with v1.
    expect(model.body).toContain(escapeHtml(yaml.split('\n').find((l) => l.startsWith('criteria:')) ?? 'criteria:'));
    expect(model.body).toContain(escapeHtml(`version: ${version}`));
    expect(model.body).toMatch(/model v1 → draft /);
    // Without "use as draft" the editor holds the model in use.
    const plain = await app.inject({ method: 'GET', url: '/console/model', cookies });
    expect(plain.body).not.toContain(escapeHtml(`version: ${version}`));
    expect(plain.body).toContain(escapeHtml(MODEL_V1.split('\n')[0] as string));
  });

  it('a viewer sees the result but can neither run nor load the draft; forms without the CSRF token are refused', async () => {
    const { app, runtime } = await buildConsoleApp();
    const editor = await signIn(app, EDITOR_SECRET);
    const noCsrf = await app.inject({ method: 'POST', url: '/console/calibration/run', cookies: editor.cookies, ...form({ crm: 'hubspot' }) });
    expect(noCsrf.statusCode).toBe(403);
    expect(await runtime.calibration?.status('hubspot')).toMatchObject({ state: 'idle' });
    await app.inject({ method: 'POST', url: '/console/calibration/run', cookies: editor.cookies, ...form({ _csrf: editor.csrf, crm: 'hubspot' }) });
    await runtime.calibration?.settled('hubspot');
    const badDraft = await app.inject({ method: 'POST', url: '/console/calibration/draft', cookies: editor.cookies, ...form({ _csrf: 'forged', crm: 'hubspot' }) });
    expect(badDraft.statusCode).toBe(403);

    const viewer = await signIn(app, VIEWER_SECRET, 'Dominique');
    const page = await app.inject({ method: 'GET', url: '/console/calibration', cookies: viewer.cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-auc="current"');
    expect(page.body).toContain('Only an editor can run a calibration.');
    expect(page.body).not.toContain('action="/console/calibration/run"');
    expect(page.body).not.toContain('action="/console/calibration/draft"');
    const sheet = await app.inject({ method: 'GET', url: '/console/calibration/sheet?crm=hubspot', cookies: viewer.cookies });
    expect(sheet.statusCode).toBe(200);

    const finished = (await runtime.calibration?.status('hubspot'))?.finishedAt;
    const run = await app.inject({ method: 'POST', url: '/console/calibration/run', cookies: viewer.cookies, ...form({ _csrf: viewer.csrf, crm: 'hubspot' }) });
    expect(run.statusCode).toBe(403);
    expect(run.body).toContain('only an editor can do this');
    expect((await runtime.calibration?.status('hubspot'))?.finishedAt).toBe(finished);
    const draft = await app.inject({ method: 'POST', url: '/console/calibration/draft', cookies: viewer.cookies, ...form({ _csrf: viewer.csrf, crm: 'hubspot' }) });
    expect(draft.statusCode).toBe(403);
    // Not signed in: no page, no sheet.
    expect((await app.inject({ method: 'GET', url: '/console/calibration/sheet?crm=hubspot' })).statusCode).toBe(303);
  });

  it('a run started in French writes its sheet, advice and changes in French', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    await app.inject({ method: 'POST', url: '/console/calibration/run?lang=fr', cookies, ...form({ _csrf: csrf, crm: 'hubspot' }) });
    await runtime.calibration?.settled('hubspot');
    const result = await runtime.calibration?.result('hubspot');
    expect(result?.sheetHtml).toContain('<html lang="fr">');
    expect(result?.summary.changes.join('\n')).toMatch(/du score/);
    expect(result?.summary.advice).toMatch(/modèle v1/);
    const page = await app.inject({ method: 'GET', url: '/console/calibration?lang=fr', cookies });
    expect(page.body).toContain('Taux de gain par tier, modèle en service v1 (ensemble)');
    expect(page.body).toContain('Utiliser comme brouillon');
  });

  it('says why a run failed and that there is no sheet yet', async () => {
    const { app, runtime } = await buildConsoleApp();
    runtime.closedDeals = [];
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    await app.inject({ method: 'POST', url: '/console/calibration/run', cookies, ...form({ _csrf: csrf, crm: 'hubspot' }) });
    await runtime.calibration?.settled('hubspot');
    const res = await app.inject({ method: 'GET', url: '/console/calibration', cookies });
    expect(res.body).toContain('The last run failed: no closed deal with an account in hubspot since');
    expect((await app.inject({ method: 'GET', url: '/console/calibration/sheet?crm=hubspot', cookies })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/console/calibration?crm=salesforce', cookies })).statusCode).toBe(400);
  });
});

describe('closed deals in the what-if preview', () => {
  const draftFields = (csrf: string) => ({ _csrf: csrf, target: 'hubspot:companies', yaml: MODEL_V1.replace('version: "v1"', 'version: "v2"').replace('weight: 50\n    match: { kind: range', 'weight: 150\n    match: { kind: range') });

  it('compares draft and model in use on the closed deals once read, and reads them again on demand', async () => {
    const { app, runtime } = await buildConsoleApp();
    const { cookies, csrf } = await signIn(app, EDITOR_SECRET);
    // The first preview starts the read in the background.
    await app.inject({ method: 'POST', url: '/console/model/preview', cookies, ...form(draftFields(csrf)) });
    await runtime.preview.deals?.settled('hubspot');
    const res = await app.inject({ method: 'POST', url: '/console/model/preview', cookies, ...form(draftFields(csrf)) });
    expect(res.body).toContain('Closed deals (400, ');
    expect(res.body).toContain('data-deals-enough="true"');
    expect(res.body).toContain('Draft and model in use compared on the closed deals since');
    expect(res.body).toMatch(/<tr><th scope="row">AUC<\/th><td class="num">0[.,]\d{3}<\/td><td class="num">0[.,]\d{3}<\/td><\/tr>/);

    runtime.closedDeals = closedDealRows(12);
    const again = await app.inject({ method: 'POST', url: '/console/model/deals', cookies, ...form({ _csrf: csrf, target: 'hubspot:companies' }) });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/console/model?target=hubspot%3Acompanies#preview');
    await runtime.preview.deals?.settled('hubspot');
    const few = await app.inject({ method: 'POST', url: '/console/model/preview', cookies, ...form(draftFields(csrf)) });
    expect(few.body).toContain('data-deals-enough="false"');
    expect(few.body).toMatch(/Only 12 closed deals since \d{4}-\d{2}-\d{2} \(\d+ won, \d+ lost\): at least 30, with 5 of each outcome, are needed/);
    expect(few.body).not.toContain('<table class="deal-check">');
    const noCsrf = await app.inject({ method: 'POST', url: '/console/model/deals', cookies, ...form({ target: 'hubspot:companies' }) });
    expect(noCsrf.statusCode).toBe(403);
  });
});
