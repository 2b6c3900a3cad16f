/**
 * The French ICP sheet says in French what calibration computes in English: the model diff, the reasons
 * an attribute is left out or a criterion dropped, the reasons for a role's points, the segment words
 * and the band bounds. The English sheet reads as before: each change's text is its facts in English.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readRowsCsv } from '../../src/calibration/account-rows-csv.ts';
import { frenchReason, frenchSegmentLabel } from '../../src/calibration/report/french-phrases.ts';
import { buildIcpSheet } from '../../src/calibration/report/icp-sheet.ts';
import { sheetHtml } from '../../src/calibration/report/sheet-html.ts';
import { sheetMarkdown } from '../../src/calibration/report/sheet-markdown.ts';
import { rowsToDeals } from '../../src/domain/calibration/account-row.ts';
import { segmentsOf } from '../../src/domain/calibration/bucketing.ts';
import { calibrate, type CalibrationResult } from '../../src/domain/calibration/calibrate.ts';
import { changeText, diffModels } from '../../src/domain/calibration/model-diff.ts';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { FRENCH_MODEL, withRolesAndReasons } from './role-deals.ts';
import { syntheticDeals } from './synthetic-deals.ts';

const now = new Date('2026-11-26T09:00:00Z');

async function results(): Promise<Record<'synthetic' | 'example', CalibrationResult>> {
  const parsed = parseModelText(await readFile('config/icp.example.yaml', 'utf8'), 'icp.example.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const deals = rowsToDeals((await readRowsCsv('examples/deals.csv', { kind: 'deals' })).rows);
  return {
    synthetic: calibrate(withRolesAndReasons(syntheticDeals({ deals: 2000, seed: 9 }), 2), { mode: 'deals', now, current: FRENCH_MODEL }),
    example: calibrate(deals, { mode: 'deals', now, current: parsed.model, ignore: ['account_id', 'domain', 'name'] }),
  };
}

/** English words of the diff, the reasons and the segments, as calibration writes them. */
const ENGLISH = [
  'of the score',
  'dropped',
  '(was ',
  ' new:',
  'other values',
  'otherwise',
  'bands ',
  'weight ',
  'could be chance',
  'chi-square',
  'not predictive',
  'information value',
  'won with it',
  'without:',
  'no clear difference',
  'wins clearly',
  'now required',
  'no longer required',
  'role ',
  'possible leakage',
  'missing',
  'any value',
  '| other',
  ' of ',
];

/**
 * The sheet's own words: the Markdown twin, and the HTML with its tags (and style sheet) removed, both
 * without the lost reasons as reps typed them (data, in whatever language they were written).
 */
function texts(r: CalibrationResult, lang: 'en' | 'fr'): { md: string; html: string } {
  const sheet = buildIcpSheet(r, { source: 'deals.csv', lang });
  const typed = (sheet.objections?.rows ?? []).flatMap((o) => [o.label, ...o.merged]).sort((x, y) => y.length - x.length);
  const withoutTyped = (text: string) => typed.reduce((t, reason) => t.split(reason).join('').split(reason.slice(0, 20)).join(''), text);
  const html = sheetHtml(sheet)
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
  return { md: withoutTyped(sheetMarkdown(sheet)), html: withoutTyped(html) };
}

describe('the French ICP sheet', () => {
  it('words the model diff, the reasons and the segments in French, for both data sets', async () => {
    const all = await results();
    for (const [name, r] of Object.entries(all)) {
      expect(r.diff.length, name).toBeGreaterThan(3);
      const { md, html } = texts(r, 'fr');
      for (const text of [md, html]) {
        for (const word of ENGLISH) expect(text.includes(word), `${name}: "${word}" in\n${text}`).toBe(false);
        expect(text).toContain('du score');
        expect(text).toContain('valeur manquante');
      }
      // The page shows the first changes; the Markdown twin all of them, the roles' included.
      expect(md).toMatch(/fonction \S+ : points \d(,\d+)? → \d(,\d+)?.* \(\d+,\d % gagnées avec, \d+,\d % sans : (gagne nettement plus|gagne nettement moins|pas de différence nette)\)/);
      // Band bounds with French separators: `1 000`, never `1,000`.
      expect(md).not.toMatch(/(?<![\d,])[1-9]\d{0,2},\d{3}\b/);
      expect(md).toMatch(/tranches .*\d\u202f\d{3}/);
    }
    expect(texts(all.synthetic, 'fr').md).toMatch(/écartés crm_tool : pas prédictif \(valeur d'information 0,005 &lt; 0,02\)/);
    expect(texts(all.example, 'fr').md).toMatch(/- - country : retiré \(valait 15 % du score\) : peut-être le hasard \(khi-deux p = 0,23 &gt; 0,05\)/);
  });

  it('leaves the English sheet as it reads: each change is its facts in English', async () => {
    const all = await results();
    for (const r of Object.values(all)) {
      for (const c of r.diff) {
        expect(c.detail).toBeDefined();
        if (c.detail !== undefined) expect(changeText(c.detail)).toBe(c.text);
      }
      const { md } = texts(r, 'en');
      for (const c of r.diff) expect(md).toContain(c.text.replace(/>/g, '&gt;').replace(/</g, '&lt;'));
      expect(md).toContain('| missing |');
    }
    expect(texts(all.synthetic, 'en').md).toContain('- left out crm_tool: not predictive (information value 0.005 &lt; 0.02)');
  });

  it('words every reason calibration gives, and each segment word', () => {
    const reasons = [
      'not a snake_case attribute name',
      'not predictive (information value 0.005 < 0.02)',
      'could be chance (chi-square p = 0.23 > 0.05)',
      'every segment wins at the same rate',
      'beyond the 8 most predictive attributes',
      'no segment large enough to score',
      'not in the data, so not assessed',
      'possible leakage: its name says date, stage, status, outcome, owner, name or id: it describes the deal, not the account',
      'possible leakage: it holds dates: a date tells when a deal closed, not who buys',
      'possible leakage: nearly every row has its own value: an identifier or a name',
      'possible leakage: it separates won from lost almost perfectly on its own (AUC 0.991): most likely a consequence of the outcome (e.g. an amount set to 0 on lost deals)',
      'every value is missing',
      'no value reads as a number',
      'identifier-like: 812 distinct values in 830',
      'too few rows to judge (4 with the role): kept as in the model',
      '53.6 % won with it, 18.9 % without: wins clearly more',
    ];
    for (const r of reasons) {
      const fr = frenchReason(r);
      expect(fr, r).not.toBe(r);
      expect(fr, r).not.toMatch(/(^|\s)(the|with|without|not|value|values|won|rows?|deal|account|every|its)(?=[\s,.:;)]|$)/);
    }
    expect(frenchReason('possible leakage: it holds dates: a date tells when a deal closed, not who buys')).toBe(
      "fuite possible : il contient des dates : une date dit quand l'affaire s'est conclue, pas qui achète",
    );
    expect(frenchReason('a reason nobody wrote yet')).toBe('a reason nobody wrote yet');

    const label = (s: { key: string; label: string }) => frenchSegmentLabel(s.key, s.label);
    expect(segmentsOf({ kind: 'numeric', cuts: [], integer: true }).map(label)).toEqual(['toute valeur', 'valeur manquante']);
    expect(segmentsOf({ kind: 'numeric', cuts: [19, 1400, 5300], integer: true }).map(label)).toEqual(['≤ 19', '20–1\u202f400', '1\u202f401–5\u202f300', '> 5\u202f300', 'valeur manquante']);
    expect(segmentsOf({ kind: 'numeric', cuts: [0.5], integer: false }).map(label)).toEqual(['≤ 0,5', '> 0,5', 'valeur manquante']);
    expect(segmentsOf({ kind: 'boolean' }).map(label)).toEqual(['oui', 'non', 'valeur manquante']);
    expect(segmentsOf({ kind: 'category', values: ['it services'], labels: { 'it services': 'IT Services 2,000' } }).map(label)).toEqual([
      'IT Services 2,000',
      'autres',
      'valeur manquante',
    ]);
  });

  it('tells a diff of matchers in French from its facts', () => {
    const base = FRENCH_MODEL;
    const after = {
      ...base,
      version: 'v2',
      criteria: base.criteria.map((c, i) => (i === 0 ? { ...c, match: { kind: 'boolean' as const, ifTrue: 0.5 } } : c)),
    };
    const [version, changed] = diffModels(base, after);
    expect(version?.detail).toEqual({ kind: 'version', before: base.version, after: 'v2' });
    const fr = buildIcpSheet({ ...calibrate(syntheticDeals({ deals: 200, seed: 1 }), { mode: 'deals', now, current: base }), diff: [version, changed].flatMap((c) => (c === undefined ? [] : [c])) }, { source: 'x', lang: 'fr' });
    expect(fr.changes[1]).toMatch(/^~ \w+ : .+ → oui 0,5, non 0$/);
  });
});
