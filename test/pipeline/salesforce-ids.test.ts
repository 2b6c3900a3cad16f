/**
 * Salesforce answers with 18-character ids whatever form was asked for: a record requested by its
 * 15-character id is found, scored once and never counted missing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import type { CrmConnector } from '../../src/connectors/port.ts';
import type { Enricher } from '../../src/enrichment/port.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { objectPipeline } from '../../src/pipeline/object-pipeline.ts';
import { processBatch } from '../../src/pipeline/process-batch.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { recordIdKey, sameSalesforceId, salesforceIdKey } from '../../src/pipeline/record-ids.ts';
import { createFakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

const ID15 = '001Dn00000AbCdE';
const ID18 = '001Dn00000AbCdEIAX';
const OTHER15 = '001Dn00000AbCde'; // differs from ID15 by case only: another record

const passThrough: Enricher = {
  async enrich(records) {
    return records.map((r) => ({ attributes: r.attributes, provenance: r.provenance }));
  },
};

describe('sameSalesforceId', () => {
  it('compares the first 15 characters, case-sensitively', () => {
    expect(sameSalesforceId(ID15, ID18)).toBe(true);
    expect(sameSalesforceId(ID18, ID18)).toBe(true);
    expect(sameSalesforceId(OTHER15, ID18)).toBe(false);
    expect(salesforceIdKey('not-an-id')).toBe('not-an-id');
    expect(recordIdKey('hubspot', '123456789012345678')).toBe('123456789012345678');
  });
});

describe('processBatch with Salesforce ids', () => {
  function salesforce(): { connector: CrmConnector; reads: string[][] } {
    const fake = createFakeConnector({ batchSize: 200 });
    fake.records.set(ID18, { Industry: 'Software', NumberOfEmployees: '120', BillingCountry: 'France' });
    const reads: string[][] = [];
    const connector: CrmConnector = {
      ...fake,
      crm: 'salesforce',
      objectTypes: ['Account'],
      // Like Salesforce: either form finds the record, the answer carries the 18-character id.
      async readByIds(t, ids, fields) {
        reads.push([...ids]);
        const asked = ids.map((id) => (sameSalesforceId(id, ID18) ? ID18 : id));
        return fake.readByIds(t, asked, fields);
      },
    };
    return { connector, reads };
  }

  it('a rescore by 15-character id is scored and not missing', async () => {
    const { connector } = salesforce();
    const op = objectPipeline(connector, DEFAULT_MAPPINGS, 'Account');
    const out = await processBatch(op, { scorer: testScorer(), enricher: passThrough }, { ids: [ID15] });
    expect(out.missing).toEqual([]);
    expect(out.written).toEqual([ID18]);
    expect(out.scored.map((s) => s.id)).toEqual([ID18]);
  });

  it('the 15- and 18-character forms of one record are read, scored and written once; a real absence is missing', async () => {
    const { connector, reads } = salesforce();
    const op = objectPipeline(connector, DEFAULT_MAPPINGS, 'Account');
    const out = await processBatch(op, { scorer: testScorer(), enricher: passThrough }, { ids: [ID15, ID18, OTHER15] });
    expect(reads).toEqual([[ID15, OTHER15]]);
    expect(out.scored).toHaveLength(1);
    expect(out.written).toEqual([ID18]);
    expect(out.missing).toEqual([OTHER15]);
  });
});

describe('rescore with Salesforce ids', () => {
  let env: Env | undefined;
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    if (env) await cleanRedis(env);
  });

  it('queues one request for the 15- and 18-character forms of one id', async () => {
    const fake = createFakeConnector({ batchSize: 200 });
    const connector: CrmConnector = { ...fake, crm: 'salesforce', objectTypes: ['Account'] };
    env = testEnv();
    const rt = (runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['salesforce', connector]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS }));
    await until(() => rt.ready(), 5_000, 'Redis');
    expect(await runtime.rescore('salesforce', 'Account', [ID15, ID18, OTHER15])).toEqual({ queued: 2 });
    expect((await runtime.status()).objects.find((o) => o.objectType === 'Account')?.pending).toBe(2);
  });
});
