import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/config/model-loader.ts';
import { PERSON_TRIGGER_FIELDS, TRIGGER_FIELDS, examplePeopleSpec, renderDxProject } from '../../../src/connectors/salesforce/dx-source.ts';
import { DEFAULT_OUTPUT_FIELD_NAMES, objectOutputFields } from '../../../src/connectors/salesforce/output-fields.ts';
import { peopleSpecOf } from '../../../src/connectors/setup-spec.ts';
import { PLACEHOLDER_ENDPOINT, PLACEHOLDER_USER } from '../../../src/connectors/salesforce/dx-deploy-check.ts';

const ROOT = 'integrations/salesforce';

/** What `generate.ts` renders from the example model (with `--no-people` when `people` is false). */
async function render(people = true) {
  const { scorer } = await loadModel('config/icp.example.yaml');
  const spec = people ? (peopleSpecOf(scorer.model) ?? examplePeopleSpec(scorer.model.excludedTier)) : undefined;
  return renderDxProject({
    objectTypes: ['Account', 'Lead'],
    outputFields: (t) => objectOutputFields(t),
    spec: { tiers: scorer.tierNames, tags: scorer.tags, ...(spec ? { people: spec } : {}) },
    apiVersion: '65.0',
    endpointUrl: PLACEHOLDER_ENDPOINT,
    integrationUsername: PLACEHOLDER_USER,
  });
}

describe('Salesforce DX project in integrations/salesforce', () => {
  it('is exactly what the generator renders from the example model', async () => {
    const files = await render();
    // 36 fields, flows, outbound messages and permission set; the failure object and its 4 fields; the Apex test and its meta file.
    expect(files.size).toBe(43);
    for (const [rel, text] of files) expect(readFileSync(join(ROOT, rel), 'utf8'), `${rel} is stale: run node integrations/salesforce/generate.ts`).toBe(text);
  });

  it('is well-formed XML, with picklists from the model and read/edit on every field', async () => {
    const { scorer } = await loadModel('config/icp.example.yaml');
    const files = await render();
    for (const [rel, text] of files) if (rel.endsWith('.xml')) expect(XMLValidator.validate(text), rel).toBe(true);
    const tier = files.get('force-app/main/default/objects/Account/fields/ICP_Tier__c.field-meta.xml') ?? '';
    for (const t of scorer.tierNames) expect(tier).toContain(`<fullName>${t}</fullName>`);
    const ps = files.get('force-app/main/default/permissionsets/ICP_Sync.permissionset-meta.xml') ?? '';
    // Account 7 + 2 committee, Lead 7 + 3 person, Contact 6 ICP fields read/edit; 4 standard fields read only.
    expect(ps.match(/<fieldPermissions>/g)).toHaveLength(29);
    expect(ps.match(/<editable>false<\/editable>\s*<field>(\S+)<\/field>/g)?.map((m) => /<field>(\S+)<\/field>/.exec(m)?.[1])).toEqual([
      'Contact.AccountId',
      'Contact.Title',
      'Lead.Title',
      'OpportunityContactRole.Role',
    ]);
    expect(ps).toMatch(/<allowEdit>true<\/allowEdit>\s*<allowRead>true<\/allowRead>\s*<modifyAllRecords>false<\/modifyAllRecords>\s*<object>Contact<\/object>/);
    expect(ps).toMatch(/<allowEdit>false<\/allowEdit>\s*<allowRead>true<\/allowRead>\s*<modifyAllRecords>false<\/modifyAllRecords>\s*<object>Opportunity<\/object>/);
    const role = files.get('force-app/main/default/objects/Contact/fields/ICP_Buying_Role__c.field-meta.xml') ?? '';
    expect([...role.matchAll(/<fullName>(\w+)<\/fullName>\s*<default>/g)].map((m) => m[1])).toEqual(['decision_maker', 'buyer', 'user', 'influencer', 'none']);
    expect(role).toContain('<label>Décideur</label>');
    expect(files.has('force-app/main/default/objects/Contact/fields/ICP_Fit_Score__c.field-meta.xml')).toBe(false);
    expect(files.has('force-app/main/default/objects/Lead/fields/ICP_Account_Tier__c.field-meta.xml')).toBe(false);
    expect(files.get('force-app/main/default/objects/Account/fields/ICP_Committee_Coverage__c.field-meta.xml')).toMatch(/<precision>3<\/precision>[\s\S]*<scale>0<\/scale>[\s\S]*<type>Percent<\/type>/);
  });

  it('without people renders exactly the Account and Lead project of a model without roles', async () => {
    const files = await render(false);
    expect(files.size).toBe(29);
    expect([...files.keys()].some((k) => k.includes('Contact'))).toBe(false);
    const ps = files.get('force-app/main/default/permissionsets/ICP_Sync.permissionset-meta.xml') ?? '';
    expect(ps.match(/<fieldPermissions>/g)).toHaveLength(14);
    expect(ps).not.toMatch(/<editable>false|objectPermissions/);
    const lead = files.get('force-app/main/default/flows/ICP_Sync_Lead_Changed.flow-meta.xml') ?? '';
    expect(lead).not.toContain('{!$Record.Title}');
  });

  it('sends outbound messages only when a scoring input changes, never on the ICP fields', async () => {
    const files = await render();
    for (const objectType of ['Account', 'Lead', 'Contact']) {
      const changed = files.get(`force-app/main/default/flows/ICP_Sync_${objectType}_Changed.flow-meta.xml`) ?? '';
      const watched = [...changed.matchAll(/ISCHANGED\(\{!\$Record\.(\w+)\}\)/g)].map((m) => m[1]);
      expect(watched).toEqual([...(TRIGGER_FIELDS[objectType] ?? []), ...(PERSON_TRIGGER_FIELDS[objectType] ?? [])]);
      for (const output of Object.values(DEFAULT_OUTPUT_FIELD_NAMES)) expect(watched).not.toContain(output);
      expect(changed).toContain('<recordTriggerType>Update</recordTriggerType>');
      const created = files.get(`force-app/main/default/flows/ICP_Sync_${objectType}_Created.flow-meta.xml`) ?? '';
      expect(created).toContain('<recordTriggerType>Create</recordTriggerType>');
      expect(created).not.toContain('<filterFormula>');
      expect(changed).toContain(`<actionName>${objectType}.ICP_Sync_${objectType}</actionName>`);
      const workflow = files.get(`force-app/main/default/workflows/${objectType}.workflow-meta.xml`) ?? '';
      expect(workflow).toContain('<fields>LastModifiedById</fields>');
      expect(workflow).toContain('<includeSessionId>false</includeSessionId>');
    }
    const contact = files.get('force-app/main/default/flows/ICP_Sync_Contact_Changed.flow-meta.xml') ?? '';
    expect(contact).toContain('<filterFormula>OR(ISCHANGED({!$Record.Title}), ISCHANGED({!$Record.AccountId}))</filterFormula>');
  });
});
