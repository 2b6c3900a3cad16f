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
  - { id: industry, attribute: industry, weight: 2, tag: tech, match: { kind: category, values: { technology: 1 } } }
  - { id: size, attribute: employees, weight: 1, tag: mid-market, match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }] } }
`;

/** The same model with buying roles (PRODUCT.md §2): two required roles, default priority tiers. */
const ROLES_MODEL = `${MODEL}
roles:
  list:
    - { id: decision_maker, label: Décideur, points: 1, required: true, titles: [dg, ceo], salesforce: [Decision Maker] }
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

describe('icp-sync setup salesforce (against the sandbox)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-sf-setup-'));
  const modelPath = join(dir, 'icp.yaml');
  const keyPath = join(dir, 'server.key');
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let sb: SalesforceSandbox;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    writeFileSync(modelPath, MODEL);
    writeFileSync(keyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    sb = await startSalesforceSandbox({ jwtPublicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  });
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  afterAll(async () => {
    await sb.close();
  });

  const useEnv = (extra: Record<string, string>) => {
    Object.assign(process.env, {
      SALESFORCE_LOGIN_URL: sb.url,
      SALESFORCE_CLIENT_ID: 'sandbox-client-id',
      SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
      SALESFORCE_OBJECTS: 'Account,Lead',
      LOG_LEVEL: 'silent',
      ...extra,
    });
    delete process.env.ICP_MAPPINGS_PATH;
    delete process.env.SALESFORCE_USERNAME;
    delete process.env.SALESFORCE_PRIVATE_KEY_FILE;
    if (extra.SALESFORCE_USERNAME) {
      process.env.SALESFORCE_USERNAME = extra.SALESFORCE_USERNAME;
      process.env.SALESFORCE_PRIVATE_KEY_FILE = keyPath;
    }
  };

  it('--check says a bad client id in plain words', async () => {
    useEnv({ SALESFORCE_CLIENT_ID: 'nope' });
    const ctx = context();
    expect(await runSetupCommand({ dryRun: false, check: true }, ctx)).toBe(1);
    expect(ctx.out()).toContain('Salesforce does not know this client id');
  });

  it('--check says when the JWT user is not pre-authorised', async () => {
    const other = await startSalesforceSandbox({ jwtPublicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), preAuthorized: false });
    try {
      useEnv({ SALESFORCE_LOGIN_URL: other.url, SALESFORCE_USERNAME: other.store.integrationUsername });
      const ctx = context();
      expect(await runSetupCommand({ dryRun: false, check: true }, ctx)).toBe(1);
      expect(ctx.out()).toContain('is not pre-authorised for the app');
    } finally {
      await other.close();
    }
  });

  it('--check names invisible fields and a missing Metadata API permission', async () => {
    useEnv({ SALESFORCE_USERNAME: sb.store.integrationUsername });
    sb.store.metadataAccess = false;
    const ctx = context();
    expect(await runSetupCommand({ dryRun: false, check: true }, ctx)).toBe(1);
    sb.store.metadataAccess = true;
    expect(ctx.out()).toContain('authenticated (jwt bearer flow)');
    expect(ctx.out()).toMatch(/Account: ICP_Fit_Score__c, .* not visible to the integration user/);
    expect(ctx.out()).toContain('cannot use the Metadata API');
  });

  it('dry run changes nothing; setup twice: the second run changes nothing; then --check passes', async () => {
    useEnv({ SALESFORCE_WEBHOOK_TOKEN: 'tok-123456', SALESFORCE_ORG_ID: sb.store.orgId, SALESFORCE_INTEGRATION_USER_ID: sb.store.integrationUserId });
    const dry = context();
    expect(await runSetupCommand({ dryRun: true, check: false, model: modelPath }, dry)).toBe(0);
    expect(dry.out()).toContain('~ Account.ICP_Tier__c would be created (Picklist: A, B, C, X)');
    expect(sb.store.customFields.size).toBe(0);

    const first = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: modelPath }, first)).toBe(0);
    expect(first.out()).toContain('+ Lead.ICP_Tags__c created (MultiselectPicklist: tech, mid_market (mid-market))');
    expect(first.out()).toContain('assigned to the integration user');

    const second = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: modelPath }, second)).toBe(0);
    expect(second.out()).toContain('Nothing to change.');
    expect(second.out()).not.toMatch(/^\s+\+/m);

    const check = context();
    expect(await runSetupCommand({ dryRun: false, check: true, model: modelPath }, check)).toBe(0);
    expect(check.out()).toContain('Lead: all 7 ICP fields are visible and editable');
    expect(check.out()).not.toContain('FIX');
  });

  it('with roles in the model, adds the people fields and permissions on top, once', async () => {
    const rolesPath = join(dir, 'icp-roles.yaml');
    writeFileSync(rolesPath, ROLES_MODEL);
    useEnv({ SALESFORCE_WEBHOOK_TOKEN: 'tok-123456', SALESFORCE_ORG_ID: sb.store.orgId, SALESFORCE_INTEGRATION_USER_ID: sb.store.integrationUserId });
    const dry = context();
    expect(await runSetupCommand({ dryRun: true, check: false, model: rolesPath }, dry)).toBe(0);
    expect(dry.out()).toContain('for Account, Lead, Contact');
    expect(dry.out()).toContain('~ Contact.ICP_Buying_Role__c would be created (Picklist: decision_maker (Décideur), buyer (Acheteur), none)');
    expect(dry.out()).toContain('~ Contact.ICP_Priority_Tier__c would be created (Picklist: P1, P2, P3, P4, X)');
    expect(dry.out()).toContain('~ Account.ICP_Committee_Coverage__c would be created (Percent)');
    expect(sb.store.customFields.has('Contact.ICP_Buying_Role__c')).toBe(false);

    const first = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: rolesPath }, first)).toBe(0);
    expect(first.out()).toContain('+ Lead.ICP_Buying_Role__c created');
    expect(first.out()).toMatch(/\+ permission set ICP_Sync updated: .*read Contact\.Title.*read\/edit Contact records, read Opportunity records/);
    expect(first.out()).not.toMatch(/Account\.ICP_Fit_Score__c (created|updated)/);

    const second = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: rolesPath }, second)).toBe(0);
    expect(second.out()).toContain('Nothing to change.');

    const check = context();
    expect(await runSetupCommand({ dryRun: false, check: true, model: rolesPath }, check)).toBe(0);
    expect(check.out()).toContain('Contact: all 6 ICP fields are visible and editable');
    expect(check.out()).toContain('Account: all 9 ICP fields are visible and editable');
    expect(check.out()).toContain('Lead: all 10 ICP fields are visible and editable');
    expect(check.out()).toContain('contact roles (OpportunityContactRole) are readable');
    expect(check.out()).not.toContain('FIX');
  });
});
