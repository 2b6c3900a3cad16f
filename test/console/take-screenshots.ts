/**
 * Screenshots of the console for docs/console.md and the README: the service (HTTP + workers) on
 * the HubSpot sandbox (1,000 companies, 3 contacts each, their deals) with the example model and
 * real Redis; a weight changed in the Model page and its live preview, a publish and its backfill,
 * the explain view, the history and a diff, the audit log in French, the Model page on a tablet as
 * a viewer. Pages added to the navigation later are shot too (as `console-<section>.png`).
 *
 * Run from the repository root: `node test/console/take-screenshots.ts` (needs Chromium at
 * /usr/bin/chromium and Redis). When `pngquant` is on the PATH (`apt-get install pngquant`) the PNGs
 * are reduced to 256 colours (a UI screenshot loses nothing visible; the files shrink about 3×).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startService } from '../../src/http/service.ts';
import { startHubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { cleanRedis, until } from '../pipeline/helpers.ts';
import { e2eEnv, freePort } from '../e2e/harness.ts';
import { launch, signInAs } from './browser.ts';
import { EDITOR_SECRET, VIEWER_SECRET } from './helper.ts';

process.chdir(fileURLToPath(new URL('../..', import.meta.url)));
const OUT = 'docs/img';
/** Sections shot with their own steps below; any other navigation link gets a plain full-page shot. */
const KNOWN = new Set(['/console', '/console/records', '/console/operations', '/console/model', '/console/mappings', '/console/calibration', '/console/audit']);

const sandbox = await startHubSpotSandbox({ seed: 1000, contactsPerCompany: 3, deals: true, limits: { per10s: 100_000, searchPerSecond: 1000 } });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = e2eEnv(sandbox, 'config/icp.example.yaml', {
  PORT: String(port),
  PUBLIC_BASE_URL: base,
  CONSOLE_EDITOR_SECRET: EDITOR_SECRET,
  CONSOLE_VIEWER_SECRET: VIEWER_SECRET,
  ADMIN_TOKEN: 'Screens-7Hq2-Lp9x-Vb4k',
});
const service = await startService({ workers: true, env, handleSignals: false });
const browser = await launch();
const shots: string[] = [];
const shoot = async (page: Page, name: string, fullPage = true) => {
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage });
  shots.push(name);
};
/** A section of a long page, from its top down to at most `maxHeight` pixels. */
const shootClip = async (page: Page, name: string, selector: string, maxHeight: number) => {
  const box = await page.locator(selector).boundingBox();
  if (box === null) throw new Error(`no ${selector} on the page`);
  // Page coordinates: the box is relative to the viewport, scrolled by scrollY.
  const top = Math.max(0, box.y + (await page.evaluate<number>('window.scrollY')) - 16);
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  const width = page.viewportSize()?.width ?? 1280;
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true, clip: { x: 0, y: top, width, height: Math.min(maxHeight, height - top) } });
  shots.push(name);
};
const allDone = async () => {
  const states = await service.runtime.backfillStatus('hubspot');
  return states.length > 0 && states.every((b) => b.status === 'done');
};
try {
  await mkdir(OUT, { recursive: true });
  await until(allDone, 120_000, 'the first backfill');
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/console`);
  await shoot(page, 'console-sign-in', false);
  await signInAs(page, base, EDITOR_SECRET, 'Camille Martin');
  await until(async () => (await service.runtime.preview.samples.status('hubspot', 'companies')).state === 'ready', 60_000, 'the sample');
  await page.goto(`${base}/console`);
  await shoot(page, 'console-overview');
  const nav = await page.locator('header nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));

  await page.goto(`${base}/console/model`);
  await page.fill('#w-headcount', '30');
  await page.waitForSelector('#preview p.headline');
  await page.locator('#w-headcount').blur();
  await shoot(page, 'console-model', false);
  // The preview section down to its first movers (the 20 movers make it about 3,000 pixels tall).
  const box = await page.locator('#preview').boundingBox();
  if (box === null) throw new Error('no preview section');
  await page.screenshot({ path: `${OUT}/console-preview.png`, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 1150) } });
  shots.push('console-preview');
  await page.fill('#version', '2026.12.1');
  await page.fill('#note', 'Company size counts more (Q1 review)');
  await page.click('#publish');
  await page.waitForURL(`${base}/console/operations?done=publish`);
  // The model-change backfill of 1,000 companies and their contacts, caught while it runs when possible.
  await page.waitForSelector('#backfills progress', { timeout: 10_000 });
  await page.waitForTimeout(400);
  await shoot(page, 'console-operations');
  await until(allDone, 120_000, 'the model-change backfill');

  const id = sandbox.store.list()[12]?.id ?? '';
  await page.goto(`${base}/console/records?target=hubspot%3Acompanies&id=${id}`);
  await shoot(page, 'console-records');
  // A search by part of a name, across every synced type.
  await page.goto(`${base}/console/records?q=Cap`);
  if ((await page.locator('table.matches').count()) > 0) await shoot(page, 'console-records-search', false);
  await page.goto(`${base}/console/model/history`);
  await shoot(page, 'console-history', false);
  await page.goto(`${base}/console/model/diff?from=1&to=2`);
  await shoot(page, 'console-diff', false);
  await page.goto(`${base}/console/audit?lang=fr`);
  await shoot(page, 'console-audit-fr', false);
  await page.goto(`${base}/console?lang=en`);

  // The structured forms of the Model editor: one criterion opened, its matcher row by row.
  await page.goto(`${base}/console/model`);
  const criterion = page.locator('details#crit-headcount');
  if ((await criterion.count()) > 0) {
    await criterion.locator('summary').click();
    await page.locator('#criteria-forms-h').scrollIntoViewIfNeeded();
    await shootClip(page, 'console-model-forms', '#criteria-forms-h', 900);
  }

  if (nav.includes('/console/mappings')) {
    // What if annual revenue were no longer read? Coverage, completeness and scores on the sample.
    await page.goto(`${base}/console/mappings?target=hubspot%3Acompanies`);
    await page.waitForSelector('#mapping-table');
    await shoot(page, 'console-mappings', false);
    await page.fill('#mappings-yaml', 'version: 1\nhubspot:\n  companies:\n    attributes:\n      annual_revenue: null\n');
    await page.click('#mappings-preview');
    await page.waitForSelector('#mapping-preview p.headline');
    await shootClip(page, 'console-mappings-preview', '#mapping-preview', 1150);
  }

  if (nav.includes('/console/calibration')) {
    // A calibration from the sandbox's closed deals, started from its page; then its result and the framed ICP sheet.
    await page.goto(`${base}/console/calibration`);
    await page.click('form[action="/console/calibration/run"] button');
    // The page's script follows the run and reloads the page when it ends.
    await page.waitForSelector('table.calibration-auc', { timeout: 120_000 });
    await page.frameLocator('iframe.icp-sheet').locator('h1').waitFor();
    await shoot(page, 'console-calibration', false);
    // The sheet's heading at the top of the window, then a moment for the frame to paint.
    await page.evaluate("document.getElementById('calibration-sheet').scrollIntoView()");
    await page.waitForTimeout(500);
    await shoot(page, 'console-calibration-sheet', false);
  }

  for (const href of nav.filter((h) => !KNOWN.has(h))) {
    await page.goto(`${base}${href}`);
    await shoot(page, `console-${href.replace('/console/', '').replace(/[^a-z0-9]+/gi, '-')}`);
  }

  const tablet = await browser.newContext({ viewport: { width: 820, height: 1100 } });
  const tp = await tablet.newPage();
  await signInAs(tp, base, VIEWER_SECRET, 'Vic');
  await tp.goto(`${base}/console/model`);
  await shoot(tp, 'console-model-tablet-viewer', false);

  const pngquant = spawnSync('pngquant', ['--version'], { stdio: 'ignore' }).status === 0;
  for (const name of shots) {
    const file = `${OUT}/${name}.png`;
    if (pngquant) spawnSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=70-95', '--output', file, file], { stdio: 'inherit' });
  }
  let total = 0;
  for (const f of (await readdir(OUT)).filter((f) => f.startsWith('console-') && f.endsWith('.png'))) total += (await stat(`${OUT}/${f}`)).size;
  console.log(`${shots.length} screenshots in ${OUT}/ (${(total / 1024).toFixed(0)} KB in all${pngquant ? ', 256 colours' : ''})`);
} finally {
  await browser.close();
  await service.stop();
  await sandbox.close();
  await cleanRedis(service.env);
}
