/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (no browser download),
 * against the service started on the HubSpot sandbox and real Redis. Without Chromium the browser
 * tests fail when `CI` is set and are skipped otherwise.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export function requireChromiumInCi(): void {
  if (CHROMIUM === undefined && process.env['CI']) {
    throw new Error('Chromium is required in CI for the console browser tests: apt-get install -y chromium');
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM as string, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Runs axe-core on the page (the context must bypass CSP to inject it); returns serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return g.axe.run(g.document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/** Signs in through the form with the keyboard-free path (fill and click). */
export async function signInAs(page: Page, base: string, secret: string, name: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.fill('#name', name);
  await page.fill('#secret', secret);
  await page.click('form.signin button[type=submit]');
  await page.waitForURL(`${base}/console`);
}
