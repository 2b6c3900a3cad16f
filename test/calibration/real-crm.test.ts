/**
 * Calibration on data shaped like a real CRM export (issue 13): accounts with many deals, small
 * bases, leaky columns. Each block reproduces one finding.
 */
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/domain/calibration/calibrate.ts';
import { median } from '../../src/domain/calibration/statistics.ts';
import { summaryText } from '../../src/calibration/summary-text.ts';
import { analyzeDeals } from '../../src/domain/calibration/segment-analysis.ts';
import { keyTraits } from '../../src/domain/calibration/key-traits.ts';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { buildIcpSheet } from '../../src/calibration/report/icp-sheet.ts';
import { sheetHtml } from '../../src/calibration/report/sheet-html.ts';
import { sheetMarkdown } from '../../src/calibration/report/sheet-markdown.ts';
import { rateBarsSvg, rocSvg } from '../../src/calibration/report/svg-charts.ts';
import { GROUND_TRUTH, repeatBuyerDeals, syntheticDeals } from './synthetic-deals.ts';

const now = new Date('2026-05-01T00:00:00Z');

describe('finding 1: accounts with many deals', () => {
  const deals = repeatBuyerDeals();
  const lostShare = deals.filter((d) => !d.won).length / deals.length;

  it('is built so that every account has a won deal while about a third of the deals are lost', () => {
    expect(lostShare).toBeGreaterThan(0.25);
    expect(new Set(deals.map((d) => d.account)).size).toBe(85);
  });

  it('chooses the deal as unit automatically, says so, and does not refuse with "every deal is won"', () => {
    const r = calibrate(deals, { mode: 'deals', now });
    expect(r.unit).toBe('deal');
    expect(r.unitReason).toMatch(/automatically: 100 % of the accounts have several closed deals/);
    expect(r.analysis.n).toBe(deals.length);
    expect(r.analysis.won).toBe(deals.filter((d) => d.won).length);
    expect(r.suggestionProblem ?? '').not.toMatch(/is won/);
    expect(r.suggestion).toBeDefined();
    expect((r.suggestion?.trainSize ?? 0) + (r.suggestion?.holdoutSize ?? 0)).toBe(deals.length);
    const text = summaryText(r, { source: 'crm.csv' });
    expect(text).toMatch(/6,\d{3} deals of 85 accounts/);
    expect(text).toMatch(/^Unit of analysis: deal \(chosen automatically/m);
    expect(text).toMatch(/held-out AUC \d\.\d{3} on [\d,]+ deals not used to fit it/);
    expect(text).not.toMatch(/\baccounts not used/);
  });

  it('keeps the account unit on request and then names the unit in the refusal', () => {
    const r = calibrate(deals, { mode: 'deals', now, unit: 'account' });
    expect(r.unit).toBe('account');
    expect(r.analysis.n).toBe(85);
    expect(r.suggestionProblem).toMatch(/every account is won \(an account counts as won if any of its deals was won\): try --unit deal/);
  });

  it('keeps the account unit when most accounts have one deal', () => {
    const one = repeatBuyerDeals({ minDeals: 1, maxDeals: 1 });
    expect(calibrate(one, { mode: 'deals', now }).unit).toBe('account');
  });
});

describe('findings 2 and 3: window and medians read every deal', () => {
  const deals = repeatBuyerDeals({ accounts: 60, minDeals: 2, maxDeals: 6, seed: 11 });
  const dates = deals.map((d) => d.closeDate as string).sort();

  it('prints the first and last close date of every deal read, in the account unit too', () => {
    const r = calibrate(deals, { mode: 'deals', now, unit: 'account' });
    expect(r.window).toEqual({ from: dates[0], to: dates[dates.length - 1] });
  });

  it('computes the median won amount and cycle over every won deal, not one per account', () => {
    const r = calibrate(deals, { mode: 'deals', now, unit: 'account' });
    const industry = r.analysis.attributes.find((x) => x.attribute === 'industry');
    const software = industry?.segments.find((s) => s.label.toLowerCase() === 'software');
    expect(software).toBeDefined();
    const wonSoftware = deals.filter((d) => d.won && d.attributes.industry === 'Software');
    expect(software?.medianWonAmount).toBe(median(wonSoftware.map((d) => d.amount as number)));
    expect(software?.medianWonCycleDays).toBe(median(wonSoftware.map((d) => d.cycleDays as number)));
  });
});

describe('finding 9: leakage guards', () => {
  // A genuine ICP (industry, employees) plus the outcome's consequences, as CRM exports carry them.
  const deals: ClosedDeal[] = syntheticDeals({ deals: 3000, seed: 5 }).map((d, i) => ({
    ...d,
    attributes: {
      ...d.attributes,
      deal_value: d.won ? String(1000 + (i % 97) * 13) : '0',
      signed: d.closeDate as string,
      contact: `Person ${i} ${(i * 7919) % 10007}`,
      lost_reason: d.won ? '' : ['price', 'timing', 'competitor'][i % 3] as string,
    },
  }));

  it('flags amounts set by the outcome, dates, identifiers and stage-derived fields, and fits without them', () => {
    const r = calibrate(deals, { mode: 'deals', now, unit: 'account' });
    expect(r.leakage.map((f) => f.attribute).sort()).toEqual(['deal_value', 'lost_reason', 'signed']);
    // A name column has too many distinct values to be analysed at all, and says so.
    expect(r.analysis.skipped.find((x) => x.attribute === 'contact')?.reason).toMatch(/distinct/);
    expect(r.leakage.find((f) => f.attribute === 'deal_value')?.reason).toMatch(/separates won from lost almost perfectly/);
    expect(r.leakage.find((f) => f.attribute === 'signed')?.reason).toMatch(/holds dates/);
    const criteria = r.suggestion?.model.criteria.map((c) => c.attribute) ?? [];
    expect(criteria).toContain('industry');
    for (const leak of ['deal_value', 'signed', 'contact', 'lost_reason']) expect(criteria).not.toContain(leak);
    expect(r.suggestion?.holdoutFit.auc ?? 1).toBeLessThan(0.9);
    const traits = keyTraits(r.analysis);
    expect([...traits.winning, ...traits.losing].map((t) => t.attribute)).not.toContain('deal_value');
    expect(buildIcpSheet(r, { source: 'deals.csv' }).segmentCharts.map((c) => c.attribute)).not.toContain('deal_value');
    const text = summaryText(r, { source: 'deals.csv' });
    expect(text).toMatch(/^ {2}deal_value +\d+\.\d{3} +possible leakage/m);
    expect(text).toMatch(/Possible leakage: left out of the key traits and the suggested model/);
    expect(text).toMatch(/^ {2}deal_value: it separates won from lost almost perfectly on its own \(AUC 1\.000\)/m);
  });

  it('keeps an attribute the user vouches for', () => {
    const r = calibrate(deals, { mode: 'deals', now, unit: 'account', keep: ['deal_value'] });
    expect(r.leakage.map((f) => f.attribute)).not.toContain('deal_value');
    expect(r.suggestion?.model.criteria.map((c) => c.attribute)).toContain('deal_value');
  });

  it('does not flag the genuine ICP attributes', () => {
    const r = calibrate(syntheticDeals({ deals: 3000, seed: 5 }), { mode: 'deals', now });
    expect(r.leakage).toEqual([]);
  });
});

describe('finding 6: no strength word without significance', () => {
  const ten: ClosedDeal[] = Array.from({ length: 10 }, (_, i) => ({
    account: `a${i}`,
    attributes: { industry: i < 5 ? 'Software' : 'Retail' },
    won: i < 5 ? i !== 0 : i === 5,
  }));

  it('says "not significant" for a large information value on ten accounts', () => {
    const r = calibrate(ten, { mode: 'deals', now });
    const industry = r.analysis.attributes[0];
    expect(industry?.informationValue).toBeGreaterThan(0.3);
    expect(industry?.pValue).toBeGreaterThan(0.05);
    const line = summaryText(r, { source: 'ten.csv' }).split('\n').find((l) => /^ {2}industry +\d/.test(l)) ?? '';
    expect(line).toMatch(/not significant/);
    expect(line).not.toMatch(/strong|medium|weak/);
  });

  it('keeps the strength word for a significant attribute on enough rows', () => {
    const r = calibrate(syntheticDeals({ deals: 2000 }), { mode: 'deals', now });
    const line = summaryText(r, { source: 'deals.csv' }).split('\n').find((l) => /^ {2}industry +\d/.test(l)) ?? '';
    expect(line).toMatch(/ (strong|medium) +p < 0\.001/);
  });
});

describe('finding 4: rounding at 0 % and 100 %', () => {
  it('never lists a 100 % segment as winning least when the base rate is 100 %, nor 0 % as winning most at 0 %', () => {
    for (const won of [true, false]) {
      // 35 per segment: Wilson gives 0.9999999999999999 for 35 of 35 and about 1e-17 for 0 of 35.
      const deals: ClosedDeal[] = Array.from({ length: 70 }, (_, i) => ({ account: `a${i}`, attributes: { industry: i % 2 ? 'Software' : 'Retail' }, won }));
      const traits = keyTraits(analyzeDeals(deals));
      expect(traits.winning).toEqual([]);
      expect(traits.losing).toEqual([]);
    }
  });

  it('requires the interval to clear the base rate by a margin', () => {
    const deals: ClosedDeal[] = Array.from({ length: 200 }, (_, i) => ({ account: `a${i}`, attributes: { industry: i % 2 ? 'Software' : 'Retail' }, won: i % 2 === 1 ? i % 4 !== 3 : i % 8 === 0 }));
    const analysis = analyzeDeals(deals);
    const software = analysis.attributes[0]?.segments.find((s) => s.label === 'Software');
    expect(software?.interval.low).toBeGreaterThan(analysis.baseRate);
    const margin = (software?.interval.low ?? 0) - analysis.baseRate;
    expect(keyTraits(analysis, { margin: margin + 1e-6 }).winning).toEqual([]);
    expect(keyTraits(analysis, { margin: margin - 1e-6 }).winning.map((t) => t.label)).toEqual(['Software']);
  });
});

describe('finding 5: every label names what it counts', () => {
  const deals = syntheticDeals({ deals: 1500, seed: 3 });

  it('does not call tier C the top tier when A and B are empty, and prints empty tiers as empty', () => {
    const current = { ...GROUND_TRUTH, version: 'high-bar', tiers: [{ name: 'A', min: 101 }, { name: 'B', min: 100.5 }, { name: 'C', min: 30 }, { name: 'D', min: 0 }] };
    const r = calibrate(deals, { mode: 'deals', now, current });
    expect(r.current?.fit.topTier).toBeUndefined();
    const text = summaryText(r, { source: 'deals.csv' });
    expect(text).toMatch(/top tier A holds no accounts/);
    expect(text).not.toMatch(/top tier C/);
    expect(text).toMatch(/^ {2}A +0 +0 % +no accounts +0 %$/m);
    expect(text).not.toMatch(/\[0\.0–100\.0 %\]/);
    expect(text).toMatch(/^ {2}tier +accounts +share/m);
  });

  it('speaks of best customers, not won deals, in the best-customers mode', () => {
    const r = calibrate(deals, { mode: 'best', now });
    const text = summaryText(r, { source: 'best.csv against base.csv' });
    expect(text).toMatch(/Segments with most best customers/);
    expect(text).not.toMatch(/Segments that win/);
    expect(text).toMatch(/accounts +best +\d/);
    expect(buildIcpSheet(r, { source: 'x' }).rocAxes).toEqual({ x: 'share of other accounts reached', y: 'share of best customers reached' });
    expect(buildIcpSheet(calibrate(repeatBuyerDeals(), { mode: 'deals', now }), { source: 'x' }).rocAxes.y).toBe('share of won deals reached');
  });
});

describe('finding 8: a small base with ten best customers', () => {
  // 85 accounts; the ten best are software or IT services companies of 50–400 employees.
  const base: ClosedDeal[] = syntheticDeals({ deals: 85, seed: 21 }).map((d) => ({ ...d, won: false }));
  let best = 0;
  for (const d of base) {
    const industry = d.attributes.industry;
    const employees = Number(d.attributes.employees);
    if (best < 10 && (industry === 'Software' || industry === 'IT Services') && employees >= 50) {
      d.won = true;
      best++;
    }
  }
  while (best < 10) {
    const d = base.find((x) => !x.won) as ClosedDeal;
    d.attributes = { ...d.attributes, industry: 'Software', employees: '120' };
    d.won = true;
    best++;
  }

  it('gives key traits and a cautious model, clearly labelled, instead of nothing', () => {
    const r = calibrate(base, { mode: 'best', now });
    expect(r.analysis.won).toBe(10);
    expect(r.minSample).toBe(11);
    expect(r.suggestionProblem).toBeUndefined();
    expect(r.suggestion?.cautious).toBe(true);
    expect(r.suggestion?.model.criteria.map((c) => c.attribute)).toContain('industry');
    const traits = keyTraits(r.analysis, {});
    expect(traits.winning.map((t) => `${t.attribute}=${t.label}`)).toContain('industry=Software');
    const text = summaryText(r, { source: 'best.csv against base.csv' });
    expect(text).toMatch(/CAUTIOUS MODEL: 10 best customers are too few to hold some out/);
    expect(text).toMatch(/measured on the same ones: AUC \d\.\d{3} is optimistic/);
    expect(text).not.toMatch(/held-out AUC/);
    const sheet = buildIcpSheet(r, { source: 'x' });
    expect(sheet.figures.map((f) => f.label)).toContain('AUC, cautious model (not held out)');
    expect(sheet.notes.join(' ')).toMatch(/Cautious model/);
  });

  it('still refuses a deal-level analysis that is too small to measure', () => {
    const r = calibrate(base, { mode: 'deals', now });
    expect(r.suggestion).toBeUndefined();
    expect(r.suggestionProblem).toMatch(/too few accounts/);
  });
});

describe('finding 10: the sheet', () => {
  const few: ClosedDeal[] = syntheticDeals({ deals: 40, seed: 2 });
  const current = { ...GROUND_TRUTH, name: 'Our mid-market ICP', version: '2026.04' };

  it('puts "no suggested model" at the top, in words that fit when a current model exists', () => {
    const r = calibrate(few, { mode: 'deals', now, current });
    const sheet = buildIcpSheet(r, { source: '/home/someone/exports/deals.csv', modelPath: '/home/someone/config/icp.yaml' });
    const md = sheetMarkdown(sheet);
    expect(md.indexOf('> **No suggested model:** too few accounts')).toBeGreaterThan(0);
    expect(md.indexOf('> **No suggested model:**')).toBeLessThan(md.indexOf('| figure |'));
    expect(md).toMatch(/No suggested model, so nothing to change in model 2026\.04\./);
    expect(md).not.toMatch(/No current model/);
    const html = sheetHtml(sheet);
    expect(html).toMatch(/<p class="nomodel"><b>No suggested model:<\/b> too few accounts/);
    expect(html).not.toContain('/home/someone');
    expect(md).not.toContain('/home/someone');
    expect(sheet.source).toBe('deals.csv');
    expect(sheet.title).toBe('Ideal Customer Profile — Our mid-market ICP');
  });

  it('takes the title from the data, not from the example model', () => {
    const r = calibrate(few, { mode: 'deals', now, current });
    expect(buildIcpSheet(r, { source: '/tmp/x/deals.csv', modelPath: '/work/repo/config/icp.example.yaml' }).title).toBe('Ideal Customer Profile — deals.csv');
  });

  it('says which AUC is on the whole data set and which on the held-out part', () => {
    const r = calibrate(syntheticDeals({ deals: 1500 }), { mode: 'deals', now, current });
    const sheet = buildIcpSheet(r, { source: 'deals.csv' });
    expect(sheet.figures.find((f) => f.label === 'AUC, model 2026.04')?.note).toMatch(/^whole data set, all 1,500 accounts/);
    expect(sheet.figures.find((f) => f.label === 'AUC, suggested model (held out)')?.note).toMatch(/held-out accounts \(current model on the same held-out accounts: 0\.\d{3}\)/);
    // The ROC title says "held out"; the legend stays short enough for the 210-pixel chart
    // (at 9 px a character takes about 5 px: 34 characters after the swatch).
    expect(sheet.roc.map((x) => x.name)).toEqual([expect.stringMatching(/^current 2026\.04, AUC 0\.\d{3}$/), expect.stringMatching(/^suggested, AUC 0\.\d{3}$/)]);
    for (const lang of ['en', 'fr'] as const) {
      const s = buildIcpSheet(r, { source: 'deals.csv', lang });
      for (const x of s.roc) expect(x.name.length).toBeLessThanOrEqual(34);
      expect(sheetHtml(s)).toContain(lang === 'en' ? 'ROC, held-out accounts' : 'ROC, comptes mis de côté');
    }
  });

  it('draws the ROC legend under the plot and shortens bar labels that would run off the chart', () => {
    const points = [{ fpr: 0, tpr: 0, threshold: Infinity }, { fpr: 1, tpr: 1, threshold: 0 }];
    const svg = rocSvg('ROC', [{ name: 'current', color: '#000', points }, { name: 'suggested', color: '#111', points }], 210);
    const plotBottom = 22 + (210 - 28 - 10);
    const legendYs = [...svg.matchAll(/<text x="\d+(?:\.\d+)?" y="(\d+(?:\.\d+)?)"[^>]*font-size="9">(current|suggested)</g)].map((m) => Number(m[1]));
    expect(legendYs).toHaveLength(2);
    for (const y of legendYs) expect(y).toBeGreaterThan(plotBottom + 14);
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(Math.max(...legendYs)).toBeLessThan(height);
    const bars = rateBarsSvg('x', [{ label: 'Professional, scientific and technical activities', rate: 0.4, interval: { low: 0.3, high: 0.5 }, n: 40, small: false }], 0.3);
    expect(bars).toContain('>Professional, scientifi…</text>');
    expect(bars).toContain('<title>Professional, scientific and technical activities</title>');
  });
});
