import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/config/model-loader.ts';
import { listViewXml, plannedListViews, type ListViewInput } from '../../../src/connectors/salesforce/list-views.ts';
import { objectOutputFields } from '../../../src/connectors/salesforce/output-fields.ts';
import { buildMappings } from '../../../src/mappings/load.ts';
import { DEFAULT_VIEWS, topTierNames } from '../../../src/mappings/views.ts';

const base: ListViewInput = {
  views: DEFAULT_VIEWS,
  tier: 'A',
  priorityTier: 'P1',
  people: true,
  committee: true,
  objectTypes: ['Account', 'Lead'],
  outputFields: (t) => objectOutputFields(t),
};

describe('Salesforce ICP list views', () => {
  it('plans the top-tier, top-priority and incomplete-committee views on Account, Contact and Lead', () => {
    const views = plannedListViews(base);
    expect(views.map((v) => v.fullName)).toEqual(['Account.ICP_Top_Tier', 'Lead.ICP_Top_Tier', 'Contact.ICP_Top_Priority', 'Lead.ICP_Top_Priority', 'Account.ICP_Incomplete_Committee']);
    const committee = views.find((v) => v.fullName === 'Account.ICP_Incomplete_Committee');
    expect(committee?.filters).toEqual([
      { field: 'ICP_Tier__c', operation: 'equals', value: 'A' },
      { field: 'ICP_Committee_Coverage__c', operation: 'lessThan', value: '100' },
    ]);
    expect(committee?.label.length).toBeLessThanOrEqual(40);
    expect(views.find((v) => v.fullName === 'Contact.ICP_Top_Priority')?.columns).toEqual([
      'FULL_NAME',
      'ACCOUNT.NAME',
      'CONTACT.TITLE',
      'ICP_Buying_Role__c',
      'ICP_Priority_Score__c',
      'ICP_Priority_Tier__c',
    ]);
    expect(views.every((v) => v.sharedTo === 'allInternalUsers' && v.filterScope === 'Everything')).toBe(true);
  });

  it('keeps the developer names when tiers are renamed: the label and the filter follow', () => {
    const before = plannedListViews(base);
    const after = plannedListViews({ ...base, tier: 'Premium', priorityTier: 'Top' });
    expect(after.map((v) => v.fullName)).toEqual(before.map((v) => v.fullName));
    expect(after[0]).toMatchObject({ label: 'ICP · Tier Premium companies', filters: [{ field: 'ICP_Tier__c', operation: 'equals', value: 'Premium' }] });
    expect(after.find((v) => v.fullName === 'Contact.ICP_Top_Priority')?.label).toBe('ICP · Top contacts');
  });

  it('follows the views section: a view turned off, a name, a group to share with', () => {
    const views = buildMappings({ views: { incompleteCommittee: false, topTierCompanies: { name: 'Cœur de cible {tier}' }, salesforceSharedTo: { group: 'ICP_Sales' } } }).views ?? DEFAULT_VIEWS;
    const planned = plannedListViews({ ...base, views });
    expect(planned.map((v) => v.fullName)).not.toContain('Account.ICP_Incomplete_Committee');
    expect(planned[0]?.label).toBe('Cœur de cible A');
    const xml = listViewXml(planned[0]!);
    expect(xml).toContain('<sharedTo>\n        <group>ICP_Sales</group>\n    </sharedTo>');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('refuses a sharing target that is not a developer name, with the other problems', () => {
    expect(() => buildMappings({ views: { salesforceSharedTo: { group: 'ICP Sales' } } })).toThrow(/views\.salesforceSharedTo/);
  });

  it('without roles: only the top-tier views, no Contact', () => {
    const planned = plannedListViews({ ...base, people: false, committee: false });
    expect(planned.map((v) => v.fullName)).toEqual(['Account.ICP_Top_Tier', 'Lead.ICP_Top_Tier']);
  });

  it('ships in integrations/salesforce exactly as the generator renders them from the example model', async () => {
    const { scorer } = await loadModel('config/icp.example.yaml');
    const planned = plannedListViews({ ...base, ...topTierNames(scorer.model) });
    expect(planned).toHaveLength(5);
    for (const v of planned) {
      const path = join('integrations/salesforce/force-app/main/default/objects', v.objectType, 'listViews', `${v.fullName.split('.')[1]}.listView-meta.xml`);
      expect(readFileSync(path, 'utf8'), `${path} is stale: run node integrations/salesforce/generate.ts`).toBe(listViewXml(v));
      expect(XMLValidator.validate(listViewXml(v))).toBe(true);
    }
  });
});
