/**
 * The RevOps console end to end in Chromium: sign in, change a weight and watch the what-if preview
 * change, publish, follow the backfill live, and find the new values in the HubSpot sandbox; a
 * viewer cannot publish; a form post without its CSRF token is refused; keyboard navigation; axe.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/http/service.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { cleanRedis, until } from '../pipeline/helpers.ts';
import { e2eEnv, freePort, writeModel } from '../e2e/harness.ts';
import { CHROMIUM, launch, requireChromiumInCi, seriousViolations, signInAs } from './browser.ts';
import { EDITOR_SECRET, VIEWER_SECRET } from './helper.ts';

const COMPANIES = 300;

/** The little of the DOM the page functions below touch (the project compiles without the DOM library). */
interface El {
  id: string;
  className: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
}
declare const document: { activeElement: El | null; querySelector(selector: string): El | null; querySelectorAll(selector: string): Iterable<El> };

/** The score of the e2e model (src: test/e2e/harness.ts) with the size weight set to `sizeWeight`, by hand. */
function expectedScore(p: Readonly<Record<string, string | null | undefined>>, sizeWeight: number): number {
  const industry: Record<string, number> = { COMPUTER_SOFTWARE: 1, INFORMATION_TECHNOLOGY_AND_SERVICES: 0.6, INTERNET: 0.5 };
  const ind = industry[p['industry'] ?? ''] ?? 0;
  const emp = p['numberofemployees'];
  const n = emp === null || emp === undefined || emp.trim() === '' ? NaN : Number(emp);
  const size = Number.isNaN(n) ? 0 : n >= 50 && n <= 1000 ? 1 : n >= 10 && n <= 49 ? 0.5 : 0;
  const ctry = p['country'] === 'France' ? 1 : p['country'] === 'Belgium' || p['country'] === 'Switzerland' ? 0.5 : 0;
  return Math.floor((100 * (50 * ind + sizeWeight * size + 20 * ctry)) / (70 + sizeWeight) + 0.5 + 1e-9);
}

describe('console in Chromium', () => {
  it('has Chromium where CI expects it', () => requireChromiumInCi());
});

describe.skipIf(CHROMIUM === undefined)('console in Chromium against the HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let service: RunningService;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ seed: COMPANIES, deals: true, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = e2eEnv(sandbox, await writeModel(), { PORT: String(port), PUBLIC_BASE_URL: base, CONSOLE_EDITOR_SECRET: EDITOR_SECRET, CONSOLE_VIEWER_SECRET: VIEWER_SECRET });
    service = await startService({ workers: true, env, handleSignals: false });
    browser = await launch();
    await until(async () => (await service.runtime.backfillStatus('hubspot'))[0]?.status === 'done', 60_000, 'the first model-change backfill');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    const env = service?.env;
    await service?.stop();
    await sandbox?.close();
    if (env) await cleanRedis(env);
  });

  it('an editor changes a weight, sees the preview change, publishes and follows the backfill to the new values', async () => {
    const page = await newPage();
    await signInAs(page, base, EDITOR_SECRET, 'Camille');
    await page.goto(`${base}/console/operations`);
    const firstRun = await page.getAttribute('#backfills li[data-backfill="hubspot:companies"]', 'data-run');
    expect(firstRun).toBeTruthy();
    await page.click('nav >> text=Model');
    await page.waitForURL(`${base}/console/model`);
    // The sample is read in the background on the first visit.
    await until(async () => {
      await page.goto(`${base}/console/model`);
      return (await page.getAttribute('form.sample', 'data-sample-state')) === 'ready';
    }, 30_000, 'the preview sample');
    await page.click('text=Preview');
    await page.waitForSelector('#preview p.headline');
    const before = await page.getAttribute('#preview p.summary', 'data-tier-changes');
    expect(before).toBe('0');
    await page.fill('#w-size', '90');
    await page.waitForFunction(() => Number(document.querySelector('#preview p.summary')?.getAttribute('data-tier-changes') ?? '0') > 0, null, { timeout: 15_000 });
    const headline = await page.textContent('#preview p.headline');
    expect(headline).toMatch(/[1-9]\d* records change tier/);
    expect(await page.locator('#preview table.movers tbody tr').count()).toBeGreaterThan(0);

    await page.fill('#version', 'e2e-2');
    await page.fill('#note', 'company size counts more');
    await page.click('#publish');
    await page.waitForURL(`${base}/console/operations?done=publish`);
    expect(await page.textContent('.notice.ok')).toContain('Model published');
    // The list is redrawn from the event stream until the new run is done.
    await page.waitForFunction(
      (run) => {
        const item = document.querySelector('#backfills li[data-backfill="hubspot:companies"]');
        return item !== null && item.getAttribute('data-run') !== run && item.querySelector('.badge.done') !== null;
      },
      firstRun,
      { timeout: 60_000 },
    );
    const props = sandbox.store.list().map((c) => c.properties);
    const wrong = props.filter((p) => p['icp_model_version'] !== 'e2e-2' || p['icp_fit_score'] !== String(expectedScore(p, 90)));
    expect(wrong.slice(0, 3)).toEqual([]);
    const audit = await page.goto(`${base}/console/audit`);
    expect(audit?.status()).toBe(200);
    expect(await page.textContent('main table')).toContain('model e2e-2 (revision 2): company size counts more');
  }, 150_000);

  it('a viewer sees no publish button and a publish it forges is refused', async () => {
    const page = await newPage();
    await signInAs(page, base, VIEWER_SECRET, 'Vic');
    await page.goto(`${base}/console/model`);
    expect(await page.locator('#publish').count()).toBe(0);
    const csrf = await page.getAttribute('input[name=_csrf]', 'value');
    const yaml = await page.inputValue('#yaml');
    const res = await page.request.post(`${base}/console/model/publish`, { form: { _csrf: csrf ?? '', yaml, note: 'sneaky' }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    expect((await service.runtime.models.history()).map((h) => h.note)).not.toContain('sneaky');
  }, 60_000);

  it('a state-changing request without its CSRF token is refused (403)', async () => {
    const page = await newPage();
    await signInAs(page, base, EDITOR_SECRET, 'Camille');
    const before = (await service.runtime.backfillStatus('hubspot')).length;
    const res = await page.request.post(`${base}/console/operations/backfill`, { form: { target: 'hubspot:companies' }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    expect((await service.runtime.backfillStatus('hubspot')).length).toBe(before);
  }, 60_000);

  it('an editor runs a calibration, follows it, reads the ICP sheet and loads the suggested model as the draft', async () => {
    const page = await newPage();
    await signInAs(page, base, EDITOR_SECRET, 'Camille');
    await page.click('nav >> text=Calibration');
    await page.waitForURL(`${base}/console/calibration`);
    await page.click('text=Run a calibration');
    await page.waitForURL(`${base}/console/calibration?crm=hubspot&done=run`);
    // The status line is polled while the run goes on; the page reloads with the result.
    await page.waitForSelector('table.calibration-auc', { timeout: 60_000 });
    expect(await page.getAttribute('#calibration-status', 'data-state')).toBe('done');
    expect(await page.textContent('[data-auc="current"]')).toMatch(/^0\.\d{3}$/);
    // The ICP sheet renders inside its frame (same-origin route, its own policy, sandboxed).
    const sheet = page.frameLocator('iframe.icp-sheet');
    await sheet.locator('h1').waitFor({ timeout: 15_000 });
    expect(await sheet.locator('svg').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    const summary = (await service.runtime.calibration?.result('hubspot'))?.summary;
    expect(summary?.analysed).toBeGreaterThan(0);

    await page.click('text=Use as draft');
    await page.waitForURL(/\/console\/model\?draft=calibration:hubspot/);
    expect(await page.textContent('.notice.ok')).toContain('loaded as the draft');
    const yaml = (await service.runtime.calibration?.result('hubspot'))?.suggestedYaml ?? '';
    expect(await page.inputValue('#yaml')).toBe(yaml);
    await page.waitForSelector('#preview p.headline');
    expect(await page.textContent('#preview p.summary')).toMatch(/→ draft \d{4}\.\d{2}\.\d{2}-calibrated/);
  }, 120_000);

  it('works with the keyboard alone', async () => {
    const page = await newPage();
    await page.goto(`${base}/console`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    // Skip link, brand, language switch, then the form.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');
    await page.keyboard.type('Kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type(EDITOR_SECRET);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content');
    // Through the navigation to Records, then a search by id.
    let guard = 0;
    await page.goto(`${base}/console`);
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'Records' && guard++ < 10) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console/records`);
    const company = sandbox.store.list()[5];
    const id = company?.id ?? '';
    await page.focus('#q');
    await page.keyboard.type(id);
    await page.keyboard.press('Enter');
    await page.waitForSelector('section.explain');
    expect(await page.textContent('section.explain h2')).toContain(id);
    // A search by name in the sandbox's CRM search, then the first result by keyboard.
    const name = String(company?.properties['name'] ?? '');
    await page.fill('#q', name);
    await page.focus('#q');
    await page.keyboard.press('Enter');
    await page.waitForSelector('table.matches');
    const links = await page.$$eval('table.matches a', (as) => (as as unknown as Array<{ textContent: string | null }>).map((a) => a.textContent));
    expect(links).toContain(name);
    guard = 0;
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== name && guard++ < 60) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('section.explain');
    expect(await page.textContent('section.explain h2')).toContain(id);
  }, 60_000);

  it('axe finds no serious or critical violation on the main pages', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/sign-in`);
    const found: Record<string, unknown> = {};
    const signIn = await seriousViolations(page);
    if (signIn.length > 0) found['sign-in'] = signIn;
    await signInAs(page, base, EDITOR_SECRET, 'Axe');
    const id = sandbox.store.list()[5]?.id ?? '';
    for (const path of ['/console', `/console/records?target=hubspot%3Acompanies&id=${id}`, `/console/records?target=hubspot%3Acompanies&q=${encodeURIComponent(String(sandbox.store.list()[5]?.properties['name'] ?? 'co').slice(0, 4))}`, '/console/operations', '/console/model', '/console/model/history', '/console/model/diff?from=1&to=2', '/console/calibration', '/console/audit', '/console?lang=fr']) {
      await page.goto(`${base}${path}`);
      const v = await seriousViolations(page);
      if (v.length > 0) found[path] = v;
    }
    expect(found).toEqual({});
  }, 90_000);

  // Last: its save starts a mapping-change backfill that rescores the sandbox.
  it('Mappings: reached with the keyboard, shows the HubSpot properties and coverage, previews and saves an edit, passes axe', async () => {
    const page = await newPage();
    await signInAs(page, base, EDITOR_SECRET, 'Mappings');
    let guard = 0;
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'Mappings' && guard++ < 12) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console/mappings`);
    // The sandbox's properties listing, HubSpot's own properties marked as not custom.
    expect(await page.textContent('#crm-fields tr.mapped:has(code:text-is("numberofemployees"))')).toMatch(/Number of Employees\s*number\s*no\s*employees/);
    // Coverage on the preview sample (read for the Model tests above): every seeded company has a name.
    await until(async () => {
      await page.goto(`${base}/console/mappings`);
      return (await page.textContent('#mapping-table tr[data-attribute="name"] td.coverage'))?.includes('100') === true;
    }, 30_000, 'coverage on the sample');
    const before = (await service.runtime.mappings?.head()) ?? 0;
    await page.fill('#mappings-yaml', 'version: 1\nhubspot:\n  companies:\n    attributes:\n      country: null\n');
    // The page's script previews an edit by itself after a pause (no click).
    await page.waitForSelector('#mapping-preview p.headline', { timeout: 15_000 });
    expect(await page.getAttribute('#coverage-delta tr[data-attribute="country"]', 'class')).toBe('changed');
    expect(await page.textContent('#mapping-preview p.headline')).toMatch(/Average completeness [\d.]+ % → [\d.]+ %/);
    const found: Record<string, unknown> = {};
    const onPreview = await seriousViolations(page);
    if (onPreview.length > 0) found['/console/mappings/preview'] = onPreview;
    await page.fill('#mappings-note', 'country is not reliable');
    const saveTime = Date.now() - 1000;
    await page.click('#mappings-save');
    await page.waitForSelector('.notice.ok');
    expect(await page.textContent('.notice.ok')).toContain(`Mappings saved as revision ${before + 1}`);
    expect(service.runtime.activeMappings?.().mappings.hubspot['companies']?.attributes['country']).toBeUndefined();
    for (const path of ['/console/mappings', '/console/mappings/history', '/console/mappings?lang=fr']) {
      await page.goto(`${base}${path}`);
      const v = await seriousViolations(page);
      if (v.length > 0) found[path] = v;
    }
    expect(found).toEqual({});
    await page.goto(`${base}/console/mappings/history`);
    expect(await page.textContent('table.history')).toContain('- hubspot.companies.country');
    await until(async () => {
      const [s] = await service.runtime.backfillStatus('hubspot');
      return s?.trigger === 'model-change' && s.status === 'done' && Date.parse(s.startedAt) > saveTime;
    }, 60_000, 'the mapping-change backfill');
  }, 120_000);
});
