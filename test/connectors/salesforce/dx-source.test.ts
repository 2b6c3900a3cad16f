import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/config/model-loader.ts';
import { TRIGGER_FIELDS, renderDxProject } from '../../../src/connectors/salesforce/dx-source.ts';
import { DEFAULT_OUTPUT_FIELD_NAMES, buildOutputFields } from '../../../src/connectors/salesforce/output-fields.ts';

const ROOT = 'integrations/salesforce';

async function render() {
  const { scorer } = await loadModel('config/icp.example.yaml');
  return renderDxProject({
    objectTypes: ['Account', 'Lead'],
    outputFields: buildOutputFields(),
    spec: { tiers: scorer.tierNames, tags: scorer.tags },
    apiVersion: '65.0',
    endpointUrl: 'https://icp-sync.example.com/webhooks/salesforce?token=CHANGE_ME',
    integrationUsername: 'integration-user@example.com',
  });
}

describe('Salesforce DX project in integrations/salesforce', () => {
  it('is exactly what the generator renders from the example model', async () => {
    const files = await render();
    expect(files.size).toBe(22);
    for (const [rel, text] of files) expect(readFileSync(join(ROOT, rel), 'utf8'), `${rel} is stale: run node integrations/salesforce/generate.ts`).toBe(text);
  });

  it('is well-formed XML, with picklists from the model and read/edit on every field', async () => {
    const { scorer } = await loadModel('config/icp.example.yaml');
    const files = await render();
    for (const [rel, text] of files) if (rel.endsWith('.xml')) expect(XMLValidator.validate(text), rel).toBe(true);
    const tier = files.get('force-app/main/default/objects/Account/fields/ICP_Tier__c.field-meta.xml') ?? '';
    for (const t of scorer.tierNames) expect(tier).toContain(`<fullName>${t}</fullName>`);
    const ps = files.get('force-app/main/default/permissionsets/ICP_Sync.permissionset-meta.xml') ?? '';
    expect(ps.match(/<fieldPermissions>/g)).toHaveLength(14);
    expect(ps).not.toMatch(/<editable>false/);
  });

  it('sends outbound messages only when a scoring input changes, never on the ICP fields', async () => {
    const files = await render();
    for (const objectType of ['Account', 'Lead']) {
      const changed = files.get(`force-app/main/default/flows/ICP_Sync_${objectType}_Changed.flow-meta.xml`) ?? '';
      const watched = [...changed.matchAll(/ISCHANGED\(\{!\$Record\.(\w+)\}\)/g)].map((m) => m[1]);
      expect(watched).toEqual(TRIGGER_FIELDS[objectType]);
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
  });
});
