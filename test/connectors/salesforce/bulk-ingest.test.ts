import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changesToCsv } from '../../../src/connectors/salesforce/bulk-ingest.ts';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

const HOST = 'https://acme.my.salesforce.com';
const V = '/services/data/v65.0';
const JOB = '7505g00000JOB01AAA';
const ids = Array.from({ length: 5 }, (_, i) => `0015g00000Bulk${i}AAA`);

const job = (state: string, extra: Record<string, unknown> = {}) => ({
  id: JOB,
  operation: 'update',
  object: 'Account',
  state,
  contentType: 'CSV',
  lineEnding: 'LF',
  columnDelimiter: 'COMMA',
  ...extra,
});
const csv = { 'Content-Type': 'text/csv' };

describe('Bulk API 2.0 writes (nock)', () => {
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account', SALESFORCE_BULK_THRESHOLD: '3' });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    nock(HOST).post('/services/oauth2/token').reply(200, {
      access_token: '00D!tok',
      instance_url: HOST,
      id: 'https://login.salesforce.com/id/00D5g000004ABCDEAA/0055g00000AAAAAAAA',
    });
  });
  afterEach(async () => {
    nock.cleanAll();
    await r.cleanup(prefix);
  });

  it('writes null as #N/A, leaves absent fields empty and quotes text', () => {
    const text = changesToCsv([
      { id: 'a', fields: { ICP_Fit_Score__c: 5, ICP_Tags__c: null } },
      { id: 'b', fields: { ICP_Fit_Reasons__c: '+30 Secteur: "Software", ok\nnext' } },
    ]);
    expect(text).toBe('Id,ICP_Fit_Score__c,ICP_Tags__c,ICP_Fit_Reasons__c\na,5,#N/A,\nb,,,"+30 Secteur: ""Software"", ok\nnext"\n');
  });

  it('uses collections at or below the threshold', async () => {
    nock(HOST).patch(`${V}/composite/sobjects`).reply(200, ids.slice(0, 3).map((id) => ({ id, success: true, errors: [] })));
    const out = await connector.writeChanges('Account', ids.slice(0, 3).map((id) => ({ id, fields: { ICP_Fit_Score__c: 1 } })), { mode: 'bulk' });
    expect(out.written).toHaveLength(3);
  });

  it('polls a job to completion and maps successes, per-record failures and unprocessed rows', async () => {
    let uploaded = '';
    nock(HOST)
      .post(`${V}/jobs/ingest`, { object: 'Account', operation: 'update', lineEnding: 'LF', columnDelimiter: 'COMMA' })
      .reply(200, job('Open'))
      .put(`${V}/jobs/ingest/${JOB}/batches`, (body: string) => {
        uploaded = body;
        return true;
      })
      .reply(201)
      .patch(`${V}/jobs/ingest/${JOB}`, { state: 'UploadComplete' })
      .reply(200, job('UploadComplete'))
      .get(`${V}/jobs/ingest/${JOB}`)
      .reply(200, job('InProgress'))
      .get(`${V}/jobs/ingest/${JOB}`)
      .reply(200, job('Failed', { errorMessage: 'InvalidBatch : batch timed out', numberRecordsProcessed: 3 }))
      .get(`${V}/jobs/ingest/${JOB}/successfulResults`)
      .reply(200, `"sf__Id","sf__Created",Id,ICP_Fit_Score__c\n"${ids[0]}","false",${ids[0]},10\n"${ids[1]}","false",${ids[1]},11\n`, csv)
      .get(`${V}/jobs/ingest/${JOB}/failedResults`)
      .reply(200, `"sf__Id","sf__Error",Id,ICP_Fit_Score__c\n"${ids[2]}","UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--",${ids[2]},12\n`, csv)
      .get(`${V}/jobs/ingest/${JOB}/unprocessedrecords`)
      .reply(200, `Id,ICP_Fit_Score__c\n${ids[3]},13\n`, csv);
    const changes = ids.map((id, i) => ({ id, fields: { ICP_Fit_Score__c: 10 + i } }));
    const out = await connector.writeChanges('Account', changes, { mode: 'bulk' });
    expect(uploaded.split('\n')[0]).toBe('Id,ICP_Fit_Score__c');
    expect(uploaded.trim().split('\n')).toHaveLength(6);
    expect(out.written.sort()).toEqual([ids[0], ids[1]].sort());
    expect(out.failed).toEqual([
      { id: ids[2], code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', retryable: true },
      { id: ids[3], code: 'UNPROCESSED', message: 'not processed: InvalidBatch : batch timed out', retryable: true },
      { id: ids[4], code: 'UNPROCESSED', message: 'not processed: InvalidBatch : batch timed out', retryable: true },
    ]);
    expect(out.calls).toBe(8);
    expect(nock.isDone()).toBe(true);
  });

  it('downloads no result for a job that completed without a failure', async () => {
    nock(HOST)
      .post(`${V}/jobs/ingest`)
      .reply(200, job('Open'))
      .put(`${V}/jobs/ingest/${JOB}/batches`)
      .reply(201)
      .patch(`${V}/jobs/ingest/${JOB}`, { state: 'UploadComplete' })
      .reply(200, job('UploadComplete'))
      .get(`${V}/jobs/ingest/${JOB}`)
      .reply(200, job('JobComplete', { numberRecordsProcessed: ids.length, numberRecordsFailed: 0 }));
    const out = await connector.writeChanges('Account', ids.map((id, i) => ({ id, fields: { ICP_Fit_Score__c: i } })), { mode: 'bulk' });
    expect(out.written.sort()).toEqual([...ids].sort());
    expect(out.failed).toEqual([]);
    // create, upload, close, one poll: no result download.
    expect(out.calls).toBe(4);
    expect(nock.isDone()).toBe(true);
  });

  it('downloads only the failed rows of a completed job that has failures', async () => {
    nock(HOST)
      .post(`${V}/jobs/ingest`)
      .reply(200, job('Open'))
      .put(`${V}/jobs/ingest/${JOB}/batches`)
      .reply(201)
      .patch(`${V}/jobs/ingest/${JOB}`, { state: 'UploadComplete' })
      .reply(200, job('UploadComplete'))
      .get(`${V}/jobs/ingest/${JOB}`)
      .reply(200, job('JobComplete', { numberRecordsProcessed: ids.length, numberRecordsFailed: 1 }))
      .get(`${V}/jobs/ingest/${JOB}/failedResults`)
      .reply(200, `"sf__Id","sf__Error",Id,ICP_Fit_Score__c\n"${ids[2]}","FIELD_CUSTOM_VALIDATION_EXCEPTION:no:--",${ids[2]},12\n`, csv);
    const out = await connector.writeChanges('Account', ids.map((id, i) => ({ id, fields: { ICP_Fit_Score__c: i } })), { mode: 'bulk' });
    expect(out.written.sort()).toEqual(ids.filter((_, i) => i !== 2).sort());
    expect(out.failed).toEqual([{ id: ids[2], code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no', retryable: false }]);
    expect(out.calls).toBe(5);
    expect(nock.isDone()).toBe(true);
  });

  it('aborts the job when the upload fails and reports a typed error', async () => {
    nock(HOST)
      .post(`${V}/jobs/ingest`)
      .reply(200, job('Open'))
      .put(`${V}/jobs/ingest/${JOB}/batches`)
      .reply(400, [{ errorCode: 'INVALIDBATCH', message: 'Field name not found : Foo__c' }])
      .patch(`${V}/jobs/ingest/${JOB}`, { state: 'Aborted' })
      .reply(200, job('Aborted'));
    const changes = ids.map((id) => ({ id, fields: { Foo__c: 1 } }));
    await expect(connector.writeChanges('Account', changes, { mode: 'bulk' })).rejects.toMatchObject({ name: 'CrmValidationError', vendorCode: 'INVALIDBATCH', retryable: false });
    expect(nock.isDone()).toBe(true);
  });
});
