import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_COMPONENT_PATH, webhookComponent, webhookSubscriptions } from '../../../src/connectors/hubspot/app-project.ts';
import { buildContactOutputFields, buildOutputFields } from '../../../src/connectors/hubspot/output-fields.ts';
import { FEATURE_SCOPES, LISTS_SCOPES, PEOPLE_SCOPES, REQUIRED_SCOPES } from '../../../src/connectors/hubspot/setup.ts';
import { DEFAULT_MAPPINGS } from '../../../src/mappings/defaults.ts';
import { execFileSync } from 'node:child_process';

const mapping = DEFAULT_MAPPINGS.hubspot['companies']!;
const outputs = buildOutputFields(mapping.outputs).map((f) => f.name);
const PROJECT = 'integrations/hubspot';

describe('the HubSpot app as code (integrations/hubspot)', () => {
  it('subscribes to the mapped input properties only, never to the outputs', () => {
    const subs = webhookSubscriptions(mapping, outputs);
    const props = subs.filter((s) => s.subscriptionType === 'company.propertyChange').map((s) => s.propertyName);
    expect(props).toEqual(['name', 'domain', 'industry', 'numberofemployees', 'annualrevenue', 'country', 'state', 'city', 'zip', 'founded_year']);
    for (const o of outputs) expect(props).not.toContain(o);
    expect(subs.map((s) => s.subscriptionType)).toEqual(expect.arrayContaining(['company.creation', 'company.merge', 'company.deletion', 'company.restore']));
  });

  it('subscribes to exactly the contact events people scoring needs, only when asked (model with roles)', () => {
    const contactMapping = DEFAULT_MAPPINGS.hubspot['contacts']!;
    const contacts = { mapping: contactMapping, outputNames: buildContactOutputFields(contactMapping.outputs).map((f) => f.name) };
    const subs = webhookSubscriptions(mapping, outputs, contacts).filter((s) => s.subscriptionType.startsWith('contact.'));
    expect(subs).toEqual([
      { subscriptionType: 'contact.creation', active: true },
      { subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle', active: true },
      { subscriptionType: 'contact.propertyChange', propertyName: 'hs_buying_role', active: true },
      { subscriptionType: 'contact.associationChange', active: true },
      { subscriptionType: 'contact.merge', active: true },
      { subscriptionType: 'contact.deletion', active: true },
    ]);
    expect(webhookSubscriptions(mapping, outputs).some((s) => s.subscriptionType.startsWith('contact.'))).toBe(false);
    const component = webhookComponent('https://edge.acme-corp.fr/icp', mapping, outputs, contacts);
    expect(component.config.subscriptions.legacyCrmObjects.filter((s) => s.subscriptionType.startsWith('contact.'))).toHaveLength(6);
  });

  it('targets PUBLIC_BASE_URL/webhooks/hubspot', () => {
    expect(webhookComponent('https://edge.acme-corp.fr/icp/', mapping, outputs).config.settings.targetUrl).toBe('https://edge.acme-corp.fr/icp/webhooks/hubspot');
  });

  it('refuses a webhook URL HubSpot cannot call or nobody chose', () => {
    for (const url of [
      undefined,
      'http://icp.acme-corp.fr',
      'https://icp-sync.example.com',
      'https://example.org/icp',
      'https://localhost:3000',
      'https://127.0.0.1',
      'https://10.1.2.3',
      'https://icp.internal',
      'https://icp.acme.test',
    ]) {
      expect(() => webhookComponent(url, mapping, outputs), String(url)).toThrow(RangeError);
    }
    expect(() => webhookComponent('https://icp-sync.example.com', mapping, outputs)).toThrow(/documentation placeholder/);
  });

  it('commits no webhook component: it only exists once generated from PUBLIC_BASE_URL', () => {
    const tracked = execFileSync('git', ['ls-files', PROJECT], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(tracked.filter((f) => f.endsWith('-hsmeta.json'))).toEqual([`${PROJECT}/src/app/app-hsmeta.json`]);
    const ignored = execFileSync('git', ['check-ignore', '--no-index', `${PROJECT}/${WEBHOOK_COMPONENT_PATH}`], { encoding: 'utf8' }).trim();
    expect(ignored).toBe(`${PROJECT}/${WEBHOOK_COMPONENT_PATH}`);
    for (const f of tracked.filter((t) => t.endsWith('.json') && existsSync(t))) expect(readFileSync(f, 'utf8'), f).not.toMatch(/example\.com|CHANGE_ME/);
  });

  it('follows the shape of HubSpot 2025.2 static private app template', async () => {
    const project = JSON.parse(await readFile(`${PROJECT}/hsproject.json`, 'utf8')) as Record<string, unknown>;
    expect(project).toEqual({ name: 'icp-sync', srcDir: 'src', platformVersion: '2025.2' });
    const app = JSON.parse(await readFile(`${PROJECT}/src/app/app-hsmeta.json`, 'utf8')) as { uid: string; type: string; config: Record<string, unknown> & { auth: Record<string, unknown> } };
    expect(app.type).toBe('app');
    expect(app.config).toMatchObject({ distribution: 'private', permittedUrls: { fetch: [], iframe: [], img: [] } });
    expect(app.config.auth).toMatchObject({ type: 'static', optionalScopes: [], conditionallyRequiredScopes: [] });
  });

  it('requests the scopes setup checks for, those of contacts (buying roles), of the ICP lists and those of calibration from HubSpot deals', async () => {
    const app = JSON.parse(await readFile(`${PROJECT}/src/app/app-hsmeta.json`, 'utf8')) as { config: { auth: { requiredScopes: string[] } } };
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...Object.keys(REQUIRED_SCOPES), ...Object.keys(PEOPLE_SCOPES), ...Object.keys(LISTS_SCOPES), ...Object.keys(FEATURE_SCOPES)].sort());
    expect(app.config.auth.requiredScopes).toEqual(expect.arrayContaining(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write']));
    expect(app.config.auth.requiredScopes).toContain('crm.objects.deals.read');
  });
});
