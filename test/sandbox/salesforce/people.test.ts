import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CrmRecord, SetupSpec } from '../../../src/connectors/port.ts';
import { CONTACT_ROLES_FIELD } from '../../../src/connectors/salesforce/contact-roles.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { salesforceWebhookRoutes } from '../../../src/connectors/salesforce/webhook-route.ts';
import { CrmValidationError } from '../../../src/errors.ts';
import type { RescoreRequest } from '../../../src/pipeline/requests.ts';
import { CONTACT_ROLE_VALUES, startSalesforceSandbox, type Row, type SalesforceSandbox, type SeededIds } from '../../../src/sandbox/salesforce/index.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from '../../connectors/salesforce/helpers.ts';

const PEOPLE: NonNullable<SetupSpec['people']> = {
  roles: [
    { id: 'decision_maker', label: 'Décideur' },
    { id: 'buyer', label: 'Acheteur' },
  ],
  priorityTiers: ['P1', 'P2', 'P3', 'P4', 'X'],
  committee: true,
};
const SPEC: SetupSpec = { tiers: ['A', 'B', 'C', 'D', 'X'], tags: ['saas'], people: PEOPLE };
const TOKEN = 'people-token-for-tests';

/** The roles of a Contact as the store holds them: live contact roles with a Role, by CreatedDate then Id. */
function expectedRoles(sb: SalesforceSandbox, contactId: string): string[] | null {
  const rows = [...sb.store.records.OpportunityContactRole.values()]
    .filter((r) => r.ContactId === contactId && r.IsDeleted !== true && r.Role !== null)
    .sort((a, b) => (String(a.CreatedDate) < String(b.CreatedDate) ? -1 : String(a.CreatedDate) > String(b.CreatedDate) ? 1 : a.Id < b.Id ? -1 : 1));
  const roles = [...new Set(rows.map((r) => String(r.Role)))];
  return roles.length === 0 ? null : roles;
}

describe('Salesforce people in the sandbox', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let ids: SeededIds;

  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    ids = sb.store.seed({ accounts: 300, leads: 40, seed: 21, people: true });
    const env = sandboxEnv(sb.url);
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
  });

  afterAll(async () => {
    await connector.close();
    await r.cleanup(prefix);
    await sb.close();
  });

  it('seeds realistic people deterministically', async () => {
    const other = await startSalesforceSandbox({ seed: { accounts: 300, leads: 40, seed: 21, people: true } });
    try {
      const strip = (rows: Iterable<Row>) => [...rows].map(({ CreatedDate: _c, LastModifiedDate: _l, SystemModstamp: _s, ...rest }) => rest);
      expect(strip(other.store.records.Contact.values())).toEqual(strip(sb.store.records.Contact.values()));
    } finally {
      await other.close();
    }
    const contacts = [...sb.store.records.Contact.values()];
    const perAccount = contacts.filter((c) => c.AccountId !== null).length / ids.accounts.length;
    expect(perAccount).toBeGreaterThan(2.5);
    expect(perAccount).toBeLessThan(3.5);
    expect(contacts.some((c) => c.AccountId === null)).toBe(true);
    const titles = new Set(contacts.map((c) => c.Title));
    for (const t of ['Directeur Général', 'DAF', 'DSI', 'CTO', 'Responsable achats', 'Développeur', 'Assistante de direction', 'Stagiaire']) expect(titles).toContain(t);
    expect([...titles].some((t) => typeof t === 'string' && t.startsWith('Head of'))).toBe(true);
    expect([...sb.store.records.Lead.values()].filter((l) => typeof l.Title === 'string').length).toBeGreaterThan(30);
    const roles = [...sb.store.records.OpportunityContactRole.values()];
    expect(roles.length).toBeGreaterThan(50);
    for (const role of roles) expect(role.Role === null || CONTACT_ROLE_VALUES.includes(String(role.Role))).toBe(true);
    for (const opp of sb.store.records.Opportunity.values()) expect(opp.IsWon === true).toBe(opp.StageName === 'Closed Won');
  });

  it('checks required fields, picklists and lookups as Salesforce does', () => {
    const contact = ids.contacts[0] as string;
    const opportunity = ids.opportunities[0] as string;
    expect(() => sb.store.create('Contact', { FirstName: 'Zoé' })).toThrow(/REQUIRED_FIELD_MISSING/);
    expect(() => sb.store.create('OpportunityContactRole', { ContactId: contact, OpportunityId: opportunity, Role: 'Décideur' })).toThrow(/RESTRICTED_PICKLIST/);
    expect(() => sb.store.create('OpportunityContactRole', { ContactId: ids.accounts[0], OpportunityId: opportunity })).toThrow(/FIELD_INTEGRITY_EXCEPTION/);
    expect(() => sb.store.create('Opportunity', { Name: 'x', StageName: 'Won', CloseDate: '2026-12-01' })).toThrow(/RESTRICTED_PICKLIST/);
  });

  it('sets up the person fields, the committee fields and the reads people need; a second run changes nothing', async () => {
    const dry = await connector.setup(SPEC, { dryRun: true });
    expect(dry.changed.some((l) => l.startsWith('Contact.ICP_Buying_Role__c would be created (Picklist: decision_maker (Décideur), buyer (Acheteur), none)'))).toBe(true);
    expect(sb.store.customFields.size).toBe(0);

    const first = await connector.setup(SPEC);
    expect(first.problems).toEqual([]);
    const contactFields = [...sb.store.customFields.keys()].filter((k) => k.startsWith('Contact.')).sort();
    expect(contactFields).toEqual(
      ['ICP_Account_Tier__c', 'ICP_Buying_Role__c', 'ICP_Model_Version__c', 'ICP_Priority_Score__c', 'ICP_Priority_Tier__c', 'ICP_Scored_At__c'].map((f) => `Contact.${f}`),
    );
    expect(sb.store.customFields.get('Contact.ICP_Buying_Role__c')?.valueSet?.values.map((v) => [v.fullName, v.label])).toEqual([
      ['decision_maker', 'Décideur'],
      ['buyer', 'Acheteur'],
      ['none', 'none'],
    ]);
    expect(sb.store.customFields.get('Contact.ICP_Priority_Score__c')).toMatchObject({ type: 'Number', precision: 3, scale: 0 });
    expect(sb.store.customFields.get('Lead.ICP_Priority_Tier__c')?.valueSet?.values.map((v) => v.fullName)).toEqual(PEOPLE.priorityTiers);
    expect(sb.store.customFields.has('Lead.ICP_Account_Tier__c')).toBe(false);
    expect(sb.store.customFields.get('Account.ICP_Committee_Coverage__c')).toMatchObject({ type: 'Percent', precision: 3, scale: 0 });
    expect(sb.store.customFields.get('Account.ICP_Missing_Roles__c')).toMatchObject({ type: 'Text', length: 255 });
    const ps = sb.store.permissionSetByName('ICP_Sync');
    expect(ps?.fieldPermissions).toEqual(
      expect.arrayContaining([
        { field: 'Contact.Title', readable: true, editable: false },
        { field: 'Contact.AccountId', readable: true, editable: false },
        { field: 'OpportunityContactRole.Role', readable: true, editable: false },
        { field: 'Contact.ICP_Buying_Role__c', readable: true, editable: true },
      ]),
    );
    expect(ps?.objectPermissions.map((o) => [o.object, o.allowRead, o.allowEdit])).toEqual([
      ['Contact', true, true],
      ['Opportunity', true, false],
    ]);

    sb.resetStats();
    const second = await connector.setup(SPEC);
    expect(second.changed).toEqual([]);
    expect(second.problems).toEqual([]);
    expect(sb.stats()['metadata.upsertMetadata']).toBeUndefined();

    const more = await connector.setup({ ...SPEC, people: { ...PEOPLE, roles: [...PEOPLE.roles, { id: 'user', label: 'Utilisateur' }] } });
    expect(more.changed).toEqual(expect.arrayContaining([expect.stringContaining('Contact.ICP_Buying_Role__c updated: add values user')]));
  });

  it('without people in the spec, setup neither creates nor changes anything of people', async () => {
    const other = await startSalesforceSandbox();
    const env = sandboxEnv(other.url);
    const rr = testRedis();
    const c = createSalesforceConnector({ env, redis: rr.redis, logger: quietLogger() }, FAST);
    try {
      const report = await c.setup({ tiers: SPEC.tiers, tags: SPEC.tags });
      expect(report.problems).toEqual([]);
      expect([...other.store.customFields.keys()].filter((k) => k.startsWith('Contact.') || /Buying|Priority|Committee|Missing/.test(k))).toEqual([]);
      expect(other.store.permissionSetByName('ICP_Sync')?.objectPermissions).toEqual([]);
    } finally {
      await rr.cleanup(env.REDIS_PREFIX);
      await other.close();
    }
  });

  it('reads 200 Contacts by id in one retrieve and one contact-role query, with accounts and roles', async () => {
    const batch = ids.contacts.slice(0, 200);
    await connector.readByIds('Contact', batch.slice(0, 1), ['Title']); // describe cached
    sb.resetStats();
    const records = await connector.readByIds('Contact', batch, ['Title', CONTACT_ROLES_FIELD]);
    expect(sb.stats()).toEqual({ 'composite.retrieve': 1, query: 1 });
    expect(records.map((x) => x.id)).toEqual(batch);
    for (const rec of records) {
      const row = sb.store.get('Contact', rec.id) as Row;
      expect(rec.accountId).toBe(row.AccountId ?? null);
      expect(rec.fields.Title).toBe(row.Title ?? null);
      expect(rec.fields[CONTACT_ROLES_FIELD]).toEqual(expectedRoles(sb, rec.id));
    }
    expect(records.some((x) => Array.isArray(x.fields[CONTACT_ROLES_FIELD]))).toBe(true);
    expect(records.some((x) => x.accountId === null)).toBe(true);
  });

  it('lists every Contact once with its roles', async () => {
    const seen = new Map<string, CrmRecord>();
    let cursor: string | undefined;
    sb.resetStats();
    do {
      const page = await connector.listAll('Contact', ['Title', CONTACT_ROLES_FIELD], cursor);
      for (const rec of page.records) {
        expect(seen.has(rec.id)).toBe(false);
        seen.set(rec.id, rec);
      }
      cursor = page.next;
    } while (cursor !== undefined);
    expect(seen.size).toBe(ids.contacts.length);
    for (const id of ids.contacts.slice(0, 300)) expect(seen.get(id)?.fields[CONTACT_ROLES_FIELD]).toEqual(expectedRoles(sb, id));
    // One page of up to 2,000 Contacts, its roles in as many queries as the URI budget needs (about 450 ids each).
    const pages = sb.stats().queryMore ?? 0;
    expect(sb.stats().query).toBe(1 + Math.ceil(Math.min(2000, ids.contacts.length) / 450) + (pages > 0 ? Math.ceil((ids.contacts.length - 2000) / 450) : 0));
  });

  it('lists Contacts whose contact roles changed since (added, edited, deleted) with their own changes, each once', async () => {
    const start = await connector.listModifiedSince('Contact', ['Title'], new Date(Date.now() - 3600_000).toISOString());
    expect(start.records).toEqual([]);
    // SystemModstamp has whole seconds: a bound on a second boundary, a second back.
    const since = new Date(Math.floor(sb.store.now() / 1000) * 1000 - 1000).toISOString();
    const [c1, c2, c3, c4] = ids.contacts;
    const opp = ids.opportunities[0] as string;
    const roleOf = (contact: string) => [...sb.store.records.OpportunityContactRole.values()].find((x) => x.ContactId === contact && x.IsDeleted !== true)?.Id;
    sb.store.create('OpportunityContactRole', { ContactId: c1, OpportunityId: opp, Role: 'Economic Buyer' });
    const existing = roleOf(ids.contacts.find((c) => roleOf(c) !== undefined && c !== c1) as string) as string;
    const c5 = sb.store.get('OpportunityContactRole', existing)?.ContactId as string;
    sb.store.update('OpportunityContactRole', existing, { Role: 'Technical Buyer' });
    const toDelete = ids.contactRoles.find((id) => {
      const row = sb.store.get('OpportunityContactRole', id);
      return row !== undefined && row.ContactId !== c5 && row.ContactId !== c1;
    }) as string;
    const c6 = sb.store.get('OpportunityContactRole', toDelete)?.ContactId as string;
    sb.store.delete('OpportunityContactRole', toDelete);
    sb.store.update('Contact', c2 as string, { Title: 'Directrice Générale' });
    // A role added to a Contact that also changed itself: listed once.
    sb.store.create('OpportunityContactRole', { ContactId: c2, OpportunityId: opp, Role: 'Decision Maker' });
    expect(c3 && c4).toBeTruthy();

    const listed: CrmRecord[] = [];
    let cursor: string | undefined;
    let watermark: string | undefined;
    do {
      const page = await connector.listModifiedSince('Contact', ['Title', CONTACT_ROLES_FIELD], since, cursor);
      listed.push(...page.records);
      watermark = page.watermark ?? watermark;
      cursor = page.next;
    } while (cursor !== undefined);
    const listedIds = listed.map((x) => x.id);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(listedIds.sort()).toEqual([c1, c2, c5, c6].sort());
    expect(listed.find((x) => x.id === c1)?.fields[CONTACT_ROLES_FIELD]).toEqual(expectedRoles(sb, c1 as string));
    expect(listed.find((x) => x.id === c5)?.fields[CONTACT_ROLES_FIELD]).toContain('Technical Buyer');
    expect(listed.find((x) => x.id === c6)?.fields[CONTACT_ROLES_FIELD]).toEqual(expectedRoles(sb, c6));
    expect(watermark).toBeDefined();
    expect(Date.parse(watermark as string)).toBeGreaterThanOrEqual(Date.parse(since));
  });

  it('writes Contact person fields in collections of 200 and refuses values outside the picklists', async () => {
    const batch = ids.contacts.slice(0, 250);
    const fields = { ICP_Buying_Role__c: 'buyer', ICP_Priority_Score__c: 72, ICP_Priority_Tier__c: 'P1', ICP_Account_Tier__c: 'A', ICP_Model_Version__c: 'm-1', ICP_Scored_At__c: '2026-12-05T06:00:00.000Z' };
    sb.resetStats();
    const outcome = await connector.writeChanges('Contact', [
      ...batch.map((id) => ({ id, fields })),
      { id: ids.contacts[260] as string, fields: { ICP_Buying_Role__c: 'Décideur' } },
    ]);
    expect(outcome.written).toHaveLength(250);
    expect(outcome.failed.map((f) => [f.id, f.code])).toEqual([[ids.contacts[260], 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']]);
    expect(outcome.calls).toBe(2);
    expect(sb.stats()['composite.update']).toBe(2);
    const [back] = await connector.readByIds('Contact', [batch[0] as string], Object.keys(fields));
    expect(back?.fields).toMatchObject({ ICP_Buying_Role__c: 'buyer', ICP_Priority_Score__c: 72, ICP_Priority_Tier__c: 'P1' });
    const cleared = await connector.writeChanges('Contact', [{ id: batch[1] as string, fields: { ICP_Priority_Score__c: null, ICP_Priority_Tier__c: null, ICP_Account_Tier__c: null } }]);
    expect(cleared.failed).toEqual([]);
    expect(sb.store.get('Contact', batch[1] as string)?.ICP_Priority_Score__c).toBeNull();
  });

  it('writes a large Contact change set through Bulk API 2.0 in bulk mode', async () => {
    const env = sandboxEnv(sb.url, { SALESFORCE_BULK_THRESHOLD: '100' });
    const rr = testRedis();
    const bulky = createSalesforceConnector({ env, redis: rr.redis, logger: quietLogger() }, FAST);
    try {
      const batch = ids.contacts.slice(300, 600);
      sb.resetStats();
      const outcome = await bulky.writeChanges('Contact', batch.map((id) => ({ id, fields: { ICP_Buying_Role__c: 'decision_maker', ICP_Priority_Score__c: 55 } })), { mode: 'bulk' });
      expect(outcome.failed).toEqual([]);
      expect(outcome.written).toHaveLength(300);
      expect(sb.stats()['bulk.create']).toBe(1);
      expect(sb.stats()['composite.update']).toBeUndefined();
      expect(sb.store.get('Contact', batch[299] as string)).toMatchObject({ ICP_Buying_Role__c: 'decision_maker', ICP_Priority_Score__c: 55 });
    } finally {
      await rr.cleanup(env.REDIS_PREFIX);
    }
  });

  it('lists deleted Contacts through getDeleted, their contact roles deleted with them', async () => {
    const contact = ids.contacts.find((c) => [...sb.store.records.OpportunityContactRole.values()].some((x) => x.ContactId === c && x.IsDeleted !== true)) as string;
    const since = new Date(Date.now() - 10 * 60_000).toISOString();
    expect((await connector.listDeletedSince('Contact', since)).ids).toEqual([]);
    sb.store.delete('Contact', contact);
    expect([...sb.store.records.OpportunityContactRole.values()].filter((x) => x.ContactId === contact).every((x) => x.IsDeleted === true)).toBe(true);
    // getDeleted counts whole minutes: this deletion is in the current one, covered from the next.
    expect((await connector.listDeletedSince('Contact', since)).ids).toEqual([]);
    for (const d of sb.store.deleteLog.get('Contact') ?? []) d.at -= 2 * 60_000;
    const deleted = await connector.listDeletedSince('Contact', since);
    expect(deleted.ids).toEqual([contact]);
    expect(Date.parse(deleted.watermark)).toBeGreaterThan(Date.parse(since));
    expect(await connector.readByIds('Contact', [contact], ['Title'])).toEqual([]);
    // 15 days back at most: an older bound is moved up rather than refused.
    expect((await connector.listDeletedSince('Contact', '2020-01-01T00:00:00Z')).ids).toEqual([contact]);
  });

  it('answers the SOQL the connector sends: IN lists, != null, queryAll with the recycle bin; no child sub-queries', async () => {
    const rows = z.object({ totalSize: z.number(), records: z.array(z.looseObject({ Role: z.string().nullish(), IsDeleted: z.boolean().optional() })) });
    const q = (resource: string, soql: string) => connector.client.rest('test', { method: 'GET', url: `/${resource}?q=${encodeURIComponent(soql)}` }, rows);
    const contact = ids.contacts.find((c) => [...sb.store.records.OpportunityContactRole.values()].some((x) => x.ContactId === c && x.IsDeleted !== true)) as string;
    const all = await q('query', `SELECT ContactId, Role FROM OpportunityContactRole WHERE ContactId IN ('${contact}') ORDER BY CreatedDate ASC, Id ASC`);
    const withRole = await q('query', `SELECT ContactId, Role FROM OpportunityContactRole WHERE ContactId IN ('${contact}') AND Role != null`);
    expect(withRole.records.every((x) => x.Role !== null)).toBe(true);
    expect(withRole.totalSize).toBeLessThanOrEqual(all.totalSize);
    const role = [...sb.store.records.OpportunityContactRole.values()].find((x) => x.ContactId === contact && x.IsDeleted !== true) as Row;
    sb.store.delete('OpportunityContactRole', role.Id);
    const live = await q('query', `SELECT Id, IsDeleted FROM OpportunityContactRole WHERE Id = '${role.Id}'`);
    const bin = await q('queryAll', `SELECT Id, IsDeleted FROM OpportunityContactRole WHERE Id = '${role.Id}'`);
    expect(live.totalSize).toBe(0);
    expect(bin.records.map((x) => x.IsDeleted)).toEqual([true]);
    // Parent fields (Account.Name) are answered since the deals work; child sub-queries are not.
    const err = await q('query', 'SELECT Id, (SELECT Id FROM OpportunityContactRoles) FROM Contact').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmValidationError);
    expect((err as CrmValidationError).vendorCode).toBe('MALFORMED_QUERY');
  });

  it('sends outbound messages for Contact creations and Title or AccountId changes, queued as Contact rescores', async () => {
    const env = sandboxEnv(sb.url, { SALESFORCE_ORG_ID: sb.store.orgId, SALESFORCE_WEBHOOK_TOKEN: TOKEN });
    const received: RescoreRequest[] = [];
    const app: FastifyInstance = Fastify();
    await app.register(salesforceWebhookRoutes, {
      env,
      producer: { enqueue: async (reqs) => void received.push(...reqs) },
      integrationUserId: sb.store.integrationUserId,
      logger: quietLogger(),
      syncContacts: true,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    sb.setOutboundTarget(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/salesforce`, { token: TOKEN });
    try {
      const [a, b, c] = ids.contacts.slice(10, 13) as [string, string, string];
      sb.store.update('Contact', a, { Title: 'Head of Procurement' });
      sb.store.update('Contact', b, { AccountId: ids.accounts[5] });
      sb.store.update('Contact', c, { FirstName: 'Maël' });
      const created = sb.store.create('Contact', { LastName: 'Nouveau', Title: 'DSI', AccountId: ids.accounts[6] });
      await sb.waitForOutbound();
      // The integration user's own writes are not sent back as work (and ICP fields are no flow input).
      await connector.writeChanges('Contact', [{ id: a, fields: { ICP_Buying_Role__c: 'buyer' } }]);
      await sb.waitForOutbound();
      expect(received.map((x) => [x.objectType, x.id]).sort()).toEqual([['Contact', a], ['Contact', b], ['Contact', created]].sort());
      expect(received.every((x) => x.crm === 'salesforce' && x.trigger === 'webhook')).toBe(true);
    } finally {
      sb.setOutboundTarget(undefined);
      await app.close();
    }
  });
});
