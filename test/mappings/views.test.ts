import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { buildMappings } from '../../src/mappings/load.ts';
import { DEFAULT_VIEWS, renderViewName } from '../../src/mappings/views.ts';

function problems(doc: unknown): string[] {
  try {
    buildMappings(doc);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('views section', () => {
  it('defaults to the three views when absent', () => {
    expect(buildMappings({}).views).toEqual(DEFAULT_VIEWS);
  });

  it('merges each view over its default: false disables, a name replaces the template', () => {
    const v = buildMappings({ views: { topPriorityContacts: false, incompleteCommittee: { name: 'ICP · {tier} sans comité complet' } } }).views;
    expect(v?.topPriorityContacts).toEqual({ enabled: false, name: DEFAULT_VIEWS.topPriorityContacts.name });
    expect(v?.incompleteCommittee).toEqual({ enabled: true, name: 'ICP · {tier} sans comité complet' });
    expect(v?.topTierCompanies).toEqual(DEFAULT_VIEWS.topTierCompanies);
  });

  it('reports every problem at once, with the mappings problems', () => {
    const p = problems({
      hubspot: { companies: { outputs: { colour: 'x' } } },
      views: { topTierCompanies: 'yes', topPriorityContacts: { name: 'ICP · {tiers}' }, incompleteCommittee: { enabled: 1, colour: 'red' }, allDeals: true },
    });
    expect(p).toContain('mappings.yaml: hubspot.companies.outputs: unknown key(s) "colour"');
    expect(p).toContain('mappings.yaml: views.topTierCompanies: must be true, false or {enabled, name}');
    expect(p).toContain('mappings.yaml: views.topPriorityContacts.name: may only use the placeholders {tier}, {priorityTier}');
    expect(p).toContain('mappings.yaml: views.incompleteCommittee.enabled: must be true or false');
    expect(p).toContain('mappings.yaml: views.incompleteCommittee: unknown key(s) "colour"');
    expect(p).toContain('mappings.yaml: views: unknown key(s) "allDeals"');
  });

  it('fills the tier placeholders', () => {
    expect(renderViewName(DEFAULT_VIEWS.topTierCompanies.name, { tier: 'A' })).toBe('ICP · Tier A companies');
    expect(renderViewName(DEFAULT_VIEWS.topPriorityContacts.name, { priorityTier: 'P1' })).toBe('ICP · P1 contacts');
  });
});
