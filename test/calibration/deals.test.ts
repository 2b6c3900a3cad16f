import { describe, expect, it } from 'vitest';
import { daysBetween, parseCloseDate, parseOutcome, type ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { dedupeByAccount } from '../../src/domain/calibration/dedupe.ts';
import { seededHash, splitDeals } from '../../src/domain/calibration/split.ts';

describe('parseOutcome', () => {
  it('reads won/lost in the usual spellings', () => {
    for (const v of ['won', 'WON', 'true', '1', 'Gagné', 'gagne', 'yes', 'oui', 'Closed Won', 'closedwon', true, 1]) {
      expect(parseOutcome(v)).toBe(true);
    }
    for (const v of ['lost', 'False', '0', 'perdu', 'PERDU', 'no', 'non', 'closed_lost', false, 0]) {
      expect(parseOutcome(v)).toBe(false);
    }
    for (const v of ['', 'open', 'maybe', 2, null, undefined, {}]) expect(parseOutcome(v)).toBeUndefined();
  });
});

describe('parseCloseDate', () => {
  it('accepts ISO dates, date-times and epoch milliseconds, and refuses ambiguous forms', () => {
    expect(parseCloseDate('2025-03-04')).toBe('2025-03-04');
    expect(parseCloseDate('2025-03-04T10:11:12.000Z')).toBe('2025-03-04');
    expect(parseCloseDate(1741046400000)).toBe('2025-03-04');
    expect(parseCloseDate('1741046400000')).toBe('2025-03-04');
    expect(parseCloseDate('03/04/2025')).toBeUndefined();
    expect(parseCloseDate('2025-02-30')).toBeUndefined();
    expect(parseCloseDate('')).toBeUndefined();
    expect(daysBetween('2025-01-01', '2025-03-01T08:00:00Z')).toBe(59);
    expect(daysBetween('2025-03-01', '2025-01-01')).toBeUndefined();
  });
});

describe('dedupeByAccount', () => {
  const d = (account: string, won: boolean, closeDate: string | undefined, attributes: Record<string, unknown>, amount?: number): ClosedDeal => ({
    account,
    won,
    attributes,
    ...(closeDate === undefined ? {} : { closeDate }),
    ...(amount === undefined ? {} : { amount }),
  });

  it('counts an account once, with its best outcome, from its latest won deal', () => {
    const r = dedupeByAccount([
      d('a', true, '2025-01-10', { industry: 'Software', employees: '' }, 100),
      d('a', false, '2025-06-01', { industry: 'Software', employees: '80' }, 50),
      d('a', true, '2025-03-01', { industry: 'Software' }, 200),
      d('b', false, '2025-02-01', { industry: 'Retail' }),
      d('b', false, '2025-05-01', { industry: 'Retail', country: 'FR' }),
      d('c', false, undefined, { industry: 'Finance' }),
    ]);
    expect(r.dealsIn).toBe(6);
    expect(r.accountsWithSeveralDeals).toBe(2);
    expect(r.deals).toHaveLength(3);
    const a = r.deals.find((x) => x.account === 'a');
    expect(a).toMatchObject({ won: true, amount: 200, closeDate: '2025-03-01' });
    // Missing attributes are completed from the account's other deals, latest first.
    expect(a?.attributes).toEqual({ industry: 'Software', employees: '80' });
    const b = r.deals.find((x) => x.account === 'b');
    expect(b).toMatchObject({ won: false, closeDate: '2025-05-01', attributes: { industry: 'Retail', country: 'FR' } });
  });
});

describe('splitDeals', () => {
  const deals: ClosedDeal[] = Array.from({ length: 1000 }, (_, i) => ({ account: `acc-${i}`, won: i % 4 === 0, attributes: {} }));

  it('is deterministic, disjoint, complete and stratified', () => {
    const a = splitDeals(deals, 0.3, 11);
    const b = splitDeals(deals, 0.3, 11);
    expect(a.holdout.map((x) => x.account)).toEqual(b.holdout.map((x) => x.account));
    expect(a.holdout.length + a.train.length).toBe(1000);
    const inHoldout = new Set(a.holdout.map((x) => x.account));
    expect(a.train.some((x) => inHoldout.has(x.account))).toBe(false);
    expect(a.holdout.filter((x) => x.won)).toHaveLength(75);
    expect(a.holdout.filter((x) => !x.won)).toHaveLength(225);
    const other = splitDeals(deals, 0.3, 12);
    expect(other.holdout.map((x) => x.account)).not.toEqual(a.holdout.map((x) => x.account));
    expect(() => splitDeals(deals, 1, 1)).toThrow(RangeError);
  });

  it('hashes with FNV-1a', () => {
    // FNV-1a 32 of "0:a" computed by hand from the offset basis and prime.
    let h = 0x811c9dc5;
    for (const ch of '0:a') h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    expect(seededHash('a', 0)).toBe(h >>> 0);
  });
});
