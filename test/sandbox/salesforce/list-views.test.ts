/**
 * `icp-sync setup salesforce` deploys the ICP list views through the Metadata API (against the sandbox,
 * with the real jsforce): created once, unchanged on a second run, label and filter updated when the top
 * tier is renamed, shared as configured.
 */
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
roles:
  list:
    - { id: decision_maker, label: Décideur, points: 1, required: true, titles: [dg, ceo] }
    - { id: user, label: Utilisateur, points: 0.5, titles: [developer] }
`;

function context(): CliContext & { out(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  return { stdout, stderr, exitCode: 0, out: () => text };
}

const KEYS = ['SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_OBJECTS', 'ICP_MAPPINGS_PATH', 'LOG_LEVEL'];

describe('setup salesforce: ICP list views', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-sf-views-'));
  const modelPath = join(dir, 'icp.yaml');
  const renamedPath = join(dir, 'icp-renamed.yaml');
  let sb: SalesforceSandbox;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    writeFileSync(modelPath, MODEL);
    writeFileSync(renamedPath, MODEL.replace('{ name: A, min: 70 }', '{ name: Premium, min: 70 }'));
    sb = await startSalesforceSandbox();
    Object.assign(process.env, {
      SALESFORCE_LOGIN_URL: sb.url,
      SALESFORCE_CLIENT_ID: 'sandbox-client-id',
      SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
      SALESFORCE_OBJECTS: 'Account,Lead',
      LOG_LEVEL: 'silent',
    });
    delete process.env.ICP_MAPPINGS_PATH;
  });
  afterEach(() => {
    delete process.env.ICP_MAPPINGS_PATH;
  });
  afterAll(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await sb.close();
  });

  it('creates the views once, updates them when the top tier is renamed, and shares them as configured', async () => {
    const dry = context();
    expect(await runSetupCommand({ dryRun: true, check: false, model: modelPath }, dry)).toBe(0);
    expect(dry.out()).toContain('~ would create list view Account.ICP_Top_Tier ("ICP · Tier A companies")');
    expect(sb.store.listViews.size).toBe(0);

    const first = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: modelPath }, first)).toBe(0);
    expect([...sb.store.listViews.keys()].sort()).toEqual([
      'Account.ICP_Incomplete_Committee',
      'Account.ICP_Top_Tier',
      'Contact.ICP_Top_Priority',
      'Lead.ICP_Top_Priority',
      'Lead.ICP_Top_Tier',
    ]);
    const committee = sb.store.listViews.get('Account.ICP_Incomplete_Committee');
    expect(committee?.filters).toEqual([
      { field: 'ICP_Tier__c', operation: 'equals', value: 'A' },
      { field: 'ICP_Committee_Coverage__c', operation: 'lessThan', value: '100' },
    ]);
    expect(committee?.label.length).toBeLessThanOrEqual(40);
    expect(Object.keys(committee?.sharedTo ?? {})).toEqual(['allInternalUsers']);

    const second = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: modelPath }, second)).toBe(0);
    expect(second.out()).toContain('= list view Account.ICP_Top_Tier ("ICP · Tier A companies") is up to date');
    expect(second.out()).toContain('Nothing to change.');

    const renamed = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: renamedPath }, renamed)).toBe(0);
    expect(renamed.out()).toContain('+ update list view Account.ICP_Top_Tier ("ICP · Tier Premium companies")');
    expect(sb.store.listViews.size).toBe(5);
    expect(sb.store.listViews.get('Lead.ICP_Top_Tier')?.filters).toEqual([{ field: 'ICP_Tier__c', operation: 'equals', value: 'Premium' }]);

    const mappings = join(dir, 'mappings.yaml');
    writeFileSync(mappings, 'views:\n  salesforceSharedTo: { group: ICP_Sales }\n');
    process.env.ICP_MAPPINGS_PATH = mappings;
    const shared = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: renamedPath }, shared)).toBe(0);
    expect(sb.store.listViews.get('Contact.ICP_Top_Priority')?.sharedTo).toEqual({ group: 'ICP_Sales' });
    const again = context();
    expect(await runSetupCommand({ dryRun: false, check: false, model: renamedPath }, again)).toBe(0);
    expect(again.out()).toContain('Nothing to change.');
  });
});
