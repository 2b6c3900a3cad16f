import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../src/domain/calibration/model-fit.ts';
import { splitDeals } from '../../src/domain/calibration/split.ts';
import { suggestModel } from '../../src/domain/calibration/suggest-model.ts';
import { modelDocument } from '../../src/domain/calibration/model-document.ts';
import { parseModel } from '../../src/domain/model-schema.ts';
import { compileModel } from '../../src/domain/scorer.ts';
import { GROUND_TRUTH, NOISE_ATTRIBUTES, syntheticDeals, TRUE_ATTRIBUTES, WEAK_ATTRIBUTE } from './synthetic-deals.ts';

describe('suggested model on a synthetic set with a known ICP', () => {
  for (const seed of [42, 7]) {
    it(`recovers the true attributes and nearly the true AUC on held-out deals (seed ${seed})`, () => {
      const deals = syntheticDeals({ deals: 4000, seed });
      const { train, holdout } = splitDeals(deals, 0.3, seed);
      const { model, verdicts } = suggestModel(train, { version: 'test' });

      const byWeight = [...model.criteria].sort((a, b) => b.weight - a.weight).map((c) => c.attribute);
      expect(new Set(byWeight.slice(0, 2))).toEqual(new Set(TRUE_ATTRIBUTES));
      expect(byWeight[2]).toBe(WEAK_ATTRIBUTE);
      for (const noise of NOISE_ATTRIBUTES) {
        expect(byWeight).not.toContain(noise);
        expect(verdicts.find((v) => v.attribute === noise)?.leftOut).toMatch(/not predictive/);
      }

      const truth = evaluateModel(holdout, compileModel(GROUND_TRUTH)).auc as number;
      const suggested = evaluateModel(holdout, compileModel(model));
      expect(truth).toBeGreaterThan(0.7);
      expect(suggested.auc as number).toBeGreaterThan(truth - 0.03);
      // Tiers must order win rates: each tier wins more often than the one below it.
      const rates = suggested.tiers.map((t) => t.winRate);
      for (let i = 1; i < rates.length; i++) expect(rates[i - 1] as number).toBeGreaterThan(rates[i] as number);
    });
  }

  it('writes a model that passes validation and rewards the true best segments', () => {
    const { train } = splitDeals(syntheticDeals({ deals: 4000, seed: 42 }), 0.3, 42);
    const { model } = suggestModel(train, { version: '2026.11.26-calibrated' });
    const parsed = parseModel(modelDocument(model), 'suggested.yaml');
    expect(parsed).toEqual({ ok: true, model });
    const industry = model.criteria.find((c) => c.attribute === 'industry')?.match;
    expect(industry?.kind).toBe('category');
    if (industry?.kind === 'category') {
      // Keys are written as the data spells them; the category matcher normalises both sides.
      expect(industry.values['Software']).toBe(1);
      expect(industry.values['IT Services'] as number).toBeGreaterThan(industry.values['Retail'] as number);
    }
  });
});
