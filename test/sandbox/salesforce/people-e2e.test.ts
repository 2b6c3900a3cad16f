/**
 * People end to end on real Redis and the Salesforce sandbox: with roles in the model, the service's setup
 * creates the person and committee fields, backfills write every Contact's role and priority and every
 * Account's committee coverage (roles from titles and from contact roles), and an outbound message for a
 * Contact's new title rescores it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupSpecOf } from '../../../src/connectors/setup-spec.ts';
import { parseModelText } from '../../../src/domain/model-schema.ts';
import { compileRoles } from '../../../src/domain/roles.ts';
import { compileModel } from '../../../src/domain/scorer.ts';
import { startService, type RunningService } from '../../../src/http/service.ts';
import { startSalesforceSandbox, type Row, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { cleanRedis } from '../../pipeline/helpers.ts';

const MODEL = `
version: "sf-people-1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C, min: 0 }
criteria:
  - { id: industry, attribute: industry, weight: 60, match: { kind: category, values: { technology: 1, consulting: 0.6, finance: 0.5 } } }
  - { id: size, attribute: employees, weight: 40, match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }, { min: 10, max: 49, points: 0.5 }] } }
roles:
  ignoreTitles: [assistante, stagiaire, intern, alternant]
  list:
    - { id: decision_maker, label: Décideur, points: 1, required: true, titles: [ceo, dg, "directeur general", president, founder, fondateur], salesforce: [Decision Maker, Economic Buyer] }
    - { id: buyer, label: Acheteur, points: 0.8, required: true, titles: [daf, cfo, achats, procurement], salesforce: [Economic Decision Maker] }
    - { id: user, label: Utilisateur, points: 0.5, titles: [developpeur, developer, engineer, ingenieur] }
    - { id: influencer, label: Influenceur, points: 0.4, titles: [cto, dsi, "head of"], salesforce: [Technical Buyer, Influencer] }
`;
const TOKEN = 'sf-people-e2e-token';
const scorer = (() => {
  const parsed = parseModelText(MODEL, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
})();
const roles = compileRoles(scorer.model);

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Salesforce people end to end (service, workers, sandbox)', () => {
  let sb: SalesforceSandbox;
  let service: RunningService;

  /** Live contact roles of a Contact, oldest first. */
  const explicitOf = (contactId: string): string[] =>
    [...sb.store.records.OpportunityContactRole.values()]
      .filter((r) => r.ContactId === contactId && r.IsDeleted !== true && typeof r.Role === 'string')
      .sort((a, b) => (String(a.CreatedDate) < String(b.CreatedDate) ? -1 : String(a.CreatedDate) > String(b.CreatedDate) ? 1 : a.Id < b.Id ? -1 : 1))
      .map((r) => String(r.Role));

  /** What a Contact must hold, from the roles core and its Account's score as written. */
  const expectedContact = (c: Row) => {
    const role = roles?.resolve({ title: typeof c.Title === 'string' ? c.Title : null, explicit: [...new Set(explicitOf(c.Id))] }, 'salesforce');
    const account = typeof c.AccountId === 'string' ? sb.store.get('Account', c.AccountId) : undefined;
    const score = account ? (account.ICP_Fit_Score__c as number) : null;
    const priority = roles?.priority(score, role?.points ?? 0, false);
    return {
      ICP_Buying_Role__c: role?.role,
      ICP_Priority_Score__c: priority?.priority ?? null,
      ICP_Priority_Tier__c: priority?.tier ?? null,
      ICP_Account_Tier__c: account ? (account.ICP_Tier__c as string) : null,
    };
  };

  beforeAll(async () => {
    sb = await startSalesforceSandbox({ seed: { accounts: 150, leads: 30, seed: 9, people: true } });
    const dir = await mkdtemp(join(tmpdir(), 'icp-sf-people-'));
    const modelPath = join(dir, 'icp.yaml');
    await writeFile(modelPath, MODEL);
    service = await startService({
      workers: true,
      handleSignals: false,
      env: {
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `icpsfpeople-${randomBytes(5).toString('hex')}`,
        HOST: '127.0.0.1',
        PORT: '0',
        ICP_MODEL_PATH: modelPath,
        SALESFORCE_LOGIN_URL: sb.url,
        SALESFORCE_CLIENT_ID: 'sandbox-client-id',
        SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
        SALESFORCE_OBJECTS: 'Account,Lead',
        SALESFORCE_ORG_ID: sb.store.orgId,
        SALESFORCE_WEBHOOK_TOKEN: TOKEN,
        SALESFORCE_INTEGRATION_USER_ID: sb.store.integrationUserId,
        SYNC_DEBOUNCE_MS: '50',
        INCREMENTAL_SYNC_INTERVAL_MS: '0',
        AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
        LOG_LEVEL: 'silent',
      },
    });
    sb.setOutboundTarget(`${service.address}/webhooks/salesforce`, { token: TOKEN });
  }, 60_000);

  afterAll(async () => {
    const env = service?.env;
    sb?.setOutboundTarget(undefined);
    await service?.stop();
    await sb?.close();
    if (env) await cleanRedis(env);
  });

  it('setup and backfills write every Contact’s role and priority and every Account’s committee', async () => {
    const connector = service.runtime.connectors.get('salesforce');
    const report = await connector?.setup(setupSpecOf(scorer));
    expect(report?.problems).toEqual([]);
    expect(sb.store.customFields.has('Contact.ICP_Buying_Role__c')).toBe(true);
    for (const objectType of ['Account', 'Lead', 'Contact']) {
      const { id } = await service.runtime.startBackfill('salesforce', objectType);
      await until(async () => {
        const st = await service.runtime.backfillStatus('salesforce');
        return st.some((s) => s.objectType === objectType && s.run === id && s.status === 'done');
      }, 60_000, `the ${objectType} backfill`);
    }
    // Two quiet readings in a row: the status reads the pending sets, then the queues, so a batch
    // ending between the two reads can queue its cascade unseen by one reading.
    let quiet = 0;
    await until(async () => {
      const st = await service.runtime.status();
      const idle = st.objects.every((o) => o.pending === 0) && st.queues.every((q) => q.waiting + q.active + q.delayed + q.prioritized === 0);
      quiet = idle ? quiet + 1 : 0;
      return quiet >= 2;
    }, 60_000, 'the queues to drain');

    const contacts = [...sb.store.records.Contact.values()];
    const wrong = contacts
      .map((c) => ({ id: c.Id, want: expectedContact(c), have: c }))
      .filter(({ want, have }) => Object.entries(want).some(([k, v]) => (have[k] ?? null) !== v))
      .map(({ id, want, have }) => `${id}: ${JSON.stringify(want)} ≠ ${JSON.stringify(Object.fromEntries(Object.keys(want).map((k) => [k, have[k] ?? null])))}`);
    expect(wrong.slice(0, 5)).toEqual([]);
    // Explicit contact roles decided for some, titles for others.
    expect(contacts.some((c) => explicitOf(c.Id).includes('Decision Maker') && c.ICP_Buying_Role__c === 'decision_maker')).toBe(true);
    expect(contacts.some((c) => c.Title === 'Stagiaire' && c.ICP_Buying_Role__c === 'none')).toBe(true);
    expect(contacts.some((c) => c.AccountId === null && (c.ICP_Priority_Score__c ?? null) === null && typeof c.ICP_Buying_Role__c === 'string')).toBe(true);

    for (const a of sb.store.records.Account.values()) {
      const held = contacts.filter((c) => c.AccountId === a.Id).map((c) => String(c.ICP_Buying_Role__c));
      const cov = roles?.coverage(held);
      expect([a.Id, a.ICP_Committee_Coverage__c, a.ICP_Missing_Roles__c ?? '']).toEqual([a.Id, cov?.coverage, cov?.missing]);
    }
  }, 150_000);

  it('an outbound message for a Contact’s new title rescores that Contact', async () => {
    const contact = [...sb.store.records.Contact.values()].find((c) => typeof c.AccountId === 'string' && c.ICP_Buying_Role__c === 'none' && c.Title !== 'Stagiaire') as Row;
    sb.store.update('Contact', contact.Id, { Title: 'Directeur Général' });
    await until(() => sb.store.get('Contact', contact.Id)?.ICP_Buying_Role__c === 'decision_maker', 20_000, 'the Contact rescore');
    await sb.waitForOutbound();
    expect(sb.store.get('Contact', contact.Id)).toMatchObject(expectedContact(sb.store.get('Contact', contact.Id) as Row));
    expect(sb.outboundStats()).toMatchObject({ nacks: 0, dropped: 0 });
  }, 40_000);
});

describe('Salesforce people: contact-role changes reach Contacts through the incremental sync', () => {
  let sb: SalesforceSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sb = await startSalesforceSandbox({ seed: { accounts: 20, leads: 0, seed: 4, people: true } });
    const dir = await mkdtemp(join(tmpdir(), 'icp-sf-people-inc-'));
    const modelPath = join(dir, 'icp.yaml');
    await writeFile(modelPath, MODEL);
    service = await startService({
      workers: true,
      handleSignals: false,
      env: {
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `icpsfpeopleinc-${randomBytes(5).toString('hex')}`,
        HOST: '127.0.0.1',
        PORT: '0',
        ICP_MODEL_PATH: modelPath,
        SALESFORCE_LOGIN_URL: sb.url,
        SALESFORCE_CLIENT_ID: 'sandbox-client-id',
        SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
        SALESFORCE_OBJECTS: 'Account',
        SYNC_DEBOUNCE_MS: '50',
        INCREMENTAL_SYNC_INTERVAL_MS: '200',
        AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
        LOG_LEVEL: 'silent',
      },
    });
    await service.runtime.connectors.get('salesforce')?.setup(setupSpecOf(scorer));
  }, 60_000);

  afterAll(async () => {
    const env = service?.env;
    await service?.stop();
    await sb?.close();
    if (env) await cleanRedis(env);
  });

  it('a contact role added, then deleted, changes the Contact’s role with no change to the Contact itself', async () => {
    await until(async () => (await service.runtime.status()).objects.some((o) => o.objectType === 'Contact' && o.watermark !== null), 10_000, 'the first Contact pass');
    const contact = [...sb.store.records.Contact.values()].find(
      (c) => c.Title === 'Développeur' || c.Title === 'Software Engineer' || c.Title === 'Ingénieur DevOps',
    ) as Row;
    const stamp = contact.SystemModstamp;
    const opportunity = sb.store.create('Opportunity', { Name: 'Renouvellement', StageName: 'Qualification', CloseDate: '2026-12-20', AccountId: contact.AccountId });
    const role = sb.store.create('OpportunityContactRole', { ContactId: contact.Id, OpportunityId: opportunity, Role: 'Economic Buyer' });
    expect(sb.store.get('Contact', contact.Id)?.SystemModstamp).toBe(stamp);
    await until(() => sb.store.get('Contact', contact.Id)?.ICP_Buying_Role__c === 'decision_maker', 20_000, 'the role from the new contact role');
    sb.store.delete('OpportunityContactRole', role);
    await until(() => sb.store.get('Contact', contact.Id)?.ICP_Buying_Role__c === 'user', 20_000, 'the role from the title again');
  }, 60_000);
});
