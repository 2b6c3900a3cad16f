import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeByAccount } from '../../src/domain/calibration/dedupe.ts';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { auc } from '../../src/domain/calibration/roc.ts';
import { wilsonInterval } from '../../src/domain/calibration/statistics.ts';
import { suggestModel } from '../../src/domain/calibration/suggest-model.ts';
import { parseModel } from '../../src/domain/model-schema.ts';
import { modelDocument } from '../../src/domain/calibration/model-document.ts';
import { mulberry32 } from './synthetic-deals.ts';

const outcomes = fc.array(fc.record({ score: fc.integer({ min: 0, max: 20 }), won: fc.boolean() }), { minLength: 2, maxLength: 60 });

describe('statistics, for any data', () => {
  it('Wilson intervals contain the observed rate and stay in [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.round(n * share);
        const { low, high } = wilsonInterval(k, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(k / n + 1e-12);
        expect(high).toBeGreaterThanOrEqual(k / n - 1e-12);
      }),
    );
  });

  it('AUC of flipped outcomes is 1 − AUC, and a monotone rescaling of scores changes nothing', () => {
    fc.assert(
      fc.property(outcomes, (items) => {
        const a = auc(items);
        if (a === undefined) return;
        expect(auc(items.map((x) => ({ ...x, won: !x.won })))).toBeCloseTo(1 - a, 12);
        expect(auc(items.map((x) => ({ ...x, score: 3 * x.score + 7 })))).toBeCloseTo(a, 12);
      }),
    );
  });

  it('deduplication keeps one deal per account, won exactly when any of its deals was won', () => {
    const deal = fc.record({
      account: fc.constantFrom('a', 'b', 'c', 'd'),
      won: fc.boolean(),
      closeDate: fc.option(fc.constantFrom('2025-01-01', '2025-02-01', '2025-03-01'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(deal, { maxLength: 30 }), (raw) => {
        const deals: ClosedDeal[] = raw.map((d) => ({ account: d.account, won: d.won, attributes: {}, ...(d.closeDate === undefined ? {} : { closeDate: d.closeDate }) }));
        const out = dedupeByAccount(deals).deals;
        expect(new Set(out.map((d) => d.account)).size).toBe(out.length);
        for (const d of out) expect(d.won).toBe(deals.some((x) => x.account === d.account && x.won));
      }),
    );
  });
});

describe('suggested model kinds', () => {
  it('writes prefix matchers for code attributes and boolean matchers for yes/no attributes', () => {
    const rnd = mulberry32(12);
    const deals: ClosedDeal[] = Array.from({ length: 1200 }, (_, i) => {
      const naf = ['62.01Z', '62.02A', '58.29C', '47.11B', '41.20A'][Math.floor(rnd() * 5)] as string;
      const saas = rnd() < 0.5 ? 'oui' : 'non';
      const p = (naf.startsWith('62') ? 0.5 : naf.startsWith('58') ? 0.35 : 0.1) + (saas === 'oui' ? 0.25 : 0);
      return { account: `a${i}`, won: rnd() < p, attributes: { naf, is_saas: saas } };
    });
    const current = {
      version: 'v1',
      tiers: [{ name: 'A', min: 50 }, { name: 'B', min: 0 }],
      excludedTier: 'X',
      exclusions: [],
      criteria: [{ id: 'sector', label: 'Secteur', attribute: 'naf', weight: 10, tag: 'tech', tagAt: 0.8, match: { kind: 'prefix' as const, values: { '62': 1 } } }],
    };
    const { model } = suggestModel(deals, { version: 'v2', current });
    const naf = model.criteria.find((c) => c.attribute === 'naf');
    const saas = model.criteria.find((c) => c.attribute === 'is_saas');
    // The current model's id, label and tag are kept; the tiers keep their names.
    expect(naf).toMatchObject({ id: 'sector', label: 'Secteur', tag: 'tech', tagAt: 0.8, match: { kind: 'prefix' } });
    if (naf?.match.kind === 'prefix') {
      expect(naf.match.values['62']).toBe(1);
      expect(naf.match.values['47']).toBe(0);
    }
    expect(saas?.match).toEqual({ kind: 'boolean', ifTrue: 1, ifFalse: 0 });
    expect(model.tiers.map((t) => t.name)).toEqual(['A', 'B']);
    expect(parseModel(modelDocument(model), 'x.yaml').ok).toBe(true);
  });
});
