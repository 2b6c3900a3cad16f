/**
 * The connector's contacts against the sandbox over HTTP: setup with roles, reads that fill the
 * account, listings, writes, call counts per 100 contacts, and contact webhooks through the route.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotWebhookRoutes } from '../../../src/connectors/hubspot/webhook-route.ts';
import type { CrmRecord, SetupSpec } from '../../../src/connectors/port.ts';
import type { RescoreRequest } from '../../../src/pipeline/requests.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { redisConnector, SPEC, testEnv, type RedisConnector } from './helpers.ts';

const PEOPLE_SPEC: SetupSpec = {
  ...SPEC,
  people: {
    roles: [
      { id: 'decision_maker', label: 'Décideur' },
      { id: 'buyer', label: 'Acheteur' },
      { id: 'user', label: 'Utilisateur' },
    ],
    priorityTiers: ['P1', 'P2', 'P3', 'P4', 'X'],
    committee: true,
  },
};

let sandbox: HubSpotSandbox;
let rc: RedisConnector;

/** The account a contact counts for, straight from the sandbox: primary, else the lowest company id. */
function expectedAccount(contactId: string): string | null {
  const links = sandbox.store.companiesOfContact(contactId);
  return links.find((l) => l.primary)?.companyId ?? links[0]?.companyId ?? null;
}

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({
    seed: 110,
    contactsPerCompany: 3,
    limits: { per10s: 100_000, searchPerSecond: 1000 },
    tokens: { 'companies-only': { scopes: ['crm.objects.companies.read', 'crm.objects.companies.write', 'crm.schemas.companies.read', 'crm.schemas.companies.write'] } },
  });
  rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url }));
});

afterAll(async () => {
  await rc?.close();
  await sandbox?.close();
});

describe('HubSpot setup with roles (sandbox)', () => {
  it('without roles changes nothing on contacts and creates no committee property', async () => {
    const report = await rc.connector.setup(SPEC);
    expect(report.problems).toEqual([]);
    expect(sandbox.store.contactGroups.has('icp_sync')).toBe(false);
    expect(sandbox.store.properties.has('icp_committee_coverage')).toBe(false);
    expect(report.changed.join('\n')).not.toMatch(/contacts|committee|missing_roles/);
  });

  it('plans on a dry run, then creates the contact properties and the committee ones, then changes nothing', async () => {
    const dry = await rc.connector.setup(PEOPLE_SPEC, { dryRun: true });
    expect(dry.changed).toContain('would create property group icp_sync ("ICP Sync") on contacts');
    expect(dry.changed).toContain('would create property icp_buying_role on contacts (enumeration/select, 4 options)');
    expect(sandbox.store.contactProperties.has('icp_buying_role')).toBe(false);

    const first = await rc.connector.setup(PEOPLE_SPEC);
    expect(first.problems).toEqual([]);
    const role = sandbox.store.contactProperties.get('icp_buying_role')!;
    expect(role.options.map((o) => [o.value, o.label])).toEqual([
      ['decision_maker', 'Décideur'],
      ['buyer', 'Acheteur'],
      ['user', 'Utilisateur'],
      ['none', 'No role'],
    ]);
    expect(sandbox.store.contactProperties.get('icp_priority_tier')!.options.map((o) => o.value)).toEqual(['P1', 'P2', 'P3', 'P4', 'X']);
    expect(sandbox.store.contactProperties.get('icp_account_tier')!.options.map((o) => o.value)).toEqual(SPEC.tiers);
    expect(sandbox.store.contactProperties.get('icp_priority_score')?.type).toBe('number');
    expect(sandbox.store.contactProperties.get('icp_model_version')?.type).toBe('string');
    expect(sandbox.store.contactProperties.get('icp_scored_at')?.type).toBe('datetime');
    for (const p of ['icp_buying_role', 'icp_priority_score', 'icp_priority_tier', 'icp_account_tier', 'icp_model_version', 'icp_scored_at']) {
      expect(sandbox.store.contactProperties.get(p)?.groupName, p).toBe('icp_sync');
    }
    expect(sandbox.store.properties.get('icp_committee_coverage')?.type).toBe('number');
    expect(sandbox.store.properties.get('icp_missing_roles')?.type).toBe('string');

    const second = await rc.connector.setup(PEOPLE_SPEC);
    expect(second.changed).toEqual([]);
    expect(second.problems).toEqual([]);
  });

  it('adds new roles and relabels renamed ones, never removing an option', async () => {
    const spec: SetupSpec = {
      ...PEOPLE_SPEC,
      people: { ...PEOPLE_SPEC.people!, roles: [{ id: 'decision_maker', label: 'Décideur final' }, { id: 'champion', label: 'Champion' }] },
    };
    const report = await rc.connector.setup(spec);
    expect(report.changed).toEqual(['add option champion to icp_buying_role on contacts', 'relabel option decision_maker → "Décideur final" of icp_buying_role on contacts']);
    const options = sandbox.store.contactProperties.get('icp_buying_role')!.options;
    expect(options.map((o) => o.value)).toEqual(['decision_maker', 'buyer', 'user', 'none', 'champion']);
    expect(options[0]?.label).toBe('Décideur final');
  });

  it('reports the missing contacts scopes as problems, companies still set up', async () => {
    const other = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_ACCESS_TOKEN: 'companies-only' }));
    try {
      const report = await other.connector.setup(PEOPLE_SPEC);
      const lacking = report.problems.filter((p) => p.startsWith('the token lacks scope')).map((p) => p.split(' ')[4]);
      expect(lacking.sort()).toEqual(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write']);
      expect(report.problems.some((p) => p.startsWith('contacts: '))).toBe(true);
      // `setup hubspot --check`: the contacts scopes are asked for only with roles.
      expect(await other.connector.checkScopes()).toEqual([]);
      expect((await other.connector.checkScopes({ people: true })).map((p) => p.split(' ')[4]).sort()).toEqual(lacking.sort());
    } finally {
      await other.close();
    }
  });
});

describe('HubSpot contacts through the connector (sandbox)', () => {
  it('reads contacts by id with their account: primary, else lowest company id, else null', async () => {
    const ids = sandbox.store.listOf('contacts').map((c) => c.id);
    const records = await rc.connector.readByIds('contacts', [...ids, '99999999999'], ['jobtitle', 'hs_buying_role']);
    expect(records).toHaveLength(ids.length);
    for (const r of records) expect(r.accountId, r.id).toBe(expectedAccount(r.id));
    const kinds = new Set(records.map((r) => (r.accountId === null ? 'none' : sandbox.store.companiesOfContact(r.id).length > 1 ? 'several' : 'one')));
    expect([...kinds].sort()).toEqual(['none', 'one', 'several']);
    expect(records.some((r) => r.accountId !== null && !sandbox.store.companiesOfContact(r.id).some((l) => l.primary))).toBe(true);
  });

  it('costs 2 calls per 100 contacts read by id, and per page of 100 listed; 1 per 100 written', async () => {
    const ids = sandbox.store.listOf('contacts').map((c) => c.id).slice(0, 300);
    sandbox.store.resetStats();
    await rc.connector.readByIds('contacts', ids, ['jobtitle']);
    expect(sandbox.store.stats().byRoute).toEqual({ 'contacts.batchRead': 3, 'associations.batchRead': 3 });

    sandbox.store.resetStats();
    const seen = new Map<string, CrmRecord>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await rc.connector.listAll('contacts', ['jobtitle', 'hs_buying_role'], cursor);
      for (const r of page.records) seen.set(r.id, r);
      cursor = page.next;
      pages += 1;
    } while (cursor !== undefined && pages < 100);
    const all = sandbox.store.listOf('contacts');
    expect(seen.size).toBe(all.length);
    for (const c of all) expect(seen.get(c.id)?.accountId).toBe(expectedAccount(c.id));
    expect(sandbox.store.stats().byRoute).toEqual({ 'contacts.list': pages, 'associations.batchRead': pages });
    expect(pages).toBe(Math.ceil(all.length / 100));

    sandbox.store.resetStats();
    const out = await rc.connector.writeChanges(
      'contacts',
      ids.map((id, i) => ({ id, fields: { icp_buying_role: i % 2 === 0 ? 'user' : 'none', icp_priority_score: i % 100, icp_priority_tier: 'P3', icp_account_tier: 'B' } })),
    );
    expect(out.failed).toEqual([]);
    expect(out.written).toHaveLength(300);
    expect(sandbox.store.stats().byRoute).toEqual({ 'contacts.batchUpdate': 3 });
    const [back] = await rc.connector.readByIds('contacts', [ids[0]!], ['icp_buying_role', 'icp_priority_score']);
    expect(back?.fields).toEqual({ icp_buying_role: 'user', icp_priority_score: '0' });
  });

  it('clears the priority of a contact without account, and refuses a role the property does not hold', async () => {
    const id = sandbox.store.listOf('contacts')[0]!.id;
    const cleared = await rc.connector.writeChanges('contacts', [{ id, fields: { icp_priority_score: null, icp_priority_tier: null } }]);
    expect(cleared.written).toEqual([id]);
    expect(sandbox.store.getOf('contacts', id)?.properties.icp_priority_score).toBeNull();
    const refused = await rc.connector.writeChanges('contacts', [{ id, fields: { icp_buying_role: 'astronaut' } }]);
    expect(refused.failed.map((f) => [f.id, f.code, f.retryable])).toEqual([[id, 'VALIDATION_ERROR', false]]);
  });

  it('lists contacts modified since a time on lastmodifieddate, including a new primary company', async () => {
    const contact = sandbox.store.listOf('contacts').find((c) => sandbox.store.companiesOfContact(c.id).length === 1)!;
    const target = sandbox.store.list().find((c) => !sandbox.store.companiesOfContact(contact.id).some((l) => l.companyId === c.id))!;
    const before = new Date(Date.now() - 1000).toISOString();
    sandbox.store.associate(contact.id, target.id, { primary: true, emit: false });
    const found: CrmRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await rc.connector.listModifiedSince('contacts', ['jobtitle'], before, cursor);
      found.push(...page.records);
      cursor = page.next;
    } while (cursor !== undefined);
    expect(found.find((r) => r.id === contact.id)?.accountId).toBe(target.id);
  });

  it('costs 1 search and 2 associations reads per search page of 200 contacts', async () => {
    const all = sandbox.store.listOf('contacts');
    sandbox.store.resetStats();
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await rc.connector.listModifiedSince('contacts', ['jobtitle'], '2000-01-01T00:00:00.000Z', cursor);
      count += page.records.length;
      cursor = page.next;
    } while (cursor !== undefined);
    expect(count).toBe(all.length);
    const pages = Math.ceil(all.length / 200);
    expect(sandbox.store.stats().byRoute).toEqual({ 'contacts.search': pages, 'associations.batchRead': Math.ceil(all.length / 100) });
  });
});

describe('HubSpot contact webhooks from the sandbox through the route', () => {
  it('turns contact changes into rescores of contacts, and drops our own writes', async () => {
    const SECRET = 'hook-secret';
    const requests: RescoreRequest[] = [];
    const app = Fastify({ logger: false });
    const env = testEnv({ HUBSPOT_CLIENT_SECRET: SECRET, HUBSPOT_APP_ID: String(sandbox.appId), HUBSPOT_PORTAL_ID: String(sandbox.portalId) });
    await app.register(hubspotWebhookRoutes, {
      env,
      producer: { enqueue: async (r) => void requests.push(...r) },
      outputPropertyNames: [...rc.connector.outputFields('companies'), ...rc.connector.outputFields('contacts')].map((f) => f.name),
      contactInputProperties: ['jobtitle', 'hs_buying_role'],
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      sandbox.setWebhookTarget(`http://127.0.0.1:${port}/webhooks/hubspot`, {
        clientSecret: SECRET,
        appId: sandbox.appId,
        portalId: sandbox.portalId,
        contactProperties: ['jobtitle', 'hs_buying_role'],
        echoOwnWrites: true,
      });
      const [a, b] = sandbox.store.listOf('contacts');
      const company = sandbox.store.list()[7]!.id;
      sandbox.store.updateOf('contacts', a!.id, { jobtitle: 'Directeur Général' });
      sandbox.store.associate(b!.id, company);
      const created = sandbox.store.createOf('contacts', { jobtitle: 'Responsable achats' });
      sandbox.store.archiveOf('contacts', created.id);
      await rc.connector.writeChanges('contacts', [{ id: a!.id, fields: { icp_buying_role: 'decision_maker' } }]);
      await sandbox.flushWebhooks();
      expect(sandbox.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
      expect(requests.every((r) => r.objectType === 'contacts')).toBe(true);
      expect([...new Set(requests.map((r) => r.id))].sort()).toEqual([a!.id, b!.id, created.id].sort());
    } finally {
      sandbox.setWebhookTarget(undefined);
      await app.close();
    }
  });
});
