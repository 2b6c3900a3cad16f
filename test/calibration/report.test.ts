import { describe, expect, it } from 'vitest';
import { buildIcpSheet } from '../../src/calibration/report/icp-sheet.ts';
import { sheetHtml } from '../../src/calibration/report/sheet-html.ts';
import { sheetMarkdown } from '../../src/calibration/report/sheet-markdown.ts';
import { esc, mdCell } from '../../src/calibration/report/escape.ts';
import { calibrate } from '../../src/domain/calibration/calibrate.ts';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { GROUND_TRUTH, syntheticDeals } from './synthetic-deals.ts';

const EVIL = '<script>alert(1)</script>';
const EVIL_ATTR = '"><img src=x onerror=alert(2)>';

function hostileDeals(): ClosedDeal[] {
  // CRM values are data: a segment named like markup must come out as text.
  return syntheticDeals({ deals: 1500, seed: 3 }).map((d, i) => ({
    ...d,
    attributes: { ...d.attributes, industry: i % 3 === 0 ? (i % 2 === 0 ? EVIL : EVIL_ATTR) : d.attributes['industry'], segment_note: 'a|b' },
  }));
}

describe('ICP sheet', () => {
  const result = calibrate(hostileDeals(), { mode: 'deals', now: new Date('2026-11-26T00:00:00Z'), current: { ...GROUND_TRUTH, name: 'Tech <b>SMB</b>' }, rechallengeMonths: 9 });
  const sheet = buildIcpSheet(result, { source: 'deals <x>.csv' });

  it('escapes every CRM value in the HTML and loads nothing from outside', () => {
    const html = sheetHtml(sheet);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>SMB</b>');
    expect(html).toContain(esc(EVIL));
    expect(html).toContain('Tech &lt;b&gt;SMB&lt;/b&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/);
    expect(html.match(/https?:\/\/[^"]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('gives the figures, the re-challenge date and the change list', () => {
    expect(sheet.rechallengeBy).toBe('2027-08-26');
    expect(sheet.figures.map((f) => f.label)).toEqual([
      'Accounts analysed',
      'Base win rate',
      'AUC, model ground-truth',
      'AUC, suggested model (held out)',
      'Top tier A lift',
      'Re-challenge by',
    ]);
    expect(sheet.changes[0]).toMatch(/^version ground-truth → 2026\.11\.26-calibrated$/);
    expect(sheet.roles).toBeUndefined();
    // The ground truth is the best possible ranking: the suggestion cannot beat it clearly.
    expect(sheet.advice).toMatch(/^(model ground-truth still separates|both models separate)/);
    expect(sheet.segmentCharts).toHaveLength(3);
  });

  it('writes a Markdown twin whose tables survive pipes and markup', () => {
    const md = sheetMarkdown(sheet);
    expect(md).toContain('re-challenge by 2027-08-26');
    expect(md).toContain('## Key account traits');
    expect(md).not.toContain('<script>');
    expect(mdCell('a|b\nc<d>')).toBe('a\\|b c&lt;d&gt;');
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      // Every table row has its cells closed: no stray pipe from a value.
      expect(line.endsWith('|')).toBe(true);
    }
  });

  it('keeps a long change list short on the page and whole in the Markdown', () => {
    const long = { ...sheet, changes: Array.from({ length: 14 }, (_, i) => `~ attr${i}: ${'x'.repeat(400)}`) };
    const html = sheetHtml(long);
    expect(html).toContain('… 4 more in icp-sheet.md');
    expect(html).not.toContain('x'.repeat(300));
    expect(sheetMarkdown(long)).toContain('x'.repeat(400));
  });

  it('shows buying roles when the model carries them', () => {
    const withRoles = calibrate(syntheticDeals({ deals: 600, seed: 4 }), {
      mode: 'deals',
      now: new Date('2026-11-26T00:00:00Z'),
      current: {
        ...GROUND_TRUTH,
        roles: {
          ignoreTitles: [],
          defaultPoints: 0,
          list: [
            { id: 'decision_maker', label: 'Decision maker', points: 1, required: true, titles: ['CEO', 'VP Sales'], hubspot: [], salesforce: [] },
            { id: 'user', label: 'User', points: 0.5, required: false, titles: [], hubspot: ['END_USER'], salesforce: [] },
          ],
        },
      },
    });
    const s = buildIcpSheet(withRoles, { source: 'x' });
    expect(s.roles).toEqual([
      { name: 'Decision maker (required)', titles: ['CEO', 'VP Sales'] },
      { name: 'User', titles: [] },
    ]);
    expect(sheetHtml(s)).toContain('<b>Decision maker (required)</b>: CEO, VP Sales');
  });
});

describe('ICP sheet language', () => {
  it('follows the model: French labels give a French sheet, unless the caller asks otherwise', async () => {
    const { FRENCH_MODEL } = await import('./role-deals.ts');
    const { modelLanguage } = await import('../../src/calibration/report/sheet-words.ts');
    expect(modelLanguage(FRENCH_MODEL)).toBe('fr');
    expect(modelLanguage(GROUND_TRUTH)).toBe('en');
    expect(modelLanguage(undefined)).toBe('en');
    const r = calibrate(syntheticDeals({ deals: 40, seed: 3 }), { mode: 'deals', now: new Date('2026-11-26T00:00:00Z'), current: FRENCH_MODEL });
    const fr = buildIcpSheet(r, { source: 'deals.csv' });
    expect(fr.lang).toBe('fr');
    // Too few accounts: the reason is given in French too, and the figures use French numbers.
    expect(fr.noModel).toMatch(/^trop peu de comptes pour ajuster et mesurer un modèle : .* au moins 10 comptes gagnés et 10 perdus$/);
    expect(fr.figures[1]?.value).toMatch(/^\d+,\d %$/);
    expect(sheetHtml(fr)).toContain('<h2>Fonctions cibles</h2>');
    expect(sheetMarkdown(fr)).toContain('## Objections fréquentes');
    const en = buildIcpSheet(r, { source: 'deals.csv', lang: 'en' });
    expect(en.noModel).toBe(r.suggestionProblem);
    expect(sheetHtml(en)).toContain('<h2>Target functions</h2>');
  });
});
