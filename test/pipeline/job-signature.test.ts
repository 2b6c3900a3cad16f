import { describe, expect, it } from 'vitest';
import { batchJobSchema } from '../../src/pipeline/batch-job.ts';
import { recordsSignedBy, signRecords } from '../../src/pipeline/job-signature.ts';

const SECRET = 'a'.repeat(64);
const records = [
  { id: '1', fields: { name: 'Acme', numberofemployees: '120', icp_fit_score: null }, modifiedAt: '2026-12-01T00:00:00.000Z' },
  { accountId: '9', fields: { jobtitle: 'CEO' }, id: '2' },
];

describe('signed batch-job records', () => {
  it('verify after the trip through Redis and the job schema', () => {
    const data = { crm: 'hubspot' as const, objectType: 'companies', ids: ['1', '2'], records };
    const sig = signRecords(SECRET, data);
    const parsed = batchJobSchema.parse(JSON.parse(JSON.stringify({ ...data, sig })));
    expect(recordsSignedBy(SECRET, parsed)).toBe(true);
  });

  it('refuse invented values, other records, another object type, another secret or no signature', () => {
    const data = { crm: 'hubspot' as const, objectType: 'companies', records };
    const sig = signRecords(SECRET, data);
    const forged = [{ ...records[0], fields: { ...records[0]?.fields, numberofemployees: '5000' } }, records[1]] as typeof records;
    expect(recordsSignedBy(SECRET, { ...data, records: forged, sig })).toBe(false);
    expect(recordsSignedBy(SECRET, { ...data, records: records.slice(0, 1), sig })).toBe(false);
    expect(recordsSignedBy(SECRET, { ...data, objectType: 'contacts', sig })).toBe(false);
    expect(recordsSignedBy('b'.repeat(64), { ...data, sig })).toBe(false);
    expect(recordsSignedBy(SECRET, data)).toBe(false);
    expect(recordsSignedBy(SECRET, { ...data, sig: 'not-a-mac' })).toBe(false);
  });
});

describe('a batch job added from outside the service', () => {
  it('cannot make the workers write invented values: its records are read again from the CRM', async () => {
    const { createRuntime } = await import('../../src/pipeline/runtime.ts');
    const { DEFAULT_MAPPINGS } = await import('../../src/mappings/defaults.ts');
    const { createFakeConnector } = await import('./fake-connector.ts');
    const { cleanRedis, silentLogger, testEnv, testScorer, until } = await import('./helpers.ts');
    const crm = createFakeConnector();
    crm.records.set('1', { industry: 'Retail', numberofemployees: '5', country: 'Germany' });
    const env = testEnv();
    const rt = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS, workers: true, dispatchPollMs: 20 });
    try {
      const queue = rt.queues().find((q) => q.name === 'batches-hubspot');
      // What a dashboard user could add: a job whose records claim a perfect-fit company.
      await queue?.add('backfill', {
        crm: 'hubspot',
        objectType: 'companies',
        ids: ['1'],
        records: [{ id: '1', fields: { industry: 'Software', numberofemployees: '120', country: 'France' } }],
      });
      await until(() => crm.records.get('1')?.['icp_fit_score'] !== undefined, 10_000, 'the job to be processed');
      expect(crm.calls.read).toBe(1);
      expect(crm.records.get('1')?.['icp_fit_score']).toBe(0);
      expect(crm.records.get('1')?.['icp_tier']).toBe('C');
    } finally {
      await rt.close();
      await cleanRedis(env);
    }
  });
});
