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

const run = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

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
});
