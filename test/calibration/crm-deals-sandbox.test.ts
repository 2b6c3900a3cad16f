/**
 * Closed deals read end to end from the local sandboxes, through the real connectors and a real Redis
 * for the shared limits: outcomes, amounts, lost reasons and the roles present on each deal, in batched
 * calls, and a signal the example model finds (companies that fit win more).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { readClosedDealRows } from '../../src/calibration/crm-deal-reader.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadModel } from '../../src/config/model-loader.ts';
import { rowsToDeals } from '../../src/domain/calibration/account-row.ts';
import { evaluateModel } from '../../src/domain/calibration/model-fit.ts';
import { compileRoles, NO_ROLE } from '../../src/domain/roles.ts';
import type { Scorer } from '../../src/domain/scorer.ts';
import { createLogger } from '../../src/logging.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { removeTestKeys } from '../redis-keys.ts';
import { dealsOf, startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';

const logger = createLogger({ level: 'silent' });
const prefix = `test-deals-${randomBytes(5).toString('hex')}`;
const SINCE = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
let scorer: Scorer;
let hubspot: HubSpotSandbox;
let salesforce: SalesforceSandbox;

beforeAll(async () => {
  scorer = (await loadModel('config/icp.example.yaml')).scorer;
  hubspot = await startHubSpotSandbox({ seed: 300, contactsPerCompany: 3, deals: true, randomSeed: 11 });
  salesforce = await startSalesforceSandbox({ seed: { accounts: 300, people: true, deals: true, seed: 5 } });
});

afterAll(async () => {
  await hubspot.close();
  await salesforce.close();
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  await removeTestKeys(redis, `${prefix}-hs`);
  await removeTestKeys(redis, `${prefix}-sf`);
  await redis.quit();
});

async function withRuntime<T>(crm: 'hubspot' | 'salesforce', fn: (r: Runtime) => Promise<T>): Promise<T> {
  const env = parseEnv(
    crm === 'hubspot'
      ? { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_BASE_URL: hubspot.url, REDIS_PREFIX: `${prefix}-hs` }
      : {
          SALESFORCE_LOGIN_URL: salesforce.url,
          SALESFORCE_CLIENT_ID: 'sandbox-client-id',
          SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
          SALESFORCE_OBJECTS: 'Account',
          REDIS_PREFIX: `${prefix}-sf`,
        },
  );
  const runtime = await createRuntime({ env, logger, scorer, mappings: DEFAULT_MAPPINGS });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

describe('HubSpot deals from the sandbox', () => {
  it('reads outcomes, lost reasons and roles in batched calls, with the example model’s signal', async () => {
    const read = await withRuntime('hubspot', async (runtime) =>
      readClosedDealRows({ crm: 'hubspot', connector: runtime.connectors.get('hubspot')!, mappings: DEFAULT_MAPPINGS, model: scorer.model, hubspotApiVersion: '2026-03' }, SINCE),
    );
    const deals = dealsOf(hubspot.store);
    const expected = deals.list().filter((d) => d.properties['hs_is_closed'] === 'true' && (d.properties['closedate'] ?? '') >= SINCE);
    expect(read.rows).toHaveLength(expected.length);
    expect(read.withoutAccount).toBe(0);
    const roles = compileRoles(scorer.model)!;
    for (const d of expected) {
      const row = read.rows.find((r) => r.source === `deal ${d.id}`);
      expect(row?.won).toBe(d.properties['hs_is_closed_won'] === 'true');
      const reason = d.properties['closed_lost_reason']?.trim();
      expect(row?.lostReason).toBe(row?.won || !reason ? undefined : reason);
      // Roles: each associated contact resolved from its title and buying role, in the model's order.
      const held = new Set(
        (deals.contacts.get(d.id) ?? []).map((id) => {
          const c = hubspot.store.getOf('contacts', id)!;
          const explicit = (c.properties['hs_buying_role'] ?? '').split(';').filter(Boolean);
          return roles.resolve({ title: c.properties['jobtitle'] ?? null, explicit }, 'hubspot').role;
        }),
      );
      expect(row?.roles).toEqual(roles.roles.map((r) => r.id).filter((id) => id !== NO_ROLE && held.has(id)));
    }
    expect(read.rows.filter((r) => (r.roles?.length ?? 0) > 0).length).toBeGreaterThan(read.rows.length / 4);
    expect(read.rows.filter((r) => r.lostReason !== undefined).length).toBeGreaterThan(read.rows.length / 4);
    // Batched: one association read per 100 deals and direction, never one per deal.
    const batches = Math.ceil(expected.length / 100);
    expect(hubspot.store.requestCounts.get('deals.associations.contacts.batchRead')).toBe(batches);
    expect(hubspot.store.requestCounts.get('deals.associations.companies.batchRead')).toBe(batches);
    const fit = evaluateModel(rowsToDeals(read.rows), scorer);
    expect(fit.auc).toBeGreaterThan(0.65);
  });
});

describe('Salesforce Opportunities from the sandbox', () => {
  it('reads outcomes, Loss_Reason__c and the contact roles of each Opportunity, with the example model’s signal', async () => {
    salesforce.resetStats();
    const read = await withRuntime('salesforce', async (runtime) =>
      readClosedDealRows(
        { crm: 'salesforce', connector: runtime.connectors.get('salesforce')!, mappings: DEFAULT_MAPPINGS, model: scorer.model, hubspotApiVersion: '2026-03', salesforceLostReasonField: 'Loss_Reason__c' },
        SINCE,
      ),
    );
    expect(read.notes).toEqual([]);
    const opps = [...salesforce.store.records.Opportunity.values()].filter((o) => o['IsClosed'] === true && String(o['CloseDate']) >= SINCE);
    expect(read.rows).toHaveLength(opps.length);
    const roles = compileRoles(scorer.model)!;
    for (const o of opps) {
      const row = read.rows.find((r) => r.source === `Opportunity ${o.Id}`);
      expect(row?.won).toBe(o['IsWon'] === true);
      expect(row?.lostReason).toBe(o['IsWon'] === true ? undefined : ((o['Loss_Reason__c'] as string | null) ?? undefined));
      const held = new Set(
        [...salesforce.store.records.OpportunityContactRole.values()]
          .filter((r) => r['OpportunityId'] === o.Id && r['IsDeleted'] !== true)
          .map((r) => {
            const contact = salesforce.store.records.Contact.get(String(r['ContactId']));
            return roles.resolve({ title: (contact?.['Title'] as string | null) ?? null, explicit: r['Role'] ? [String(r['Role'])] : [] }, 'salesforce').role;
          }),
      );
      expect(row?.roles).toEqual(roles.roles.map((r) => r.id).filter((id) => held.has(id)));
    }
    expect(read.rows.filter((r) => r.lostReason !== undefined).length).toBeGreaterThan(read.rows.length / 4);
    expect(salesforce.stats()['opportunityContactRoles'] ?? salesforce.stats()['query'] ?? 0).toBeLessThan(20);
    const fit = evaluateModel(rowsToDeals(read.rows), scorer);
    expect(fit.auc).toBeGreaterThan(0.65);
  });

  it('says so, and reads no reason, when the loss-reason field is not in the org', async () => {
    const read = await withRuntime('salesforce', async (runtime) =>
      readClosedDealRows({ crm: 'salesforce', connector: runtime.connectors.get('salesforce')!, mappings: DEFAULT_MAPPINGS, hubspotApiVersion: '2026-03', salesforceLostReasonField: 'Why_Lost__c' }, SINCE),
    );
    expect(read.notes.join('\n')).toMatch(/Why_Lost__c/);
    expect(read.rows.every((r) => r.lostReason === undefined && r.roles === undefined)).toBe(true);
    expect(read.rows.length).toBeGreaterThan(100);
  });
});
