/**
 * Target functions and frequent objections on deals built with a known answer: the counts, rates
 * and groups below are fixed by construction, so each figure is checked against its exact value.
 */
import { describe, expect, it } from 'vitest';
import { calibrate, versionDate } from '../../src/domain/calibration/calibrate.ts';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { dedupeByAccount } from '../../src/domain/calibration/dedupe.ts';
import { isRechallengeDue, rechallengeDate } from '../../src/domain/calibration/rechallenge.ts';
import { analyzeObjections, reasonKey } from '../../src/domain/calibration/objections.ts';
import { analyzeRoles } from '../../src/domain/calibration/role-analysis.ts';
import { smoothedRate, wilsonInterval } from '../../src/domain/calibration/statistics.ts';
import type { RoleSet } from '../../src/domain/types.ts';

const ROLES: RoleSet = {
  ignoreTitles: [],
  defaultPoints: 0,
  list: [
    { id: 'decision_maker', label: 'Décideur', points: 1, required: false, titles: ['ceo'], hubspot: [], salesforce: [] },
    { id: 'user', label: 'Utilisateur', points: 0.4, required: true, titles: ['dev'], hubspot: [], salesforce: [] },
    { id: 'legal', label: 'Juridique', points: 0.3, required: false, titles: ['juriste'], hubspot: [], salesforce: [] },
  ],
};

/**
 * 200 deals. decision_maker on deals 0–99: 60 won of 100; absent on 100–199: 20 won of 100.
 * user on every even deal (won and lost alike: 40 won of 100). legal on 4 deals only (small).
 * "Champion" (not in the model) on 7 deals, spelled two ways. 10 deals say nothing of roles.
 */
function roleDeals(): ClosedDeal[] {
  const out: ClosedDeal[] = [];
  for (let i = 0; i < 200; i++) {
    const withDm = i < 100;
    const won = withDm ? i % 10 < 6 : i % 10 < 2;
    const roles: string[] = [];
    if (withDm) roles.push(i % 3 === 0 ? 'Décideur' : 'decision_maker');
    if (i % 2 === 0) roles.push('user');
    if (i >= 150 && i < 154) roles.push('legal');
    if (i >= 190 && i < 197) roles.push(i % 2 === 0 ? 'Champion' : 'champion ');
    out.push({ account: `acc${i}`, attributes: { size: i % 2 === 0 ? 'big' : 'small' }, won, roles });
  }
  for (let i = 0; i < 10; i++) out.push({ account: `none${i}`, attributes: { size: 'big' }, won: i < 5 });
  return out;
}

describe('target functions', () => {
  const r = analyzeRoles(roleDeals(), { roles: ROLES, minSample: 30 });

  it('gives win rate, interval and lift by role present, on the rows that carry roles', () => {
    expect([r.n, r.won, r.withoutInformation]).toEqual([200, 80, 10]);
    expect(r.baseRate).toBeCloseTo(0.4, 12);
    const dm = r.roles.find((x) => x.role === 'decision_maker');
    expect(dm).toMatchObject({ known: true, label: 'Décideur', present: { n: 100, won: 60 }, absent: { n: 100, won: 20 }, verdict: 'wins more', small: false });
    expect(dm?.present.interval).toEqual(wilsonInterval(60, 100));
    expect(dm?.lift).toBeCloseTo(1.5, 12);
    const user = r.roles.find((x) => x.role === 'user');
    expect(user).toMatchObject({ present: { n: 100, won: 40 }, absent: { n: 100, won: 40 }, verdict: 'no clear effect' });
    const legal = r.roles.find((x) => x.role === 'legal');
    expect(legal).toMatchObject({ present: { n: 4 }, small: true, verdict: 'too few' });
  });

  it('reports ids the model does not define, with their counts', () => {
    expect(r.unknown).toEqual([{ id: 'champion', rows: 7 }]);
    expect(r.roles.find((x) => x.role === 'champion')).toMatchObject({ known: false, present: { n: 7 } });
  });

  it('suggests points and required from the rates, and keeps the model for roles it cannot judge', () => {
    const by = Object.fromEntries(r.suggestions.map((s) => [s.role, s]));
    expect(by['decision_maker']).toMatchObject({ points: 1, required: true, before: { points: 1, required: false } });
    const ratio = smoothedRate(40, 100, 0.4, 20) / smoothedRate(60, 100, 0.4, 20);
    expect(by['user']?.points).toBeCloseTo(Math.round(ratio * 20) / 20, 12);
    expect(by['user']?.required).toBe(false);
    expect(by['legal']).toMatchObject({ points: 0.3, required: false });
    expect(by['legal']?.why).toContain('too few');
  });

  it('flags the role with too few deals on either side', () => {
    // Every deal has the role: nothing to compare it with.
    const all = analyzeRoles(
      Array.from({ length: 50 }, (_, i) => ({ account: `a${i}`, attributes: {}, won: i % 2 === 0, roles: ['user'] })),
      { roles: ROLES },
    );
    expect(all.roles.find((x) => x.role === 'user')).toMatchObject({ present: { n: 50 }, absent: { n: 0 }, verdict: 'too few', small: true });
  });

  it('counts an account once at the account unit, with the roles of all its deals', () => {
    const deals: ClosedDeal[] = [
      { account: 'x', attributes: {}, won: false, roles: ['user'], closeDate: '2025-01-01' },
      { account: 'x', attributes: {}, won: true, roles: ['decision_maker'], closeDate: '2025-02-01' },
      { account: 'y', attributes: {}, won: false, closeDate: '2025-02-01' },
    ];
    const d = dedupeByAccount(deals).deals;
    expect(d.find((x) => x.account === 'x')?.roles).toEqual(['decision_maker', 'user']);
    expect(d.find((x) => x.account === 'y')?.roles).toBeUndefined();
    expect(analyzeRoles(d, { roles: ROLES })).toMatchObject({ n: 1, won: 1, withoutInformation: 1 });
  });

  it('puts the suggested roles in the suggested model and lists the changes', () => {
    const deals = roleDeals().map((d) => ({ ...d, attributes: { size: d.won ? 'big' : 'small', noise: d.account.length % 2 === 0 ? 'x' : 'y' } }));
    const current = {
      version: '2026.06',
      tiers: [
        { name: 'A', min: 50 },
        { name: 'B', min: 0 },
      ],
      excludedTier: 'X',
      criteria: [{ id: 'size', label: 'size', attribute: 'size', weight: 1, tagAt: 1, match: { kind: 'category' as const, values: { big: 1 }, default: 0 } }],
      exclusions: [],
      roles: ROLES,
    };
    const res = calibrate(deals, { mode: 'deals', now: new Date('2026-12-05T00:00:00Z'), current, tierShares: [0.5, 0.5] });
    expect(res.unit).toBe('account');
    expect(res.roles?.n).toBe(200);
    const roles = res.suggestion?.model.roles?.list;
    expect(roles?.find((x) => x.id === 'decision_maker')).toMatchObject({ points: 1, required: true, titles: ['ceo'] });
    expect(res.diff.map((c) => c.subject)).toContain('roles.decision_maker');
    expect(res.rechallenge).toMatchObject({ basis: 'suggested', by: '2027-06-05', from: '2026-12-05' });
  });
});

describe('re-challenge date', () => {
  it('reads the date a model version names', () => {
    expect(versionDate('2026.12')).toBe('2026-12-01');
    expect(versionDate('2026.11.26-calibrated')).toBe('2026-11-26');
    expect(versionDate('2026-02-30')).toBeUndefined();
    expect(versionDate('v3')).toBeUndefined();
  });

  it('counts from the model in use when nothing is suggested, and says when it is overdue', () => {
    const deals: ClosedDeal[] = Array.from({ length: 20 }, (_, i) => ({ account: `a${i}`, attributes: { size: 'big' }, won: true }));
    const current = {
      version: '2025.03',
      tiers: [{ name: 'A', min: 0 }],
      excludedTier: 'X',
      criteria: [{ id: 'size', label: 'size', attribute: 'size', weight: 1, tagAt: 1, match: { kind: 'category' as const, values: { big: 1 } } }],
      exclusions: [],
    };
    const res = calibrate(deals, { mode: 'deals', now: new Date('2026-12-05T00:00:00Z'), current, rechallengeMonths: 12 });
    expect(res.suggestion).toBeUndefined();
    expect(res.rechallenge).toEqual({ by: '2026-03-01', months: 12, from: '2025-03-01', basis: 'current', overdue: true });
    expect(res.rechallengeBy).toBe('2026-03-01');
  });

  it('is due on the re-challenge day itself, the same rule as the running service', () => {
    const deals: ClosedDeal[] = Array.from({ length: 20 }, (_, i) => ({ account: `a${i}`, attributes: { size: 'big' }, won: true }));
    const current = {
      version: '2026.06.05',
      tiers: [{ name: 'A', min: 0 }],
      excludedTier: 'X',
      criteria: [{ id: 'size', label: 'size', attribute: 'size', weight: 1, tagAt: 1, match: { kind: 'category' as const, values: { big: 1 } } }],
      exclusions: [],
    };
    for (const [day, due] of [['2026-12-04', false], ['2026-12-05', true], ['2026-12-06', true]] as const) {
      const now = new Date(`${day}T09:00:00Z`);
      const res = calibrate(deals, { mode: 'deals', now, current });
      expect(res.rechallenge).toEqual({ by: '2026-12-05', months: 6, from: '2026-06-05', basis: 'current', overdue: due });
      expect(res.rechallenge.overdue).toBe(isRechallengeDue('2026-06-05', now));
    }
  });

  it('takes the re-challenge period the service accepts: whole months from 6 to 12', () => {
    const deals: ClosedDeal[] = Array.from({ length: 20 }, (_, i) => ({ account: `a${i}`, attributes: { size: 'big' }, won: true }));
    const now = new Date('2026-12-05T00:00:00Z');
    expect(() => calibrate(deals, { mode: 'deals', now, rechallengeMonths: 6.5 })).toThrow(RangeError);
    expect(() => calibrate(deals, { mode: 'deals', now, rechallengeMonths: 13 })).toThrow(RangeError);
    expect(calibrate(deals, { mode: 'deals', now, rechallengeMonths: 12 }).rechallengeBy).toBe(rechallengeDate(now, 12));
  });
});

describe('frequent objections', () => {
  // price: 5 + 2 + 3 + 1 = 11 deals; competitor: 4 + 1 (typo) = 5; budget: 3 + 2 = 5; one "Autre".
  const spec: [string, number, number, string][] = [
    ['Trop cher', 5, 1000, 'A'],
    ['trop  cher !', 2, 500, 'B'],
    ['Too expensive', 3, 2000, 'A'],
    ['Prix', 1, 100, 'B'],
    ['Concurrent', 4, 3000, 'A'],
    ['concurent', 1, 0, 'B'],
    ['Pas de budget', 3, 200, 'B'],
    ['No budget', 2, 300, 'B'],
    ['Autre', 1, 400, 'A'],
  ];
  const deals: ClosedDeal[] = [];
  let i = 0;
  for (const [reason, n, amount, tier] of spec) {
    for (let k = 0; k < n; k++) deals.push({ account: `l${i++}`, attributes: { tier }, won: false, lostReason: reason, amount });
  }
  // Lost without a reason (amount 600), and won deals whose reasons are never read.
  deals.push({ account: 'z1', attributes: { tier: 'A' }, won: false, amount: 600 });
  deals.push({ account: 'z2', attributes: { tier: 'A' }, won: true, lostReason: 'Trop cher', amount: 9999 });
  const lostAmount = spec.reduce((s, [, n, a]) => s + n * a, 0) + 600;

  const o = analyzeObjections(deals, { topTier: { tier: 'A', tierOf: (a) => String(a['tier']) } });

  it('normalises case, accents, punctuation, spacing and word order', () => {
    expect(reasonKey('  Trop   CHER !')).toBe(reasonKey('trop cher'));
    expect(reasonKey('Prix trop élevé')).toBe(reasonKey('prix trop eleve'));
    expect(reasonKey('Budget: none')).toBe(reasonKey('none budget'));
  });

  it('groups synonyms and near-duplicates, with shares of lost deals and of lost amount', () => {
    expect([o.overall.lost, o.overall.withReason, o.overall.lostAmount]).toEqual([23, 22, lostAmount]);
    const [price, second, third, other] = o.overall.groups;
    expect(price).toMatchObject({ key: 'price', theme: 'price', label: 'Trop cher', deals: 11, amount: 5 * 1000 + 2 * 500 + 3 * 2000 + 100 });
    expect(price?.share).toBeCloseTo(11 / 23, 12);
    expect(price?.amountShare).toBeCloseTo(12100 / lostAmount, 12);
    expect(price?.variants).toEqual([
      { text: 'Trop cher', deals: 5 },
      { text: 'Too expensive', deals: 3 },
      { text: 'trop cher !', deals: 2 },
      { text: 'Prix', deals: 1 },
    ]);
    // Same count: the larger lost amount first.
    expect(second).toMatchObject({ label: 'Concurrent', deals: 5, amount: 12000 });
    expect(second?.variants.map((v) => v.text)).toEqual(['Concurrent', 'concurent']);
    expect(third).toMatchObject({ label: 'Pas de budget', deals: 5, amount: 1200 });
    expect(other).toMatchObject({ label: 'Autre', deals: 1 });
    expect(other?.theme).toBeUndefined();
    expect(o.overall.groups).toHaveLength(4);
  });

  it('joins a reason naming one theme to it, and leaves a reason naming two on its own', () => {
    const reasons = ['Pas de budget validé par la direction', 'No budget', 'Budget gelé jusqu’en 2026', 'Projet reporté', 'too expensive for our budget', 'Sponsor parti'];
    const g = analyzeObjections(reasons.map((lostReason, k) => ({ account: `r${k}`, attributes: {}, won: false, lostReason }))).overall.groups;
    expect(g.map((x) => [x.theme, x.deals])).toEqual([
      ['budget no', 3],
      ['timing', 1],
      [undefined, 1],
      [undefined, 1],
    ]);
    expect(g.map((x) => x.label).slice(2)).toEqual(['Sponsor parti', 'too expensive for our budget']);
  });

  it('gives the objections of the top tier alone', () => {
    expect(o.topTier).toMatchObject({ tier: 'A', lost: 14, withReason: 13, lostAmount: 5000 + 6000 + 12000 + 400 + 600 });
    expect(o.topTier?.groups.map((g) => [g.label, g.deals])).toEqual([
      ['Trop cher', 8],
      ['Concurrent', 4],
      ['Autre', 1],
    ]);
  });
});

describe('key traits', () => {
  it('never lists a segment of an attribute that has only one (numeric bands merged to "any value")', async () => {
    const { keyTraits } = await import('../../src/domain/calibration/key-traits.ts');
    const { analyzeDeals } = await import('../../src/domain/calibration/segment-analysis.ts');
    // 40 deals: employees too few to cut into bands; amounts and cycles on every won deal.
    const deals: ClosedDeal[] = Array.from({ length: 40 }, (_, i) => ({
      account: `a${i}`,
      attributes: { employees: String(10 + i), industry: i % 2 === 0 ? 'Software' : 'Retail' },
      won: i % 3 === 0,
      amount: 1000 + i,
      cycleDays: 30 + i,
    }));
    const analysis = analyzeDeals(deals, { minSample: 10, minBand: 30 });
    expect(analysis.attributes.find((a) => a.attribute === 'employees')?.segments.filter((s) => s.n > 0)).toHaveLength(1);
    const t = keyTraits(analysis, { minWon: 5 });
    for (const list of [t.winning, t.losing, t.largestDeals, t.fastest]) expect(list.map((x) => x.attribute)).not.toContain('employees');
    expect(t.largestDeals.map((x) => x.attribute)).toContain('industry');
  });
});
