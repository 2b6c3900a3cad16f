import { describe, expect, it } from 'vitest';
import { diffFields, sameValue } from '../../src/pipeline/diff.ts';
import { FAKE_OUTPUT_FIELDS } from './fake-connector.ts';

describe('sameValue per field kind', () => {
  it('compares numbers numerically (HubSpot returns strings)', () => {
    expect(sameValue('number', '72', 72)).toBe(true);
    expect(sameValue('number', '72.0', 72)).toBe(true);
    expect(sameValue('number', '71', 72)).toBe(false);
    expect(sameValue('number', null, 0)).toBe(false);
    expect(sameValue('percent', '', null)).toBe(true);
  });

  it('compares multi-selects as sets split on ;', () => {
    expect(sameValue('multi', 'b;a', 'a;b')).toBe(true);
    expect(sameValue('multi', ';a;b;', 'a;b')).toBe(true);
    expect(sameValue('multi', ['a', 'b'], 'b;a')).toBe(true);
    expect(sameValue('multi', 'a', 'a;b')).toBe(false);
    expect(sameValue('multi', null, '')).toBe(true);
  });

  it('trims text, keeps enums exact, ignores datetimes', () => {
    expect(sameValue('text', ' +30 Secteur: Software ', '+30 Secteur: Software')).toBe(true);
    expect(sameValue('text', 'a', 'b')).toBe(false);
    expect(sameValue('enum', 'A', 'A')).toBe(true);
    expect(sameValue('enum', 'a', 'A')).toBe(false);
    expect(sameValue('enum', null, 'A')).toBe(false);
    expect(sameValue('datetime', '2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe(true);
  });
});

describe('diffFields', () => {
  const encoded = {
    icp_fit_score: 72,
    icp_tier: 'B',
    icp_tags: 'saas;france',
    icp_fit_reasons: '+50 Secteur: Software',
    icp_completeness: 100,
    icp_model_version: 't-1',
    icp_scored_at: '2026-11-26T10:00:00.000Z',
  };

  it('is empty when only scored-at would change', () => {
    const current = { ...encoded, icp_fit_score: '72', icp_tags: 'france;saas', icp_completeness: '100', icp_scored_at: '2026-01-01T00:00:00.000Z' };
    expect(diffFields(FAKE_OUTPUT_FIELDS, encoded, current)).toEqual([]);
  });

  it('lists the changed fields, and scored-at rides along', () => {
    const current = { ...encoded, icp_fit_score: '70', icp_tier: 'C', icp_scored_at: 'old' };
    expect(diffFields(FAKE_OUTPUT_FIELDS, encoded, current)).toEqual([
      { field: 'icp_fit_score', key: 'score', current: '70', next: 72 },
      { field: 'icp_tier', key: 'tier', current: 'C', next: 'B' },
      { field: 'icp_scored_at', key: 'scoredAt', current: 'old', next: '2026-11-26T10:00:00.000Z' },
    ]);
  });
});
