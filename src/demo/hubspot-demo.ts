/** The demo's HubSpot side: the local sandbox seeded with companies, and signed webhooks. */
import { randomBytes } from 'node:crypto';
import { syntheticFirms } from '../sandbox/hubspot/seed.ts';
import { dealsOf, startHubSpotSandbox } from '../sandbox/hubspot/server.ts';
import type { DemoCrm } from './demo-crm.ts';

export async function startHubSpotDemo(companies: number): Promise<DemoCrm> {
  // Deals too (won, lost with a reason, open): the model-health lines read the closed ones.
  const sandbox = await startHubSpotSandbox({ seed: companies, contactsPerCompany: 3, deals: true, accessToken: `demo-${randomBytes(12).toString('hex')}` });
  const clientSecret = randomBytes(24).toString('hex');
  const toRecord = (c: { id: string; properties: Record<string, string | null> }) => ({ id: c.id, fields: c.properties });
  return {
    crm: 'hubspot',
    objectType: 'companies',
    description: `HubSpot sandbox with ${companies} companies, ${sandbox.store.listOf('contacts').length} contacts and ${dealsOf(sandbox.store).list().length} deals at ${sandbox.url} (portal ${sandbox.portalId})`,
    personType: 'contacts',
    personFields: { firstName: 'firstname', lastName: 'lastname', title: 'jobtitle' },
    fields: { name: 'name', employees: 'numberofemployees', industry: 'industry', country: 'country', city: 'city' },
    softwareIndustry: 'COMPUTER_SOFTWARE',
    // The sandbox seeds with the PRNG seed 42: the same firms, as the registry knows them.
    registry: syntheticFirms(companies, 42).flatMap((f) => (f.registry ? [f.registry] : [])),
    serviceEnv: () => ({
      HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
      HUBSPOT_CLIENT_SECRET: clientSecret,
      HUBSPOT_APP_ID: String(sandbox.appId),
      HUBSPOT_PORTAL_ID: String(sandbox.portalId),
      HUBSPOT_BASE_URL: sandbox.url,
    }),
    records: () => sandbox.store.list().map(toRecord),
    record: (id) => {
      const c = sandbox.store.get(id);
      return c ? toRecord(c) : undefined;
    },
    edit: (id, values) => {
      const res = sandbox.store.update(id, values, { changeSource: 'CRM_UI', sourceId: 'userId:1001' });
      if (!('company' in res)) throw new Error(`the sandbox refused the edit on company ${id}`);
    },
    people: () => sandbox.store.listOf('contacts').map(toRecord),
    person: (id) => {
      const c = sandbox.store.getOf('contacts', id);
      return c ? toRecord(c) : undefined;
    },
    accountOf: (personId) => {
      // As the connector reads it: the primary company, else the lowest company id.
      const companies = sandbox.store.companiesOfContact(personId);
      const primary = companies.find((c) => c.primary) ?? [...companies].sort((a, b) => Number(a.companyId) - Number(b.companyId))[0];
      return primary?.companyId ?? null;
    },
    editPerson: (id, values) => {
      const res = sandbox.store.updateOf('contacts', id, values, { changeSource: 'CRM_UI', sourceId: 'userId:1001' });
      if (!('company' in res)) throw new Error(`the sandbox refused the edit on contact ${id}`);
    },
    connectWebhooks: (publicBase) =>
      sandbox.setWebhookTarget(`${publicBase}/webhooks/hubspot`, { clientSecret, appId: sandbox.appId, portalId: sandbox.portalId }),
    webhookSummary: async () => {
      await sandbox.flushWebhooks();
      const d = sandbox.webhookDeliveries;
      const accepted = d.filter((x) => x.status >= 200 && x.status < 300).length;
      const events = d.reduce((n, x) => n + x.events, 0);
      return { text: `webhooks: ${d.length} signed deliveries (${events} events), ${accepted} accepted`, allAccepted: accepted === d.length };
    },
    urls: () => [`  sandbox      ${sandbox.url}  (Authorization: Bearer ${sandbox.accessToken})`],
    close: () => sandbox.close(),
  };
}
