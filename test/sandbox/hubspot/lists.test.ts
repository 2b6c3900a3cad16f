/**
 * The sandbox's Lists API v3 through the real `@hubspot/api-client` (create, get by name, search,
 * rename, update filters, delete) and its refusals (duplicate name, unknown property, missing scope).
 */
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';

let sandbox: HubSpotSandbox;
let client: Client;

const tierBranch = (tier: string) => ({
  filterBranchType: 'OR',
  filterBranchOperator: 'OR',
  filters: [],
  filterBranches: [
    {
      filterBranchType: 'AND',
      filterBranchOperator: 'AND',
      filterBranches: [],
      filters: [{ filterType: 'PROPERTY', property: 'icp_tier', operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: [tier], includeObjectsWithNoValueSet: false } }],
    },
  ],
});

async function call(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? sandbox.accessToken}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ tokens: { 'no-lists': { scopes: ['crm.objects.companies.read'] } } });
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url });
  await client.crm.properties.coreApi.create('companies', {
    name: 'icp_tier',
    label: 'ICP tier',
    type: 'enumeration' as never,
    fieldType: 'select' as never,
    groupName: 'companyinformation',
    options: ['A', 'B', 'Premium'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })),
  });
});
afterAll(async () => {
  await sandbox.close();
});

describe('sandbox Lists API', () => {
  it('creates a DYNAMIC list, finds it by name and by search, renames it, updates its filters and deletes it', async () => {
    const created = await client.crm.lists.listsApi.create({ name: 'ICP · Tier A companies', objectTypeId: '0-2', processingType: 'DYNAMIC', filterBranch: tierBranch('A') as never });
    const id = created.list.listId;
    expect(created.list).toMatchObject({ name: 'ICP · Tier A companies', objectTypeId: '0-2', processingType: 'DYNAMIC', listVersion: 1 });

    const byName = await client.crm.lists.listsApi.getByName('ICP · Tier A companies', '0-2', true);
    expect(byName.list.listId).toBe(id);
    expect(JSON.stringify(byName.list.filterBranch)).toContain('"values":["A"]');

    const search = await client.crm.lists.listsApi.doSearch({ query: 'ICP ·', processingTypes: ['DYNAMIC'], count: 10, offset: 0 });
    expect(search.lists.map((l) => l.listId)).toEqual([id]);
    expect(search.total).toBe(1);

    const renamed = await client.crm.lists.listsApi.updateName(id, 'ICP · Tier Premium companies');
    expect(renamed.updatedList?.name).toBe('ICP · Tier Premium companies');
    const refiltered = await client.crm.lists.listsApi.updateListFilters(id, { filterBranch: tierBranch('Premium') as never });
    expect(JSON.stringify(refiltered.updatedList?.filterBranch)).toContain('"values":["Premium"]');
    expect(refiltered.updatedList?.listVersion).toBe(3);

    await client.crm.lists.listsApi.remove(id);
    expect((await call(`/crm/v3/lists/${id}`)).status).toBe(404);
  });

  it('serves the dated paths too, and hides filters unless asked', async () => {
    const res = await call('/crm/lists/2026-03', { method: 'POST', body: { name: 'dated', objectTypeId: '0-2', processingType: 'DYNAMIC', filterBranch: tierBranch('B') } });
    expect(res.status).toBe(200);
    const id = (res.body?.['list'] as { listId: string }).listId;
    const got = await call(`/crm/lists/2026-03/${id}`);
    expect(got.body?.['list']).not.toHaveProperty('filterBranch');
    expect((await call(`/crm/lists/2026-03/${id}?includeFilters=true`)).body?.['list']).toHaveProperty('filterBranch');
  });

  it('refuses a duplicate name (any object type), an unknown property, a bad root branch and a token without the lists scopes', async () => {
    const body = { name: 'Dup', objectTypeId: '0-2', processingType: 'DYNAMIC', filterBranch: tierBranch('A') };
    expect((await call('/crm/v3/lists', { method: 'POST', body })).status).toBe(200);
    const dup = await call('/crm/v3/lists', { method: 'POST', body: { ...body, name: 'dup', objectTypeId: '0-1', filterBranch: undefined, processingType: 'MANUAL' } });
    expect(dup.status).toBe(409);
    expect(dup.body?.['category']).toBe('CONFLICT');

    const unknown = JSON.parse(JSON.stringify(tierBranch('A')).replace('icp_tier', 'icp_nope')) as unknown;
    const res = await call('/crm/v3/lists', { method: 'POST', body: { ...body, name: 'Other', filterBranch: unknown } });
    expect(res.status).toBe(400);
    expect(String(res.body?.['message'])).toContain('icp_nope');

    const andRoot = { ...tierBranch('A'), filterBranchType: 'AND', filterBranchOperator: 'AND' };
    expect((await call('/crm/v3/lists', { method: 'POST', body: { ...body, name: 'Other', filterBranch: andRoot } })).status).toBe(400);

    const denied = await call('/crm/v3/lists/search', { method: 'POST', body: {}, token: 'no-lists' });
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).toContain('crm.lists.read');
  });
});
