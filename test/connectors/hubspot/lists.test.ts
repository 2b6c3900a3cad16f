/**
 * `icp-sync setup hubspot` and the ICP active lists, end to end through the CLI against the sandbox with a
 * real Redis (the list registry): created once, unchanged on a second run, renamed and refiltered with the
 * model's tiers, lists icp-sync did not create left alone; `--check`; `--remove` and its dry run.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { parse } from 'yaml';
import { testEnv } from './helpers.ts';

const ROLES_MODEL = 'test/fixtures/cli/roles-model.yaml';
let sandbox: HubSpotSandbox;
let dir: string;
const saved = { ...process.env };
const PREFIX = testEnv().REDIS_PREFIX;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString()));
  stderr.on('data', (c: Buffer) => (e += c.toString()));
  const code = await main(args, { stdout, stderr });
  return { code, stdout: o, stderr: e };
}

/** The example model without its buying roles (it ships with them), as a file; returns its path. */
async function accountsOnlyModel(): Promise<string> {
  const { roles: _roles, priorityTiers: _tiers, ...accountsOnly } = parse(await readFile('config/icp.example.yaml', 'utf8')) as Record<string, unknown>;
  const path = join(dir, 'accounts-only.json');
  await writeFile(path, JSON.stringify(accountsOnly));
  return path;
}

const listNames = () => [...sandbox.store.lists.byId.values()].map((l) => l.name).sort();
const listWrites = () => Object.entries(sandbox.store.stats().byRoute).filter(([route]) => /^lists\.(create|update|delete)/.test(route));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-lists-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  const r = new Redis(saved.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await r.keys(`${PREFIX}*`);
  if (keys.length > 0) await r.del(...keys);
  await r.quit();
});

let run = 0;
beforeEach(async () => {
  sandbox = await startHubSpotSandbox({ seed: 2 });
  run += 1;
  Object.assign(process.env, {
    HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
    HUBSPOT_BASE_URL: sandbox.url,
    // One registry and one rate-limit window per test: each test has a fresh portal.
    HUBSPOT_PORTAL_ID: `portal-${run}`,
    REDIS_PREFIX: `${PREFIX}-${run}`,
    ICP_MODEL_PATH: ROLES_MODEL,
    ICP_MAPPINGS_PATH: 'config/mappings.yaml',
    LOG_LEVEL: 'silent',
  });
});
afterEach(async () => {
  process.env = { ...saved };
  await sandbox.close();
});

describe('setup hubspot: ICP active lists', () => {
  it('creates the three lists once, with the expected filters, and changes nothing on a second run', async () => {
    const dry = await cli(['setup', 'hubspot', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would create active list "ICP · Tier A companies" (companies)');
    expect(dry.stdout).toContain('would create active list "ICP · P1 contacts" (contacts)');
    expect(dry.stdout).toContain('would create active list "ICP · Tier A with an incomplete buying committee" (companies)');
    expect(listNames()).toEqual([]);

    const first = await cli(['setup', 'hubspot']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(listNames()).toEqual(['ICP · P1 contacts', 'ICP · Tier A companies', 'ICP · Tier A with an incomplete buying committee']);
    const committee = sandbox.store.lists.byName('ICP · Tier A with an incomplete buying committee');
    expect(committee?.processingType).toBe('DYNAMIC');
    expect(committee?.objectTypeId).toBe('0-2');
    expect(committee?.filterBranch?.filterBranches[0]?.filters.map((f) => [f.property, f.operation])).toEqual([
      ['icp_tier', { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: ['A'], includeObjectsWithNoValueSet: false }],
      ['icp_committee_coverage', { operationType: 'NUMBER', operator: 'IS_LESS_THAN', value: 100, includeObjectsWithNoValueSet: false }],
    ]);
    expect(sandbox.store.lists.byName('ICP · P1 contacts')?.filterBranch?.filterBranches[0]?.filters[0]?.property).toBe('icp_priority_tier');

    sandbox.store.resetStats();
    const second = await cli(['setup', 'hubspot']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to change');
    expect(second.stdout).toContain('= list "ICP · Tier A companies" is up to date');
    expect(listWrites()).toEqual([]);
    // A second run costs one GET per list.
    expect(sandbox.store.stats().byRoute['lists.get']).toBe(3);
    expect(sandbox.store.stats().byRoute['lists.getByName']).toBeUndefined();

    const check = await cli(['setup', 'hubspot', '--check']);
    expect(check.code).toBe(0);
    expect(check.stdout).not.toContain('todo');
    expect(check.stdout).toContain('ok  list "ICP · P1 contacts" is up to date');
  });

  it('renames and refilters its lists when the top tiers are renamed, and --check shows it first', async () => {
    expect((await cli(['setup', 'hubspot'])).code).toBe(0);
    const ids = [...sandbox.store.lists.byId.keys()].sort();
    const renamed = join(dir, 'renamed.yaml');
    const text = await readFile(ROLES_MODEL, 'utf8');
    await writeFile(renamed, text.replace('{ name: A, min: 70', '{ name: Premium, min: 70').replace('{ name: P1, min: 60 }', '{ name: Top, min: 60 }'));

    const check = await cli(['setup', 'hubspot', '--check', '--model', renamed]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('todo rename list "ICP · Tier A companies" → "ICP · Tier Premium companies" (run setup hubspot)');
    expect(check.stdout).toContain('todo update the filters of list "ICP · Tier Premium companies"');

    const res = await cli(['setup', 'hubspot', '--model', renamed]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('+ rename list "ICP · P1 contacts" → "ICP · Top contacts"');
    expect(res.stdout).toContain('+ update the filters of list "ICP · Tier Premium with an incomplete buying committee"');
    expect([...sandbox.store.lists.byId.keys()].sort()).toEqual(ids);
    expect(listNames()).toEqual(['ICP · Tier Premium companies', 'ICP · Tier Premium with an incomplete buying committee', 'ICP · Top contacts']);
    const values = sandbox.store.lists.byName('ICP · Tier Premium companies')?.filterBranch?.filterBranches[0]?.filters[0]?.operation;
    expect(values).toMatchObject({ values: ['Premium'] });

    sandbox.store.resetStats();
    expect((await cli(['setup', 'hubspot', '--model', renamed])).stdout).toContain('Nothing to change');
    expect(listWrites()).toEqual([]);
  });

  it('never touches a list it did not create, even one with a wanted name', async () => {
    const theirs = sandbox.store.lists.create({ name: 'ICP · Tier A companies', objectTypeId: '0-2', processingType: 'MANUAL' });
    const res = await cli(['setup', 'hubspot']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`a list named "ICP · Tier A companies" (id ${theirs.listId}) exists that icp-sync did not create`);
    expect(sandbox.store.lists.byId.get(theirs.listId)).toMatchObject({ name: 'ICP · Tier A companies', processingType: 'MANUAL', listVersion: 1 });
    // The other two are created all the same.
    expect(listNames()).toHaveLength(3);
  });

  it('creates only the enabled views, with the names from the mappings', async () => {
    const mappings = join(dir, 'mappings.yaml');
    await writeFile(mappings, 'views:\n  topPriorityContacts: false\n  topTierCompanies: { name: "Cœur de cible ({tier})" }\n');
    process.env.ICP_MAPPINGS_PATH = mappings;
    const res = await cli(['setup', 'hubspot']);
    expect(res.code).toBe(0);
    expect(listNames()).toEqual(['Cœur de cible (A)', 'ICP · Tier A with an incomplete buying committee']);
  });

  it('makes only the top-tier list for a model without roles', async () => {
    const res = await cli(['setup', 'hubspot', '--model', await accountsOnlyModel()]);
    expect(res.code).toBe(0);
    expect(listNames()).toHaveLength(1);
    expect(listNames()[0]).toMatch(/^ICP · Tier .+ companies$/);
  });
});

describe('setup hubspot --check', () => {
  it('shows what is missing, what exists and what the current model no longer needs, without failing', async () => {
    const before = await cli(['setup', 'hubspot', '--check']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('todo create property group icp_sync');
    expect(before.stdout).toContain('todo create property icp_buying_role on contacts');
    expect(before.stdout).toContain('todo create active list "ICP · P1 contacts" (contacts) (run setup hubspot)');
    expect(sandbox.store.properties.has('icp_fit_score')).toBe(false);

    expect((await cli(['setup', 'hubspot'])).code).toBe(0);
    const after = await cli(['setup', 'hubspot', '--check', '--model', await accountsOnlyModel()]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('note property icp_buying_role on contacts was created by icp-sync and the current model no longer needs it');
    expect(after.stdout).toContain('note property icp_committee_coverage on companies was created by icp-sync');
    expect(after.stdout).toContain('list "ICP · P1 contacts" (id');
    expect(after.stdout).toContain('is no longer needed');
    expect(after.stdout).toContain('ok  property icp_fit_score exists');
  });
});

describe('setup hubspot --remove', () => {
  it('removes every list, property and group icp-sync created, and nothing else', async () => {
    expect((await cli(['setup', 'hubspot'])).code).toBe(0);
    const userList = sandbox.store.lists.create({ name: 'ICP · my own list', objectTypeId: '0-2', processingType: 'MANUAL' });
    // A property someone added to our group, and one named like an output but in another group.
    sandbox.store.contactProperties.set('icp_note', { ...sandbox.store.contactProperties.get('icp_model_version')!, name: 'icp_note' });
    sandbox.store.properties.set('icp_missing_roles', { ...sandbox.store.properties.get('icp_missing_roles')!, groupName: 'companyinformation' });

    const dry = await cli(['setup', 'hubspot', '--remove', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('- would delete list "ICP · Tier A companies"');
    expect(dry.stdout).toContain('- would delete property icp_fit_score on companies');
    expect(dry.stdout).toContain('- would delete property group icp_sync on companies');
    expect(listNames()).toHaveLength(4);
    expect(sandbox.store.properties.has('icp_fit_score')).toBe(true);

    const res = await cli(['setup', 'hubspot', '--remove']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('- delete list "ICP · P1 contacts"');
    expect(res.stdout).toContain('- delete property icp_buying_role on contacts');
    expect(res.stdout).toContain('= property icp_missing_roles on companies kept: it is in group companyinformation');
    expect(res.stdout).toContain('= property group icp_sync on contacts kept: it holds 1 property icp-sync did not create (icp_note)');
    expect(listNames()).toEqual(['ICP · my own list']);
    expect(sandbox.store.lists.byId.get(userList.listId)?.listVersion).toBe(1);
    for (const name of ['icp_fit_score', 'icp_tier', 'icp_tags', 'icp_committee_coverage']) expect(sandbox.store.properties.has(name), name).toBe(false);
    expect(sandbox.store.properties.has('icp_missing_roles')).toBe(true);
    expect(sandbox.store.properties.has('name')).toBe(true);
    expect(sandbox.store.groups.has('icp_sync')).toBe(false);
    expect(sandbox.store.contactGroups.has('icp_sync')).toBe(true);
    expect(sandbox.store.contactProperties.has('icp_note')).toBe(true);
    expect(sandbox.store.contactProperties.has('icp_priority_tier')).toBe(false);

    const again = await cli(['setup', 'hubspot', '--remove']);
    expect(again.stdout).toContain('Nothing to remove');
  });

  it('refuses --remove with --check', async () => {
    expect((await cli(['setup', 'hubspot', '--remove', '--check'])).code).toBe(2);
  });
});
