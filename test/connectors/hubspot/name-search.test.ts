/**
 * Record search by name (console): one CRM search call with a free-text `query` under the search budget,
 * payloads as the search guide shows them (nock), then the same method against the sandbox.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrmValidationError } from '../../../src/errors.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { fastConnector, redisConnector, testEnv, type RedisConnector } from './helpers.ts';

const API = 'https://api.hubapi.com';

describe('HubSpot searchByName (nock)', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('sends one search with the text as query, the name properties and the limit; maps companies', async () => {
    let sent: unknown;
    const scope = nock(API)
      .post('/crm/objects/2026-03/companies/search', (body: unknown) => {
        sent = body;
        return true;
      })
      .reply(200, {
        total: 2,
        results: [
          { id: '512', properties: { name: "L'Atelier 50%", domain: 'atelier.fr', hs_object_id: '512' }, createdAt: '2026-01-02T10:00:00Z', updatedAt: '2026-11-02T10:00:00Z', archived: false },
          { id: '513', properties: { name: null, domain: null, hs_object_id: '513' }, createdAt: '2026-01-02T10:00:00Z', updatedAt: '2026-11-02T10:00:00Z', archived: false },
        ],
      });
    const found = await fastConnector(testEnv()).searchByName?.('companies', "  L'Atelier 50%  ", 20);
    expect(sent).toEqual({ query: "L'Atelier 50%", properties: ['name', 'domain'], limit: 20, after: '0' });
    expect(found).toEqual([{ id: '512', name: "L'Atelier 50%", detail: 'atelier.fr' }, { id: '513', name: '513' }]);
    expect(scope.isDone()).toBe(true);
  });

  it('maps contacts to their full name, email and company', async () => {
    nock(API)
      .post('/crm/objects/2026-03/contacts/search', (b: { properties?: string[] }) => JSON.stringify(b.properties) === JSON.stringify(['firstname', 'lastname', 'email', 'company']))
      .reply(200, { total: 1, results: [{ id: '901', properties: { firstname: 'Camille', lastname: 'Durand', email: 'c.durand@acme.fr', company: 'Acme' } }] });
    expect(await fastConnector(testEnv()).searchByName?.('contacts', 'durand', 5)).toEqual([{ id: '901', name: 'Camille Durand', detail: 'c.durand@acme.fr · Acme' }]);
  });

  it('waits out a secondly 429 of the search limit, and refuses an object type it does not sync', async () => {
    nock(API)
      .post('/crm/objects/2026-03/companies/search')
      .reply(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', category: 'RATE_LIMITS', policyName: 'SECONDLY' })
      .post('/crm/objects/2026-03/companies/search')
      .reply(200, { total: 1, results: [{ id: '7', properties: { name: 'Acme' } }] });
    const connector = fastConnector(testEnv());
    expect(await connector.searchByName?.('companies', 'acme', 20)).toEqual([{ id: '7', name: 'Acme' }]);
    await expect(connector.searchByName?.('deals', 'acme', 20)).rejects.toBeInstanceOf(CrmValidationError);
  });

  it('sends nothing for a blank text', async () => {
    expect(await fastConnector(testEnv()).searchByName?.('companies', '   ', 20)).toEqual([]);
  });
});

describe('HubSpot searchByName (sandbox)', () => {
  let sandbox: HubSpotSandbox;
  let rc: RedisConnector;
  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ seed: 50, contactsPerCompany: 1 });
    sandbox.store.create({ name: 'Zephyr Logiciels', domain: 'zephyr-logiciels.fr' });
    rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url }));
  });
  afterAll(async () => {
    await rc.close();
    await sandbox.close();
  });

  it('finds a company by part of its name, case aside, within the limit', async () => {
    const found = await rc.connector.searchByName('companies', 'zephyr LOG', 20);
    expect(found).toEqual([expect.objectContaining({ name: 'Zephyr Logiciels', detail: 'zephyr-logiciels.fr' })]);
    const many = await rc.connector.searchByName('companies', 'a', 3);
    expect(many).toHaveLength(3);
  });

  it('finds a contact by last name', async () => {
    const someone = sandbox.store.listOf('contacts')[0];
    const last = String(someone?.properties['lastname'] ?? '');
    expect(last).not.toBe('');
    const found = await rc.connector.searchByName('contacts', last, 200);
    expect(found.map((f) => f.id)).toContain(someone?.id);
  });
});
