/** The demo's Salesforce side: the local org seeded with Accounts, and Outbound Messages. */
import { randomBytes } from 'node:crypto';
import { startSalesforceSandbox, type Row } from '../sandbox/salesforce/index.ts';
import { seedAccountFirms } from '../sandbox/salesforce/seed.ts';
import { LOSS_REASON_FIELD } from '../sandbox/salesforce/seed-opportunities.ts';
import type { DemoCrm } from './demo-crm.ts';

export async function startSalesforceDemo(accounts: number): Promise<DemoCrm> {
  const clientId = `demo-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('hex');
  const webhookToken = randomBytes(16).toString('hex');
  const sandbox = await startSalesforceSandbox({ clientId, clientSecret, seed: { accounts, leads: 0, people: true, deals: true } });
  const { store } = sandbox;
  const toRecord = (row: Row) => ({ id: row.Id, fields: row });
  return {
    crm: 'salesforce',
    objectType: 'Account',
    description: `Salesforce sandbox org ${store.orgId} with ${accounts} Accounts, ${[...store.records.Contact.values()].length} Contacts and ${[...store.records.Opportunity.values()].filter((o) => o.IsClosed === true).length} closed Opportunities at ${sandbox.url}`,
    personType: 'Contact',
    personFields: { firstName: 'FirstName', lastName: 'LastName', title: 'Title' },
    fields: { name: 'Name', employees: 'NumberOfEmployees', industry: 'Industry', country: 'BillingCountry', countryCode: 'BillingCountryCode', city: 'BillingCity' },
    softwareIndustry: 'Technology',
    // The org seeds its Accounts with the PRNG seed 1: the same firms, as the registry knows them.
    registry: seedAccountFirms(accounts, 1).flatMap((f) => (f.registry ? [f.registry] : [])),
    serviceEnv: () => ({
      SALESFORCE_LOGIN_URL: sandbox.url,
      SALESFORCE_CLIENT_ID: clientId,
      SALESFORCE_CLIENT_SECRET: clientSecret,
      SALESFORCE_ORG_ID: store.orgId,
      SALESFORCE_WEBHOOK_TOKEN: webhookToken,
      SALESFORCE_INTEGRATION_USER_ID: store.integrationUserId,
      SALESFORCE_OBJECTS: 'Account',
      SALESFORCE_LOST_REASON_FIELD: LOSS_REASON_FIELD,
    }),
    records: () => [...store.records.Account.values()].filter((r) => r.IsDeleted !== true).map(toRecord),
    record: (id) => {
      const row = store.get('Account', id);
      return row ? toRecord(row) : undefined;
    },
    edit: (id, values) => store.applyUpdate('Account', id, values, store.repUserId),
    people: () => [...store.records.Contact.values()].filter((r) => r.IsDeleted !== true).map(toRecord),
    person: (id) => {
      const row = store.get('Contact', id);
      return row ? toRecord(row) : undefined;
    },
    accountOf: (personId) => {
      const account = store.get('Contact', personId)?.AccountId;
      return typeof account === 'string' && account !== '' ? account : null;
    },
    editPerson: (id, values) => store.applyUpdate('Contact', id, values, store.repUserId),
    connectWebhooks: (publicBase) => sandbox.setOutboundTarget(`${publicBase}/webhooks/salesforce`, { token: webhookToken }),
    webhookSummary: async () => {
      await sandbox.waitForOutbound();
      const s = sandbox.outboundStats();
      return { text: `outbound messages: ${s.attempts} deliveries, ${s.acked} notifications acknowledged, ${s.nacks} refused`, allAccepted: s.nacks === 0 && s.dropped === 0 };
    },
    urls: () => [`  sandbox      ${sandbox.url}  (OAuth client credentials: ${clientId} / ${clientSecret})`],
    close: () => sandbox.close(),
  };
}
