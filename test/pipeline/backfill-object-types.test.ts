/**
 * Backfills of several object types of one CRM share one run id: their batch jobs must never be
 * taken for duplicates of each other (BullMQ silently drops a job whose id it already holds).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import type { CrmConnector } from '../../src/connectors/port.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { backfillBatchJobId } from '../../workers/listing-processor.ts';
import { createFakeConnector, type FakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

let env: Env | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (env) await cleanRedis(env);
  runtime = undefined;
  env = undefined;
});

/** A Salesforce-shaped fake with one store per object type. */
function twoObjectCrm(stores: Record<'Account' | 'Lead', FakeConnector>): CrmConnector {
  const of = (t: string): FakeConnector => {
    const s = stores[t as 'Account' | 'Lead'];
    if (!s) throw new Error(`unknown object ${t}`);
    return s;
  };
  return {
    ...stores.Account,
    crm: 'salesforce',
    objectTypes: ['Account', 'Lead'],
    readByIds: (t, ids, fields) => of(t).readByIds(t, ids, fields),
    listAll: (t, fields, cursor) => of(t).listAll(t, fields, cursor),
    listModifiedSince: (t, fields, since, cursor) => of(t).listModifiedSince(t, fields, since, cursor),
    writeChanges: (t, changes, options) => of(t).writeChanges(t, changes, options),
  };
}

describe('backfill of two object types under one run', () => {
  it('gives every batch job an id of its own CRM and object type', () => {
    expect(backfillBatchJobId('salesforce', 'Account', 'r1', 0, 0)).not.toBe(backfillBatchJobId('salesforce', 'Lead', 'r1', 0, 0));
    expect(backfillBatchJobId('salesforce', 'Account', 'r1', 0, 0)).not.toBe(backfillBatchJobId('hubspot', 'Account', 'r1', 0, 0));
    expect(backfillBatchJobId('salesforce', 'Lead', 'r1', 3, 1)).not.toContain(':');
  });

  it('processes every Account and every Lead', async () => {
    const stores = { Account: createFakeConnector({ batchSize: 200 }), Lead: createFakeConnector({ batchSize: 200 }) };
    for (let i = 1; i <= 450; i++) stores.Account.records.set(String(i), { Industry: 'Software', NumberOfEmployees: '120', BillingCountry: 'France' });
    for (let i = 1; i <= 300; i++) stores.Lead.records.set(String(i), { Industry: 'Retail', NumberOfEmployees: '20', Country: 'France' });
    env = testEnv();
    const rt = (runtime = await createRuntime({
      env,
      logger: silentLogger,
      connectors: new Map([['salesforce', twoObjectCrm(stores)]]),
      scorer: testScorer(),
      mappings: DEFAULT_MAPPINGS,
      dispatchPollMs: 20,
    }));
    await rt.startWorkers();
    const { id } = await rt.startBackfill('salesforce');
    const done = async (): Promise<boolean> => (await rt.backfillStatus('salesforce')).every((s) => s.status === 'done');
    await until(done, 15_000, 'both backfills');
    const states = await rt.backfillStatus('salesforce');
    expect(states.map((s) => [s.objectType, s.run, s.processed, s.written])).toEqual([
      ['Account', id, 450, 450],
      ['Lead', id, 300, 300],
    ]);
    expect([...stores.Account.records.values()].every((r) => r['ICP_Fit_Score__c'] === 100)).toBe(true);
    expect([...stores.Lead.records.values()].every((r) => typeof r['ICP_Fit_Score__c'] === 'number')).toBe(true);
  });
});
