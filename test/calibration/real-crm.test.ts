/**
 * Calibration on data shaped like a real CRM export (issue 13): accounts with many deals, small
 * bases, leaky columns. Each block reproduces one finding.
 */
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/domain/calibration/calibrate.ts';
import { median } from '../../src/domain/calibration/statistics.ts';
import { summaryText } from '../../src/calibration/summary-text.ts';
import { repeatBuyerDeals } from './synthetic-deals.ts';

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
