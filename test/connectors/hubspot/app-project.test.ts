import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { webhookComponent, webhookSubscriptions } from '../../../src/connectors/hubspot/app-project.ts';
import { buildOutputFields } from '../../../src/connectors/hubspot/output-fields.ts';
import { REQUIRED_SCOPES } from '../../../src/connectors/hubspot/setup.ts';
import { DEFAULT_MAPPINGS } from '../../../src/mappings/defaults.ts';

const mapping = DEFAULT_MAPPINGS.hubspot['companies']!;
const outputs = buildOutputFields(mapping.outputs).map((f) => f.name);

describe('the HubSpot app as code (integrations/hubspot)', () => {
  it('subscribes to the mapped input properties only, never to the outputs', () => {
    const subs = webhookSubscriptions(mapping, outputs);
    const props = subs.filter((s) => s.subscriptionType === 'company.propertyChange').map((s) => s.propertyName);
    expect(props).toEqual(['name', 'domain', 'industry', 'numberofemployees', 'annualrevenue', 'country', 'state', 'city', 'zip', 'founded_year']);
    for (const o of outputs) expect(props).not.toContain(o);
    expect(subs.map((s) => s.subscriptionType)).toEqual(expect.arrayContaining(['company.creation', 'company.merge', 'company.deletion', 'company.restore']));
  });

  it('ships a webhook component equal to the one generated from the default mappings', async () => {
    const file = JSON.parse(await readFile('integrations/hubspot/src/app/webhooks/webhooks-hsmeta.json', 'utf8')) as unknown;
    expect(file).toEqual(webhookComponent('https://icp-sync.example.com', mapping, outputs));
  });

  it('targets PUBLIC_BASE_URL/webhooks/hubspot and refuses plain http', () => {
    expect(webhookComponent('https://edge.example.com/icp/', mapping, outputs).config.settings.targetUrl).toBe('https://edge.example.com/icp/webhooks/hubspot');
    expect(() => webhookComponent('http://edge.example.com', mapping, outputs)).toThrow(RangeError);
  });

  it('declares exactly the scopes setup checks for', async () => {
    const app = JSON.parse(await readFile('integrations/hubspot/src/app/app-hsmeta.json', 'utf8')) as { config: { auth: { requiredScopes: string[] } } };
    expect([...app.config.auth.requiredScopes].sort()).toEqual(Object.keys(REQUIRED_SCOPES).sort());
  });
});
