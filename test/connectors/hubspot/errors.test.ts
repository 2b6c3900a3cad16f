import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CrmAuthError, CrmError, CrmRateLimitError, CrmValidationError } from '../../../src/errors.ts';
import { fastConnector, testEnv } from './helpers.ts';

const API = 'https://api.hubapi.com';
const OBJ = '/crm/objects/2026-03/companies';
const env = testEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-test' });

const rate = (policyName: string, message: string) => ({
  status: 'error',
  message,
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-0000-4000-8000-000000000000',
  policyName,
});

const company = (id: string, props: Record<string, string | null> = {}) => ({
  id,
  properties: { hs_lastmodifieddate: '2026-11-20T10:00:00.000Z', hs_object_id: id, ...props },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  archived: false,
});

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('HubSpot choke point: errors and retries (nock)', () => {
  it('sends the bearer token on the dated path and reads a batch', async () => {
    nock(API, { reqheaders: { authorization: 'Bearer pat-test' } })
      .post(`${OBJ}/batch/read`, (b: { inputs: Array<{ id: string }>; properties: string[] }) => b.inputs.length === 2 && b.properties.includes('industry'))
      .query({ archived: 'false' })
      .reply(207, {
        status: 'COMPLETE',
        results: [company('1', { industry: 'RETAIL' })],
        numErrors: 1,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects', context: { ids: ['2'] } }],
      });
    const records = await fastConnector(env).readByIds('companies', ['1', '2', 'not-an-id'], ['industry']);
    expect(records).toEqual([{ id: '1', fields: { industry: 'RETAIL' }, modifiedAt: '2026-11-20T10:00:00.000Z' }]);
  });

  it('reads nothing, without an error, when HubSpot finds none of the ids', async () => {
    nock(API).post(`${OBJ}/batch/read`).query(true).reply(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
    expect(await fastConnector(env).readByIds('companies', ['5'], ['name'])).toEqual([]);
  });

  it('uses /crm/v3 paths when HUBSPOT_API_VERSION=v3', async () => {
    nock(API).get('/crm/v3/objects/companies').query(true).reply(200, { results: [company('7')] });
    const page = await fastConnector(testEnv({ HUBSPOT_API_VERSION: 'v3' })).listAll('companies', ['name']);
    expect(page.records.map((r) => r.id)).toEqual(['7']);
    expect(page.next).toBeUndefined();
  });

  it('turns 401 into CrmAuthError without retrying', async () => {
    nock(API).get(OBJ).query(true).once().reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: 'x' });
    const err = await fastConnector(env).listAll('companies', ['name']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmAuthError);
    expect((err as CrmAuthError).status).toBe(401);
    expect((err as CrmAuthError).retryable).toBe(false);
  });

  it('turns 403 missing scopes into CrmAuthError naming the scope', async () => {
    nock(API)
      .post(`${OBJ}/batch/update`)
      .reply(403, {
        status: 'error',
        message: "This app hasn't been granted all required scopes to make this call.",
        category: 'MISSING_SCOPES',
        correlationId: 'x',
        errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.companies.write'] } }],
      });
    const err = await fastConnector(env).writeChanges('companies', [{ id: '1', fields: { icp_fit_score: 50 } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmAuthError);
    expect((err as Error).message).toContain('crm.objects.companies.write');
    expect((err as CrmAuthError).vendorCode).toBe('MISSING_SCOPES');
  });

  it('retries TEN_SECONDLY_ROLLING 429s after Retry-After and loses nothing', async () => {
    nock(API)
      .get(OBJ)
      .query(true)
      .times(2)
      .reply(429, rate('TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.'), { 'Retry-After': '0.01' })
      .get(OBJ)
      .query(true)
      .reply(200, { results: [company('9')] });
    const page = await fastConnector(env).listAll('companies', ['name']);
    expect(page.records.map((r) => r.id)).toEqual(['9']);
  });

  it('retries a SECONDLY 429 on search, then gives up with CrmRateLimitError after the attempts', async () => {
    nock(API)
      .post(`${OBJ}/search`)
      .times(4)
      .reply(429, rate('SECONDLY', 'You have reached your secondly limit.'), { 'Retry-After': '0' });
    const err = await fastConnector(env).listModifiedSince('companies', ['name'], '2026-11-01T00:00:00Z').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmRateLimitError);
    expect((err as CrmRateLimitError).daily).toBe(false);
    expect((err as CrmRateLimitError).vendorCode).toBe('SECONDLY');
  });

  it('never retries a DAILY 429 and marks it daily', async () => {
    nock(API).get(OBJ).query(true).once().reply(429, rate('DAILY', 'You have reached your daily limit.'));
    const err = await fastConnector(env).listAll('companies', ['name']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmRateLimitError);
    expect((err as CrmRateLimitError).daily).toBe(true);
    expect((err as CrmRateLimitError).retryAfterMs).toBeGreaterThan(0);
  });

  it('retries 5xx, 477 and network resets, then succeeds', async () => {
    nock(API)
      .get(OBJ)
      .query(true)
      .reply(502, 'Bad Gateway')
      .get(OBJ)
      .query(true)
      .reply(477, { status: 'error', message: 'Migration in progress', category: 'MIGRATION_IN_PROGRESS' }, { 'Retry-After': '0' })
      .get(OBJ)
      .query(true)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get(OBJ)
      .query(true)
      .reply(200, { results: [company('3')] });
    const page = await fastConnector(env).listAll('companies', ['name']);
    expect(page.records.map((r) => r.id)).toEqual(['3']);
  });

  it('gives up on persistent 5xx with a retryable CrmError', async () => {
    nock(API).get(OBJ).query(true).times(4).reply(503, { status: 'error', message: 'unavailable', category: 'SERVICE_UNAVAILABLE' });
    const err = await fastConnector(env).listAll('companies', ['name']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).not.toBeInstanceOf(CrmAuthError);
    expect((err as CrmError).status).toBe(503);
    expect((err as CrmError).retryable).toBe(true);
  });

  it('reports a 207 partial failure per record and keeps the rest', async () => {
    nock(API)
      .post(`${OBJ}/batch/update`, (b: { inputs: Array<{ id: string; objectWriteTraceId: string; properties: Record<string, string> }> }) =>
        b.inputs.every((i) => i.objectWriteTraceId === i.id) && b.inputs[0]?.properties.icp_tags === 'saas;fintech',
      )
      .reply(207, {
        status: 'COMPLETE',
        results: [company('1'), company('3')],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'VALIDATION_ERROR',
            message: 'Property values were not valid: [{"isValid":false,"message":"Z was not one of the allowed options","error":"INVALID_OPTION","name":"icp_tier"}]',
            context: { objectWriteTraceId: ['2'] },
          },
        ],
      });
    const out = await fastConnector(env).writeChanges('companies', [
      { id: '1', fields: { icp_tags: 'saas;fintech' } },
      { id: '2', fields: { icp_tier: 'Z' } },
      { id: '3', fields: { icp_fit_score: 12 } },
    ]);
    expect(out.written.sort()).toEqual(['1', '3']);
    expect(out.failed).toEqual([{ id: '2', code: 'VALIDATION_ERROR', message: expect.stringContaining('INVALID_OPTION'), retryable: false }]);
    expect(out.calls).toBe(1);
  });

  it('isolates the bad record when HubSpot refuses a whole batch with 400', async () => {
    const invalid = { status: 'error', message: 'Property values were not valid: INVALID_OPTION on icp_tier', category: 'VALIDATION_ERROR', correlationId: 'x' };
    const hasId = (id: string) => (b: { inputs: Array<{ id: string }> }) => b.inputs.some((i) => i.id === id);
    nock(API)
      .post(`${OBJ}/batch/update`, (b: { inputs: unknown[] }) => b.inputs.length === 3)
      .reply(400, invalid)
      .post(`${OBJ}/batch/update`, (b: { inputs: Array<{ id: string }> }) => b.inputs.length === 2 && hasId('2')(b))
      .reply(400, invalid)
      .post(`${OBJ}/batch/update`, (b: { inputs: Array<{ id: string }> }) => b.inputs.length === 1 && hasId('1')(b))
      .reply(200, { status: 'COMPLETE', results: [company('1')] })
      .post(`${OBJ}/batch/update`, (b: { inputs: Array<{ id: string }> }) => b.inputs.length === 1 && hasId('2')(b))
      .reply(400, invalid)
      .post(`${OBJ}/batch/update`, (b: { inputs: Array<{ id: string }> }) => b.inputs.length === 1 && hasId('3')(b))
      .reply(200, { status: 'COMPLETE', results: [company('3')] });
    const out = await fastConnector(env).writeChanges('companies', ['1', '2', '3'].map((id) => ({ id, fields: { icp_tier: id === '2' ? 'Z' : 'A' } })));
    expect(out.written.sort()).toEqual(['1', '3']);
    expect(out.failed).toEqual([{ id: '2', code: 'VALIDATION_ERROR', message: invalid.message, retryable: false }]);
    expect(out.calls).toBe(5);
  });

  it('refuses background writes when the daily budget is under the reserve', async () => {
    const c = fastConnector(env);
    nock(API)
      .get(OBJ)
      .query(true)
      .reply(200, { results: [] }, { 'X-HubSpot-RateLimit-Daily': '250000', 'X-HubSpot-RateLimit-Daily-Remaining': '20000' });
    await c.listAll('companies', ['name']);
    const err = await c.writeChanges('companies', [{ id: '1', fields: { icp_fit_score: 1 } }], { background: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmRateLimitError);
    expect((err as CrmRateLimitError).daily).toBe(true);
    nock(API).post(`${OBJ}/batch/update`).reply(200, { status: 'COMPLETE', results: [company('1')] });
    const live = await c.writeChanges('companies', [{ id: '1', fields: { icp_fit_score: 1 } }]);
    expect(live.written).toEqual(['1']);
  });

  it('rejects cursors it did not make', async () => {
    await expect(fastConnector(env).listAll('companies', ['name'], 'garbage')).rejects.toBeInstanceOf(CrmValidationError);
    await expect(fastConnector(env).listModifiedSince('companies', ['name'], 'not a date')).rejects.toBeInstanceOf(CrmValidationError);
    expect(() => fastConnector(env).outputFields('deals')).toThrow(CrmValidationError);
  });
});
