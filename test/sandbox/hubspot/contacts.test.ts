import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TITLES } from '../../../src/sandbox/hubspot/seed.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';

let sandbox: HubSpotSandbox;
let client: Client;

async function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? sandbox.accessToken}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> & { results?: Array<Record<string, unknown>>; errors?: Array<Record<string, unknown>> } };
}

const contactsWith = (n: number) =>
  sandbox.store
    .listOf('contacts')
    .filter((c) => sandbox.store.companiesOfContact(c.id).length === n)
    .map((c) => c.id);

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({
    seed: 60,
    contactsPerCompany: 3,
    tokens: { 'companies-only': { scopes: ['crm.objects.companies.read', 'crm.schemas.companies.read'] } },
  });
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url });
});
afterAll(async () => {
  await sandbox.close();
});

describe('HubSpot sandbox: seeded contacts', () => {
  it('seeds about 3 contacts per company, deterministically, with realistic titles and roles', async () => {
    const contacts = sandbox.store.listOf('contacts');
    expect(contacts.length).toBeGreaterThan(60 * 2);
    expect(contacts.length).toBeLessThan(60 * 4);
    const titles = new Set(contacts.map((c) => c.properties.jobtitle).filter(Boolean));
    expect([...titles].every((t) => (JOB_TITLES as readonly string[]).includes(String(t)))).toBe(true);
    expect([...titles].some((t) => /[éèç]/.test(String(t)))).toBe(true);
    expect(contacts.some((c) => c.properties.jobtitle === null)).toBe(true);
    const roles = contacts.map((c) => c.properties.hs_buying_role).filter((r): r is string => typeof r === 'string');
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.length).toBeLessThan(contacts.length);
    expect(contactsWith(0).length).toBeGreaterThan(0);
    expect(contactsWith(2).length).toBeGreaterThan(0);

    const again = await startHubSpotSandbox({ seed: 60, contactsPerCompany: 3 });
    try {
      expect(again.store.listOf('contacts').map((c) => [c.properties.email, c.properties.jobtitle, c.properties.hs_buying_role])).toEqual(
        contacts.map((c) => [c.properties.email, c.properties.jobtitle, c.properties.hs_buying_role]),
      );
    } finally {
      await again.close();
    }
  });

  it('holds hs_buying_role as a multiple checkbox of HubSpot internal values, readable through the properties API', async () => {
    const res = await call('/crm/properties/2026-03/contacts/hs_buying_role');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'enumeration', fieldType: 'checkbox' });
    expect((res.body.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(
      ['BLOCKER', 'BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'LEGAL_AND_COMPLIANCE', 'OTHER'].sort(),
    );
    const id = sandbox.store.listOf('contacts')[0]!.id;
    const bad = await call(`/crm/v3/objects/contacts/${id}`, { method: 'PATCH', body: { properties: { hs_buying_role: 'Decision Maker' } } });
    expect(bad.status).toBe(400);
    const ok = await call(`/crm/v3/objects/contacts/${id}`, { method: 'PATCH', body: { properties: { hs_buying_role: 'DECISION_MAKER;END_USER' } } });
    expect(ok.status).toBe(200);
    const appended = await call(`/crm/v3/objects/contacts/${id}`, { method: 'PATCH', body: { properties: { hs_buying_role: ';CHAMPION' } } });
    expect((appended.body.properties as Record<string, string>).hs_buying_role).toBe('DECISION_MAKER;END_USER;CHAMPION');
  });

  it('refuses writing associatedcompanyid (it follows the primary association)', async () => {
    const id = sandbox.store.listOf('contacts')[1]!.id;
    const res = await call(`/crm/v3/objects/contacts/${id}`, { method: 'PATCH', body: { properties: { associatedcompanyid: '1' } } });
    expect(res.status).toBe(400);
  });
});

describe('HubSpot sandbox: contacts through the real @hubspot/api-client', () => {
  it('lists, batch reads and searches contacts on lastmodifieddate', async () => {
    const all = await client.crm.contacts.getAll(100, undefined, ['jobtitle', 'hs_buying_role']);
    expect(all).toHaveLength(sandbox.store.listOf('contacts').length);
    const ids = all.slice(0, 3).map((c) => c.id);
    const read = await client.crm.contacts.batchApi.read({ inputs: [...ids, '1'].map((id) => ({ id })), properties: ['jobtitle'], propertiesWithHistory: [] });
    expect(read.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(read.results[0]?.properties).toHaveProperty('lastmodifieddate');
    expect(read.results[0]?.properties).not.toHaveProperty('hs_lastmodifieddate');

    const since = Date.now() - 86_400_000;
    const found = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE' as never, value: String(since) }] }],
      sorts: ['lastmodifieddate'],
      properties: ['jobtitle'],
      limit: 200,
      after: '0',
    });
    const expected = sandbox.store.listOf('contacts').filter((c) => Date.parse(c.properties.lastmodifieddate ?? '') >= since);
    expect(found.total).toBe(expected.length);
  });

  it('batch reads contact→company associations: primary typeId 1 with 279, others 279, none in errors (207)', async () => {
    const one = contactsWith(1)[0]!;
    const two = contactsWith(2)[0]!;
    const none = contactsWith(0)[0]!;
    const res = await call('/crm/associations/2026-03/contacts/companies/batch/read', { method: 'POST', body: { inputs: [{ id: one }, { id: two }, { id: none }] } });
    expect(res.status).toBe(207);
    const results = res.body.results as Array<{ from: { id: string }; to: Array<{ toObjectId: number; associationTypes: Array<{ typeId: number; category: string; label: string | null }> }> }>;
    expect(results.map((r) => r.from.id).sort()).toEqual([one, two].sort());
    for (const r of results) {
      const links = sandbox.store.companiesOfContact(r.from.id);
      expect(r.to.map((t) => String(t.toObjectId))).toEqual(links.map((l) => l.companyId));
      for (const t of r.to) {
        const ids = t.associationTypes.map((a) => a.typeId);
        expect(ids).toContain(279);
        if (ids.includes(1)) expect(t.associationTypes.find((a) => a.typeId === 1)).toEqual({ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' });
      }
    }
    expect(res.body.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND' })]);

    const sdk = await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [{ id: one }] });
    expect(sdk.results[0]?.to[0]?.associationTypes.map((t) => t.typeId)).toEqual(expect.arrayContaining([279]));
  });

  it('pages a contact’s associations with after, and refuses too many inputs', async () => {
    const contact = sandbox.store.createOf('contacts', { jobtitle: 'CTO' }, { changeSource: 'CRM_UI' }, false);
    const companies = sandbox.store.list().slice(0, 5).map((c) => c.id);
    for (const c of companies) sandbox.store.associate(contact.id, c, { emit: false });
    sandbox.store.setLimits({ assocPageSize: 2, assocBatchReadMax: 3 });
    try {
      const seen: string[] = [];
      let after: string | undefined;
      let calls = 0;
      do {
        const res = await call('/crm/v4/associations/contacts/companies/batch/read', { method: 'POST', body: { inputs: [{ id: contact.id, ...(after ? { after } : {}) }] } });
        expect(res.status).toBe(200);
        const r = (res.body.results as Array<{ to: Array<{ toObjectId: number }>; paging?: { next?: { after: string } } }>)[0]!;
        seen.push(...r.to.map((t) => String(t.toObjectId)));
        after = r.paging?.next?.after;
        calls += 1;
      } while (after !== undefined && calls < 10);
      expect(seen).toEqual(companies);
      expect(calls).toBe(3);
      const tooMany = await call('/crm/v4/associations/contacts/companies/batch/read', { method: 'POST', body: { inputs: ['1', '2', '3', '4'].map((id) => ({ id })) } });
      expect(tooMany.status).toBe(400);
    } finally {
      sandbox.store.setLimits({ assocPageSize: 500, assocBatchReadMax: 1000 });
    }
  });

  it('creates and removes labels: a new primary moves it, and the company side reads 2 / 280', async () => {
    const contact = sandbox.store.createOf('contacts', { jobtitle: 'DAF' }, { changeSource: 'CRM_UI' }, false);
    const [a, b] = sandbox.store.list().map((c) => c.id);
    expect((await call(`/crm/objects/2026-03/contacts/${contact.id}/associations/default/companies/${a}`, { method: 'PUT' })).status).toBe(200);
    const labelled = await call(`/crm/v4/objects/contacts/${contact.id}/associations/companies/${b}`, {
      method: 'PUT',
      body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
    });
    expect(labelled.status).toBe(201);
    expect(sandbox.store.companiesOfContact(contact.id)).toEqual([
      { companyId: a, typeIds: [279], primary: false },
      { companyId: b, typeIds: [1, 279], primary: true },
    ]);
    expect(sandbox.store.getOf('contacts', contact.id)?.properties.associatedcompanyid).toBe(b);

    const fromCompany = await call('/crm/v4/associations/companies/contacts/batch/read', { method: 'POST', body: { inputs: [{ id: b }] } });
    const link = (fromCompany.body.results as Array<{ to: Array<{ toObjectId: number; associationTypes: Array<{ typeId: number }> }> }>)[0]!.to.find(
      (t) => String(t.toObjectId) === contact.id,
    );
    expect(link?.associationTypes.map((t) => t.typeId)).toEqual([2, 280]);

    // Moving the primary with a labelled create from the company side.
    const moved = await call('/crm/v4/associations/companies/contacts/batch/create', {
      method: 'POST',
      body: { inputs: [{ from: { id: a }, to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 2 }] }] },
    });
    expect(moved.status).toBe(201);
    expect(sandbox.store.companiesOfContact(contact.id).filter((l) => l.primary).map((l) => l.companyId)).toEqual([a]);

    const unlabel = await call('/crm/v4/associations/contacts/companies/batch/labels/archive', {
      method: 'POST',
      body: { inputs: [{ from: { id: contact.id }, to: { id: a }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] }] },
    });
    expect(unlabel.status).toBe(204);
    expect(sandbox.store.companiesOfContact(contact.id).map((l) => l.typeIds)).toEqual([[279], [279]]);
    expect(sandbox.store.getOf('contacts', contact.id)?.properties.associatedcompanyid).toBeNull();

    expect((await call(`/crm/v4/objects/contacts/${contact.id}/associations/companies/${a}`, { method: 'DELETE' })).status).toBe(204);
    const archived = await call('/crm/v4/associations/contacts/companies/batch/archive', { method: 'POST', body: { inputs: [{ from: { id: contact.id }, to: [{ id: b }] }] } });
    expect(archived.status).toBe(204);
    expect(sandbox.store.companiesOfContact(contact.id)).toEqual([]);

    const wrongType = await call(`/crm/v4/objects/contacts/${contact.id}/associations/companies/${a}`, {
      method: 'PUT',
      body: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 4 }],
    });
    expect(wrongType.status).toBe(400);
  });

  it('asks for the contacts scopes on contact routes', async () => {
    const id = sandbox.store.listOf('contacts')[0]!.id;
    expect((await call(`/crm/v3/objects/contacts/${id}`, { token: 'companies-only' })).status).toBe(403);
    expect((await call('/crm/v3/properties/contacts', { token: 'companies-only' })).status).toBe(403);
    expect((await call('/crm/v4/associations/contacts/companies/batch/read', { method: 'POST', token: 'companies-only', body: { inputs: [{ id }] } })).status).toBe(403);
    expect((await call('/crm/v3/objects/deals/1')).status).toBe(400);
  });

  it('counts contact routes by their own names', () => {
    const routes = Object.keys(sandbox.store.stats().byRoute);
    expect(routes).toEqual(expect.arrayContaining(['contacts.list', 'contacts.batchRead', 'contacts.search', 'associations.batchRead']));
  });
});

describe('HubSpot sandbox: contact webhooks', () => {
  let server: Server;
  let received: Array<Record<string, unknown>>;
  let target: string;

  beforeAll(async () => {
    received = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(...(JSON.parse(body) as Array<Record<string, unknown>>));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    sandbox.setWebhookTarget(undefined);
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends contact creation, property change, association change and deletion like the company ones', async () => {
    received.length = 0;
    sandbox.setWebhookTarget(target, { clientSecret: 's', appId: sandbox.appId, portalId: sandbox.portalId, contactProperties: ['jobtitle', 'hs_buying_role'] });
    const company = sandbox.store.list()[3]!.id;
    const c = sandbox.store.createOf('contacts', { jobtitle: 'Stagiaire' });
    sandbox.store.updateOf('contacts', c.id, { jobtitle: 'Développeur', firstname: 'Zoé' });
    sandbox.store.associate(c.id, company, { primary: true });
    sandbox.store.dissociate(c.id, company);
    sandbox.store.archiveOf('contacts', c.id);
    await sandbox.flushWebhooks();
    const mine = received.filter((e) => e.objectId === Number(c.id) || e.fromObjectId === Number(c.id));
    expect(mine.map((e) => e.subscriptionType)).toEqual([
      'contact.creation',
      'contact.propertyChange',
      'contact.associationChange',
      'contact.associationChange',
      'contact.deletion',
    ]);
    expect(mine[1]).toMatchObject({ propertyName: 'jobtitle', propertyValue: 'Développeur', portalId: sandbox.portalId });
    expect(mine[2]).toMatchObject({ associationType: 'CONTACT_TO_COMPANY', fromObjectId: Number(c.id), toObjectId: Number(company), associationRemoved: false, isPrimaryAssociation: true });
    expect(mine[3]).toMatchObject({ associationRemoved: true });
  });

  it('uses the generic form with objectTypeId 0-1 when asked', async () => {
    received.length = 0;
    sandbox.setWebhookTarget(target, { clientSecret: 's', appId: sandbox.appId, portalId: sandbox.portalId, format: 'generic', objects: ['contacts'] });
    const c = sandbox.store.createOf('contacts', { jobtitle: 'DSI' });
    sandbox.store.associate(c.id, sandbox.store.list()[4]!.id);
    sandbox.store.create({ name: 'Ignorée' });
    await sandbox.flushWebhooks();
    expect(received.map((e) => [e.subscriptionType, e.objectTypeId ?? `${String(e.fromObjectTypeId)}>${String(e.toObjectTypeId)}`])).toEqual([
      ['object.creation', '0-1'],
      ['object.associationChange', '0-1>0-2'],
    ]);
  });
});
