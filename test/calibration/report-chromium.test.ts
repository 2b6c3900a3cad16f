/**
 * Opens the ICP sheet in a real headless Chromium: the page must render offline and show its
 * charts. CI installs Chromium (`apt-get install -y chromium`); without it the test fails when
 * `CI` is set and is skipped otherwise.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeIcpSheet } from '../../src/calibration/report/write-report.ts';
import { COLORS } from '../../src/calibration/report/svg-charts.ts';
import { calibrate } from '../../src/domain/calibration/calibrate.ts';
import { countColour, decodePng } from './png-pixels.ts';
import { GROUND_TRUTH, syntheticDeals } from './synthetic-deals.ts';
import { FRENCH_MODEL, withRolesAndReasons } from './role-deals.ts';

const run = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Pages of a PDF as Chromium writes it (page objects uncompressed), with each page's size in points. */
function pdfPages(pdf: Buffer): { width: number; height: number }[] {
  const text = pdf.toString('latin1');
  const pages = text.match(/\/Type\s*\/Page[^s]/g) ?? [];
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
  expect(boxes).toHaveLength(pages.length);
  return boxes;
}

function chromiumArgs(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ];
}

describe('ICP sheet in Chromium', () => {
  it('is installed where CI expects it', () => {
    if (CHROMIUM === undefined && process.env['CI']) {
      throw new Error('Chromium is required in CI for the ICP sheet rendering test: apt-get install -y chromium');
    }
  });

  it.skipIf(CHROMIUM === undefined)('renders the page with its charts (screenshot, DOM) and prints on one page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'icp-sheet-'));
    dirs.push(dir);
    const result = calibrate(syntheticDeals({ deals: 2000, seed: 9 }), { mode: 'deals', now: new Date('2026-11-26T09:00:00Z'), current: GROUND_TRUTH });
    const { html } = await writeIcpSheet(dir, result, { source: 'synthetic deals' });
    const url = pathToFileURL(html).href;
    const png = join(dir, 'sheet.png');
    const chromium = CHROMIUM as string;
    await run(chromium, [...chromiumArgs(join(dir, 'profile-a')), `--screenshot=${png}`, '--window-size=1200,1600', url], { timeout: 90_000 });
    const { stdout: dom } = await run(chromium, [...chromiumArgs(join(dir, 'profile-b')), '--dump-dom', url], { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 });
    const pdf = join(dir, 'sheet.pdf');
    await run(chromium, [...chromiumArgs(join(dir, 'profile-c')), '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, url], { timeout: 90_000 });

    expect((await stat(png)).size).toBeGreaterThan(30_000);
    const pixels = decodePng(await readFile(png));
    expect([pixels.width, pixels.height]).toEqual([1200, 1600]);
    // The bars are drawn in the chart blue; a blank or broken page has none.
    expect(countColour(pixels, COLORS.won)).toBeGreaterThan(5_000);
    // The dashed base-rate lines are drawn in orange.
    expect(countColour(pixels, COLORS.base, 30)).toBeGreaterThan(50);

    // Segment bars ×3, tier distribution, tier win rates, score bands, ROC.
    expect((dom.match(/<svg /g) ?? []).length).toBe(7);
    expect(dom).toContain('Key account traits');
    expect(dom).toContain('re-challenge by 2027-05-26');

    // Printed, the sheet holds on one A4 page.
    const pages = (await readFile(pdf)).toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages).toHaveLength(1);
  });

  // A4 is 210 × 297 mm: 595.3 × 841.9 PDF points.
  it.skipIf(CHROMIUM === undefined).each(['fr', 'en'] as const)('prints in %s, with target functions and objections, on exactly one A4 page', async (lang) => {
    const dir = await mkdtemp(join(tmpdir(), `icp-sheet-${lang}-`));
    dirs.push(dir);
    const deals = withRolesAndReasons(syntheticDeals({ deals: 2000, seed: 9 }), 2);
    const result = calibrate(deals, { mode: 'deals', now: new Date('2026-11-26T09:00:00Z'), current: FRENCH_MODEL });
    const { html } = await writeIcpSheet(dir, result, { source: 'deals.csv', lang });
    const url = pathToFileURL(html).href;
    const chromium = CHROMIUM as string;
    const { stdout: dom } = await run(chromium, [...chromiumArgs(join(dir, 'profile-a')), '--dump-dom', url], { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 });
    const pdf = join(dir, 'sheet.pdf');
    await run(chromium, [...chromiumArgs(join(dir, 'profile-b')), '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, url], { timeout: 90_000 });

    const words =
      lang === 'fr'
        ? ['<html lang="fr">', 'Fonctions cibles', 'Objections fréquentes', 'Décideur', 'gagne plus', 'à re-challenger avant le 2027-05-26', 'champion ×']
        : ['<html lang="en">', 'Target functions', 'Frequent objections', 'Décideur', 'wins more', 're-challenge by 2027-05-26', 'champion ×'];
    for (const w of words) expect(dom).toContain(w);
    // The objections table lists the price group first, with the spellings it merged.
    expect(dom).toMatch(/Trop cher|Too expensive|Prix/);
    const pages = pdfPages(await readFile(pdf));
    expect(pages).toHaveLength(1);
    expect(Math.abs((pages[0]?.width ?? 0) - 595.3)).toBeLessThan(1.5);
    expect(Math.abs((pages[0]?.height ?? 0) - 841.9)).toBeLessThan(1.5);
  });
});
