import { describe, expect, it } from 'vitest';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { whatIf, type WhatIfRecord } from '../../src/domain/what-if.ts';
import { MODEL_YAML, testScorer } from '../pipeline/helpers.ts';

// Current: industry 50, size 30, country 20 (W = 100); tiers A ≥ 80, B ≥ 50, C ≥ 0.
const current = testScorer();
// Draft: country weighs 80 (W = 160).
const draft = testScorer(MODEL_YAML.replace('"t-1"', '"t-2"').replace('weight: 20', 'weight: 80'));

const records: WhatIfRecord[] = [
  { id: 'r1', name: 'Alpha', attributes: { industry: 'Software', employees: 120, country: 'fr' } }, // 100 A → 100 A
  { id: 'r2', name: 'Beta', attributes: { industry: 'Software', employees: 120, country: 'de' } }, // 80 A → 50 B
  { id: 'r3', attributes: { industry: 'Retail', employees: 120, country: 'fr' } }, // 50 B → 69 B
  { id: 'r4', attributes: { industry: 'Software', employees: 5, country: 'de' } }, // 50 B → 31 C
  { id: 'r5', attributes: {} }, // 0 C → 0 C, nothing known
];

describe('whatIf', () => {
  it('compares tiers, moves, movers, averages and completeness with known answers', () => {
    const r = whatIf({ current, draft, records });
    expect(r.records).toBe(5);
    expect(r.tierOrder).toEqual(['A', 'B', 'C', 'X']);
    expect(r.tiers.current).toEqual([
      { tier: 'A', count: 2, share: 0.4 },
      { tier: 'B', count: 2, share: 0.4 },
      { tier: 'C', count: 1, share: 0.2 },
      { tier: 'X', count: 0, share: 0 },
    ]);
    expect(r.tiers.draft.map((t) => [t.tier, t.count])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 2],
      ['X', 0],
    ]);
    expect(r.moves).toEqual({
      A: { A: 1, B: 1, C: 0, X: 0 },
      B: { A: 0, B: 1, C: 1, X: 0 },
      C: { A: 0, B: 0, C: 1, X: 0 },
      X: { A: 0, B: 0, C: 0, X: 0 },
    });
    expect(r.tierChanges).toBe(2);
    expect(r.scoreChanges).toBe(3);
    expect(r.movers.map((m) => [m.id, m.current.score, m.current.tier, m.draft.score, m.draft.tier, m.delta])).toEqual([
      ['r2', 80, 'A', 50, 'B', -30],
      ['r4', 50, 'B', 31, 'C', -19],
      ['r3', 50, 'B', 69, 'B', 19],
    ]);
    expect(r.movers[0]?.name).toBe('Beta');
    expect(r.movers[0]?.current.reasons).toContain('Secteur');
    expect(r.movers[0]?.draft.reasons).not.toBe(r.movers[0]?.current.reasons);
    expect(r.averageScore).toEqual({ current: 56, draft: 50 });
    expect(r.averageCompleteness).toEqual({ current: 0.8, draft: 0.8 });
    expect(r.deals).toBeUndefined();
    expect(whatIf({ current, draft, records, top: 1 }).movers.map((m) => m.id)).toEqual(['r2']);
  });

  it('completeness drops when the draft asks for an attribute the records lack', () => {
    const withRevenue = testScorer(
      `${MODEL_YAML.replace('"t-1"', '"t-3"')}  - id: revenue\n    attribute: revenue\n    weight: 100\n    match: { kind: range, bands: [{ min: 1000000, points: 1 }] }\n`,
    );
    const r = whatIf({ current, draft: withRevenue, records });
    // Four records know 100 of 200 weight points, one knows none.
    expect(r.averageCompleteness).toEqual({ current: 0.8, draft: 0.4 });
  });

  it('measures AUC and the top tier win rate of both models on closed deals', () => {
    const deal = (account: string, won: boolean, attributes: Record<string, unknown>): ClosedDeal => ({ account, won, attributes });
    const deals = [
      deal('d1', true, { industry: 'Software', employees: 120, country: 'de' }), // 80 → 50
      deal('d2', true, { industry: 'Software', employees: 120, country: 'fr' }), // 100 → 100
      deal('d3', false, { industry: 'Retail', employees: 120, country: 'fr' }), // 50 → 69
      deal('d4', false, { industry: 'Software', employees: 5, country: 'de' }), // 50 → 31
    ];
    const r = whatIf({ current, draft, records, deals });
    expect(r.deals).toEqual({
      count: 4,
      won: 2,
      // Current: both won deals above both lost ones. Draft: d1 (50) below d3 (69): 3 pairs of 4.
      current: { auc: 1, topTier: 'A', topTierDeals: 2, topTierWinRate: 1 },
      draft: { auc: 0.75, topTier: 'A', topTierDeals: 1, topTierWinRate: 1 },
    });
    const allWon = whatIf({ current, draft, records: [], deals: deals.map((d) => ({ ...d, won: true })) });
    expect(allWon.deals?.current.auc).toBeNull();
    expect(allWon.records).toBe(0);
    expect(allWon.averageScore).toEqual({ current: 0, draft: 0 });
  });
});
