/**
 * Screenshots of the console for docs/console.md and the README: the service on the HubSpot
 * sandbox and real Redis, a weight changed in the Model page, a publish and its backfill.
 * Run: `node test/console/take-screenshots.ts` (needs Chromium at /usr/bin/chromium and Redis).
 */
import { mkdir } from 'node:fs/promises';
import { startService } from '../../src/http/service.ts';
import { startHubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { cleanRedis, until } from '../pipeline/helpers.ts';
import { e2eEnv, freePort, writeModel } from '../e2e/harness.ts';
import { launch, signInAs } from './browser.ts';
import { EDITOR_SECRET, VIEWER_SECRET } from './helper.ts';

const OUT = 'docs/img';

const sandbox = await startHubSpotSandbox({ seed: 1000, limits: { per10s: 100_000, searchPerSecond: 1000 } });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = e2eEnv(sandbox, await writeModel(), { PORT: String(port), PUBLIC_BASE_URL: base, CONSOLE_EDITOR_SECRET: EDITOR_SECRET, CONSOLE_VIEWER_SECRET: VIEWER_SECRET, ADMIN_TOKEN: 'Screens-7Hq2-Lp9x-Vb4k' });
const service = await startService({ workers: true, env, handleSignals: false });
const browser = await launch();
try {
  await mkdir(OUT, { recursive: true });
  await until(async () => (await service.runtime.backfillStatus('hubspot'))[0]?.status === 'done', 60_000, 'the first backfill');
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/console`);
  await page.screenshot({ path: `${OUT}/console-sign-in.png` });
  await signInAs(page, base, EDITOR_SECRET, 'Camille Martin');
  await until(async () => (await service.runtime.preview.samples.status('hubspot', 'companies')).state === 'ready', 30_000, 'the sample');
  await page.goto(`${base}/console`);
  await page.screenshot({ path: `${OUT}/console-overview.png`, fullPage: true });
  await page.goto(`${base}/console/model`);
  await page.fill('#w-size', '90');
  await page.waitForSelector('#preview p.headline');
  await page.screenshot({ path: `${OUT}/console-model.png`, fullPage: true });
  await page.locator('#preview').screenshot({ path: `${OUT}/console-preview.png` });
  await page.fill('#version', 'e2e-2');
  await page.fill('#note', 'Company size counts more (Q1 review)');
  await page.click('#publish');
  await page.waitForURL(`${base}/console/operations?done=publish`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}/console-operations.png`, fullPage: true });
  const id = sandbox.store.list()[12]?.id ?? '';
  await page.goto(`${base}/console/records?target=hubspot%3Acompanies&id=${id}`);
  await page.screenshot({ path: `${OUT}/console-records.png`, fullPage: true });
  await page.goto(`${base}/console/model/history`);
  await page.screenshot({ path: `${OUT}/console-history.png` });
  await page.goto(`${base}/console/model/diff?from=1&to=2`);
  await page.screenshot({ path: `${OUT}/console-diff.png` });
  await page.goto(`${base}/console/audit?lang=fr`);
  await page.screenshot({ path: `${OUT}/console-audit-fr.png` });
  const tablet = await browser.newContext({ viewport: { width: 820, height: 1100 } });
  const tp = await tablet.newPage();
  await signInAs(tp, base, VIEWER_SECRET, 'Vic');
  await tp.goto(`${base}/console/model`);
  await tp.screenshot({ path: `${OUT}/console-model-tablet-viewer.png` });
  console.log(`screenshots in ${OUT}/`);
} finally {
  await browser.close();
  await service.stop();
  await sandbox.close();
  await cleanRedis(service.env);
}
