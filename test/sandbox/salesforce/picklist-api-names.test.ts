/**
 * Picklist values with safe API names (issue 14 item 23): icp-sync writes `secteur_cible` where the model says
 * `secteur-cible` (the label), an org that still has the hyphenated value is reported by `--check` and migrated
 * by setup, and a record rewritten once reads back equal, so it is never rewritten again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSalesforceCheck } from '../../../src/connectors/salesforce/check.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { fieldDefinition } from '../../../src/connectors/salesforce/field-definitions.ts';
import { buildOutputFields, objectOutputFields } from '../../../src/connectors/salesforce/output-fields.ts';
import { picklistApiName, picklistCollisions } from '../../../src/connectors/salesforce/picklist-names.ts';
import type { OutputValues, SetupSpec } from '../../../src/connectors/port.ts';
import { sameValue } from '../../../src/pipeline/diff.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from '../../connectors/salesforce/helpers.ts';

const SPEC: SetupSpec = { tiers: ['Tier 1', 'B', 'X'], tags: ['saas', 'secteur-cible'] };
const tagsField = objectOutputFields('Account').find((f) => f.key === 'tags');
const tierField = objectOutputFields('Account').find((f) => f.key === 'tier');
const values = (v: Partial<OutputValues>): OutputValues => ({ modelVersion: 'm-1', scoredAt: 0, ...v }) as OutputValues;

describe('picklist API names', () => {
  it('are letters, digits and underscores; labels keep the model text', () => {
    expect(['secteur-cible', 'Tier 1', 'Décideur', 'A', 'P1', 'decision_maker', '--'].map(picklistApiName)).toEqual(['secteur_cible', 'Tier_1', 'Decideur', 'A', 'P1', 'decision_maker', 'value']);
    const def = fieldDefinition('Account', tagsField ?? { key: 'tags', name: 'ICP_Tags__c', kind: 'multi' }, SPEC);
    expect(def.valueSet?.valueSetDefinition.value.map((v) => [v.fullName, v.label])).toEqual([
      ['saas', 'saas'],
      ['secteur_cible', 'secteur-cible'],
    ]);
    expect(picklistCollisions(['secteur-cible', 'secteur_cible', 'saas'])).toEqual([{ apiName: 'secteur_cible', values: ['secteur-cible', 'secteur_cible'] }]);
  });
});

describe('an org whose picklists hold hyphenated API names (sandbox)', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  let account: string;
  // One env, made once the sandbox runs: each sandboxEnv call draws a new Redis prefix.
  let sbEnv: ReturnType<typeof sandboxEnv>;
  const env = () => sbEnv;

  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    account = sb.store.seed({ accounts: 3, leads: 0, seed: 3 }).accounts[0] as string;
    sbEnv = sandboxEnv(sb.url);
    prefix = env().REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env: { ...env(), SALESFORCE_OBJECTS: ['Account'] }, redis: r.redis, logger: quietLogger() }, FAST);
    // What setup created before safe API names: the model's text as API name.
    expect((await connector.setup(SPEC)).problems).toEqual([]);
    const tags = sb.store.customFields.get('Account.ICP_Tags__c');
    if (tags?.valueSet) tags.valueSet.values = [{ fullName: 'saas', label: 'saas', default: false }, { fullName: 'secteur-cible', label: 'secteur-cible', default: false }];
    sb.store.update('Account', account, { ICP_Tags__c: 'saas;secteur-cible' });
  });

  afterAll(async () => {
    await connector.close();
    await r.cleanup(prefix);
    await sb.close();
  });

  const check = async () => (await runSalesforceCheck(connector.client, env(), ['Account'], buildOutputFields())).filter((l) => l.text.startsWith('Account.ICP_Tags__c'));

  it('setup --check reports the values to migrate', async () => {
    expect(await check()).toEqual([{ ok: false, text: expect.stringContaining('(secteur-cible → secteur_cible): run "icp-sync setup salesforce"') }]);
  });

  it('setup adds the safe value, deactivates the old one (kept: records hold it), and a second run changes nothing', async () => {
    const dry = await connector.setup(SPEC, { dryRun: true });
    expect(dry.changed).toContain('Account.ICP_Tags__c would be updated: add values secteur_cible (secteur-cible); deactivate legacy values secteur-cible (now secteur_cible)');
    const first = await connector.setup(SPEC);
    expect(first.problems).toEqual([]);
    expect(sb.store.customFields.get('Account.ICP_Tags__c')?.valueSet?.values).toEqual([
      { fullName: 'saas', label: 'saas', default: false },
      { fullName: 'secteur_cible', label: 'secteur-cible', default: false },
      { fullName: 'secteur-cible', label: 'secteur-cible (old API name)', default: false, isActive: false },
    ]);
    expect((await connector.setup(SPEC)).changed).toEqual([]);
    expect(await check()).toEqual([{ ok: true, text: expect.stringContaining('old values secteur-cible are inactive') }]);
  });

  it('writes the API name once; read back, it equals what would be written, so it is not rewritten', async () => {
    if (!tagsField || !tierField) throw new Error('no tags or tier field');
    const next = connector.encode(tagsField, values({ tags: ['saas', 'secteur-cible'] }));
    expect(next).toBe('saas;secteur_cible');
    expect(connector.encode(tierField, values({ tier: 'Tier 1' }))).toBe('Tier_1');
    const [before] = await connector.readByIds('Account', [account], ['ICP_Tags__c', 'ICP_Tier__c']);
    expect(sameValue('multi', before?.fields.ICP_Tags__c, next)).toBe(false);
    const outcome = await connector.writeChanges('Account', [{ id: account, fields: { ICP_Tags__c: next, ICP_Tier__c: 'Tier_1' } }]);
    expect(outcome.failed).toEqual([]);
    const [after] = await connector.readByIds('Account', [account], ['ICP_Tags__c', 'ICP_Tier__c']);
    expect(sameValue('multi', after?.fields.ICP_Tags__c, connector.encode(tagsField, values({ tags: ['secteur-cible', 'saas'] })))).toBe(true);
    expect(sameValue('enum', after?.fields.ICP_Tier__c, connector.encode(tierField, values({ tier: 'Tier 1' })))).toBe(true);
  });

  it('refuses the old, inactive value and a label that is not an API name', async () => {
    const outcome = await connector.writeChanges('Account', [
      { id: account, fields: { ICP_Tags__c: 'secteur-cible' } },
      { id: account, fields: { ICP_Tier__c: 'Tier 1' } },
    ]);
    expect(outcome.failed.map((f) => f.code)).toEqual(['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']);
  });
});
