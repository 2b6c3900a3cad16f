import { describe, expect, it } from 'vitest';
import { diffModels } from '../../src/domain/calibration/model-diff.ts';
import { modelDocument } from '../../src/domain/calibration/model-document.ts';
import { calibratedVersion } from '../../src/domain/calibration/suggest-model.ts';
import { defaultShares, placeTiers } from '../../src/domain/calibration/tier-placement.ts';
import type { IcpModel } from '../../src/domain/types.ts';

const before: IcpModel = {
  version: '2026.05',
  tiers: [
    { name: 'A', min: 80 },
    { name: 'B', min: 50 },
    { name: 'C', min: 0 },
  ],
  excludedTier: 'X',
  exclusions: [],
  criteria: [
    { id: 'industry', label: 'Secteur', attribute: 'industry', weight: 60, tagAt: 1, match: { kind: 'category', values: { software: 1, retail: 0.5 } } },
    { id: 'stack', label: 'stack', attribute: 'tech_stack', weight: 40, tagAt: 1, match: { kind: 'boolean' } },
  ],
};
const after: IcpModel = {
  ...before,
  version: '2026.11.26-calibrated',
  tiers: [
    { name: 'A', min: 70 },
    { name: 'B', min: 50 },
    { name: 'C', min: 0 },
  ],
  criteria: [
    { id: 'industry', label: 'Secteur', attribute: 'industry', weight: 50, tagAt: 1, match: { kind: 'category', values: { software: 1, finance: 0.4 }, default: 0.1 } },
    { id: 'employees', label: 'employees', attribute: 'employees', weight: 50, tagAt: 1, match: { kind: 'range', bands: [{ max: 49, points: 0.2 }, { min: 50, points: 1 }] } },
  ],
};

describe('diffModels', () => {
  it('lists version, tier, weight-share, value, added and dropped changes', () => {
    expect(diffModels(before, after).map((c) => c.text)).toEqual([
      'version 2026.05 → 2026.11.26-calibrated',
      'tiers A ≥ 80, B ≥ 50, C ≥ 0 → A ≥ 70, B ≥ 50, C ≥ 0',
      '~ industry: weight 60 % → 50 % of the score; "retail" dropped (was 0.5); "finance" new: 0.4; other values 0 → 0.1',
      '+ employees: new criterion, 50 % of the score, bands ≤ 49: 0.2 · ≥ 50: 1',
      '- tech_stack: dropped (was 40 % of the score)',
    ]);
    expect(diffModels(before, before)).toEqual([]);
  });
});

describe('modelDocument', () => {
  it('leaves defaults out', () => {
    const doc = modelDocument(before);
    expect(doc).not.toHaveProperty('excludedTier');
    expect(doc).not.toHaveProperty('exclusions');
    expect((doc['criteria'] as Record<string, unknown>[])[1]).toEqual({ id: 'stack', attribute: 'tech_stack', weight: 40, match: { kind: 'boolean' } });
  });
});

describe('placeTiers', () => {
  it('places minimums at the target shares of the population', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i);
    const tiers = placeTiers(
      ['A', 'B', 'C', 'D'].map((name, i) => ({ name, share: defaultShares(4)[i] as number })),
      scores,
    );
    // top 20 % score ≥ 80 (ceil of the 0.8 quantile 79.2), next 30 % ≥ 50 (49.5), next 30 % ≥ 20 (19.8)
    expect(tiers).toEqual([
      { name: 'A', min: 80 },
      { name: 'B', min: 50 },
      { name: 'C', min: 20 },
      { name: 'D', min: 0 },
    ]);
  });

  it('keeps minimums distinct and drops tiers that cannot fit under 100', () => {
    const tiers = placeTiers(
      [{ name: 'A', share: 0.25 }, { name: 'B', share: 0.25 }, { name: 'C', share: 0.5 }],
      [10, 10, 10, 10],
    );
    expect(tiers.map((t) => t.min)).toEqual([11, 10, 0]);
    expect(placeTiers([{ name: 'A', share: 0.5 }, { name: 'B', share: 0.5 }], [100, 100])).toEqual([
      { name: 'A', min: 100 },
      { name: 'B', min: 0 },
    ]);
    // Three tiers cannot all sit above 99: the top one is merged away.
    expect(placeTiers([{ name: 'A', share: 0.1 }, { name: 'B', share: 0.1 }, { name: 'C', share: 0.8 }], [100, 100, 100]).map((t) => t.name)).toEqual(['B', 'C']);
  });
});

describe('calibratedVersion', () => {
  it('dates the version and never reuses the current one', () => {
    const day = new Date('2026-11-26T10:00:00Z');
    expect(calibratedVersion(day, '2026.05')).toBe('2026.11.26-calibrated');
    expect(calibratedVersion(day, '2026.11.26-calibrated')).toBe('2026.11.26-calibrated-2');
    expect(calibratedVersion(day, '2026.11.26-calibrated-2')).toBe('2026.11.26-calibrated-3');
  });
});
