/**
 * `icp-sync setup salesforce --remove` and the list views in `--check` (issue 11 item 7), against the sandbox:
 * every field, list view and the permission set icp-sync created go, and nothing else; `--check` shows the
 * views that exist, are missing or outdated, and what icp-sync created that the model no longer needs.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/context.ts';
import { runSetupCommand } from '../../../src/connectors/salesforce/setup-command.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';

const MODEL = `
version: "t-1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C, min: 0 }
criteria:
  - { id: sector, attribute: industry, weight: 2, tag: tech, match: { kind: category, values: { Technology: 1 } } }
  - { id: size, attribute: employees, weight: 1, tag: mid-market, match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }] } }
`;
const ROLES_MODEL = `${MODEL}
roles:
  list:
    - { id: decision_maker, label: Décideur, points: 1, required: true, titles: [dg, ceo] }
    - { id: buyer, label: Acheteur, points: 0.8, required: true, titles: [daf, achats] }
`;

function context(): CliContext & { out(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  return { stdout, stderr, exitCode: 0, out: () => text };
}

const KEYS = [
  'SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_USERNAME', 'SALESFORCE_PRIVATE_KEY_FILE',
  'SALESFORCE_OBJECTS', 'SALESFORCE_ORG_ID', 'SALESFORCE_WEBHOOK_TOKEN', 'SALESFORCE_INTEGRATION_USER_ID', 'ICP_MAPPINGS_PATH', 'LOG_LEVEL',
];

describe('icp-sync setup salesforce --remove and the list views of --check (sandbox)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-sf-remove-'));
  const modelPath = join(dir, 'icp.yaml');
  const rolesPath = join(dir, 'icp-roles.yaml');
  const keyPath = join(dir, 'server.key');
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  let sb: SalesforceSandbox;
  let account: string;

  beforeAll(async () => {
    writeFileSync(modelPath, MODEL);
    writeFileSync(rolesPath, ROLES_MODEL);
    writeFileSync(keyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    sb = await startSalesforceSandbox({ jwtPublicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    account = sb.store.seed({ accounts: 2, leads: 1, seed: 5 }).accounts[0] as string;
    Object.assign(process.env, {
      SALESFORCE_LOGIN_URL: sb.url,
      SALESFORCE_CLIENT_ID: 'sandbox-client-id',
      SALESFORCE_USERNAME: sb.store.integrationUsername,
      SALESFORCE_PRIVATE_KEY_FILE: keyPath,
      SALESFORCE_OBJECTS: 'Account,Lead',
      SALESFORCE_WEBHOOK_TOKEN: 'tok-123456',
      SALESFORCE_ORG_ID: sb.store.orgId,
      SALESFORCE_INTEGRATION_USER_ID: sb.store.integrationUserId,
      LOG_LEVEL: 'silent',
    });
    delete process.env.SALESFORCE_CLIENT_SECRET;
    delete process.env.ICP_MAPPINGS_PATH;
  });
  afterEach(() => undefined);
  afterAll(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await sb.close();
  });

  const run = async (options: { dryRun?: boolean; check?: boolean; remove?: boolean; model?: string }) => {
    const ctx = context();
    const code = await runSetupCommand({ dryRun: options.dryRun ?? false, check: options.check ?? false, ...(options.remove ? { remove: true } : {}), model: options.model ?? rolesPath }, ctx);
    return { code, out: ctx.out() };
  };

  it('--check lists the views that exist, are missing or outdated', async () => {
    expect((await run({})).code).toBe(0);
    const check = await run({ check: true });
    expect(check.code).toBe(0);
    for (const v of ['Account.ICP_Top_Tier', 'Lead.ICP_Top_Tier', 'Contact.ICP_Top_Priority', 'Lead.ICP_Top_Priority', 'Account.ICP_Incomplete_Committee']) {
      expect(check.out).toMatch(new RegExp(`ok  list view ${v.replace('.', '\\.')} \\(".*"\\) is up to date`));
    }
    sb.store.listViews.delete('Lead.ICP_Top_Tier');
    const view = sb.store.listViews.get('Account.ICP_Top_Tier');
    if (view) view.label = 'Renamed by hand';
    const after = await run({ check: true });
    expect(after.out).toContain('todo create list view Lead.ICP_Top_Tier');
    expect(after.out).toContain('todo update list view Account.ICP_Top_Tier');
    expect((await run({})).code).toBe(0);
  });

  it('--check notes what icp-sync created that the model no longer needs', async () => {
    const check = await run({ check: true, model: modelPath });
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/note list view Contact\.ICP_Top_Priority \(".*"\) was created by icp-sync and the current model no longer needs it/);
    expect(check.out).toContain('note list view Account.ICP_Incomplete_Committee');
    expect(check.out).toContain('note field Contact.ICP_Buying_Role__c was created by icp-sync and the current model no longer needs it');
    expect(check.out).toContain('note field Account.ICP_Committee_Coverage__c');
    expect(check.out).not.toContain('note field Account.ICP_Fit_Score__c');
  });

  it('--remove --dry-run lists everything icp-sync created and changes nothing', async () => {
    // Things of the admin's own, some with icp-sync's names or near them: never touched.
    sb.store.customFields.set('Account.Region__c', { fullName: 'Account.Region__c', label: 'Region', type: 'Text', length: 40 });
    // An output name on a field whose description is the admin's: not icp-sync's.
    const missingRoles = sb.store.customFields.get('Account.ICP_Missing_Roles__c');
    if (missingRoles) missingRoles.description = 'Sales ops: roles still to find';
    sb.store.listViews.set('Account.My_Accounts', { fullName: 'Account.My_Accounts', label: 'My accounts', filterScope: 'Mine', columns: ['ACCOUNT.NAME'], filters: [], sharedTo: {} });
    const fields = sb.store.customFields.size;
    const dry = await run({ remove: true, dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Salesforce remove (dry run: nothing is changed)');
    expect(dry.out).toMatch(/- would delete list view Account\.ICP_Top_Tier \(".*"\)/);
    expect(dry.out).toContain('- would delete permission set ICP_Sync');
    expect(dry.out).toMatch(/- would remove permission set ICP_Sync from its assignee/);
    expect(dry.out).toContain('- would delete field Contact.ICP_Buying_Role__c (Picklist)');
    expect(dry.out).not.toContain('Region__c');
    expect(dry.out).not.toContain('delete field Account.ICP_Missing_Roles__c');
    expect(dry.out).not.toContain('My_Accounts');
    expect(dry.out).toMatch(/Dry run: \d+ item\(s\) would be removed\./);
    expect(sb.store.customFields.size).toBe(fields);
    expect(sb.store.permissionSets.has('ICP_Sync')).toBe(true);
  });

  it('--remove deletes every field, list view and the permission set icp-sync created, and nothing else; a second run has nothing to do', async () => {
    sb.store.update('Account', account, { ICP_Fit_Score__c: 80 });
    const removed = await run({ remove: true });
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/Done: \d+ item\(s\) removed\./);
    expect(removed.out).toContain('= field Account.ICP_Missing_Roles__c kept: its description does not say icp-sync created it');
    expect([...sb.store.customFields.keys()].sort()).toEqual(['Account.ICP_Missing_Roles__c', 'Account.Region__c']);
    expect([...sb.store.listViews.keys()]).toEqual(['Account.My_Accounts']);
    expect(sb.store.permissionSets.has('ICP_Sync')).toBe(false);
    expect(sb.store.assignments.size).toBe(0);
    expect(sb.store.get('Account', account)).not.toHaveProperty('ICP_Fit_Score__c');

    const again = await run({ remove: true });
    expect(again.code).toBe(0);
    expect(again.out).toContain('Nothing to remove: Salesforce holds nothing icp-sync created.');
  });
});
