import { describe, expect, it } from 'vitest';
import { CrmAuthError, CrmRateLimitError, QueueUnavailableError, RecordNotFoundError } from '../../src/errors.ts';
import { ADMIN_TOKEN, bearer, buildTestApp } from './helper.ts';

describe('admin routes: access', () => {
  it('do not exist when ADMIN_TOKEN is unset', async () => {
    const { app } = await buildTestApp({ env: { ADMIN_TOKEN: '' } });
    for (const url of ['/admin/status', '/admin/queues', '/admin/failed']) {
      const res = await app.inject({ method: 'GET', url, headers: bearer() });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('refuse a missing, wrong or differently-sized token with 401', async () => {
    const { app, runtime } = await buildTestApp();
    const attempts = [undefined, 'Bearer wrong', `Bearer ${ADMIN_TOKEN}x`, `Bearer ${ADMIN_TOKEN.slice(1)}`, ADMIN_TOKEN, `Basic ${Buffer.from(`u:${ADMIN_TOKEN}`).toString('base64')}`];
    for (const authorization of attempts) {
      const res = await app.inject({ method: 'GET', url: '/admin/status', headers: authorization ? { authorization } : {} });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
    }
    expect(runtime.calls).toEqual([]);
  });

  it('answer with the right bearer token', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/admin/status', headers: bearer() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, method: 'status' });
  });
});

describe('POST /admin/backfill', () => {
  it('starts a backfill of every object type when none is named', async () => {
    const { app, runtime } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/admin/backfill', headers: bearer(), payload: { crm: 'salesforce' } });
    expect(res.statusCode).toBe(202);
    expect(runtime.calls).toEqual([{ method: 'startBackfill', args: ['salesforce', undefined] }]);
  });

  it('passes a named object type', async () => {
    const { app, runtime } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/admin/backfill', headers: bearer(), payload: { crm: 'salesforce', objectType: 'Lead' } });
    expect(res.statusCode).toBe(202);
    expect(runtime.calls[0]?.args).toEqual(['salesforce', 'Lead']);
  });

  it('refuses unknown CRMs, unknown object types, extra fields and unconfigured CRMs', async () => {
    const { app, runtime } = await buildTestApp({ runtime: { connector: (crm) => (crm === 'hubspot' ? { crm, objectTypes: ['companies'], outputFields: () => [] } : undefined) } });
    const cases: Array<[unknown, string]> = [
      [{ crm: 'pipedrive' }, 'bad_request'],
      [{ crm: 'hubspot', objectType: 'deals' }, 'unknown_object_type'],
      [{ crm: 'hubspot', extra: 1 }, 'bad_request'],
      [{ crm: 'salesforce' }, 'crm_not_configured'],
      [{}, 'bad_request'],
    ];
    for (const [payload, error] of cases) {
      const res = await app.inject({ method: 'POST', url: '/admin/backfill', headers: bearer(), payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toBe(error);
    }
    expect(runtime.calls).toEqual([]);
  });
});

describe('GET /admin/backfill', () => {
  it('reports progress, for one CRM or all', async () => {
    const { app, runtime } = await buildTestApp();
    expect((await app.inject({ method: 'GET', url: '/admin/backfill?crm=hubspot', headers: bearer() })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/admin/backfill', headers: bearer() })).statusCode).toBe(200);
    expect(runtime.calls.map((c) => c.args)).toEqual([['hubspot'], [undefined]]);
  });
});

describe('POST /admin/rescore', () => {
  it('queues the ids once each, on the default object type', async () => {
    const { app, runtime } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/admin/rescore', headers: bearer(), payload: { crm: 'hubspot', ids: ['101', '102', '101'] } });
    expect(res.statusCode).toBe(202);
    expect(runtime.calls).toEqual([{ method: 'rescore', args: ['hubspot', 'companies', ['101', '102']] }]);
  });

  it('refuses empty id lists and ids that are not record ids', async () => {
    const { app } = await buildTestApp();
    for (const ids of [[], ['1 OR 1=1'], ['a'.repeat(65)]]) {
      const res = await app.inject({ method: 'POST', url: '/admin/rescore', headers: bearer(), payload: { crm: 'hubspot', ids } });
      expect(res.statusCode, JSON.stringify(ids)).toBe(400);
    }
  });

  it('refuses ids the CRM cannot have, naming them (HubSpot: digits; Salesforce: 15/18 letters and digits)', async () => {
    const { app, runtime } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/admin/rescore', headers: bearer(), payload: { crm: 'hubspot', ids: ['101', 'abc'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_record_id' });
    expect(JSON.stringify(res.json())).toContain('abc');
    const sf = await app.inject({ method: 'POST', url: '/admin/rescore', headers: bearer(), payload: { crm: 'salesforce', ids: ['001AB00000xYz1'] } });
    expect(sf.statusCode).toBe(400);
    const ex = await app.inject({ method: 'GET', url: '/admin/explain/hubspot/abc', headers: bearer() });
    expect(ex.statusCode).toBe(400);
    expect(runtime.calls).toEqual([]);
  });

  it('refuses a body that is not JSON', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'POST', url: '/admin/rescore', headers: { ...bearer(), 'content-type': 'application/json' }, payload: '{"crm":' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request' });
  });
});

describe('GET /admin/explain/:crm/:id', () => {
  it('lets the runtime find the record type, or uses the one asked for', async () => {
    const { app, runtime } = await buildTestApp();
    expect((await app.inject({ method: 'GET', url: '/admin/explain/salesforce/001AB00000xYz12', headers: bearer() })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/admin/explain/salesforce/00QAB00000xYz12?objectType=Lead', headers: bearer() })).statusCode).toBe(200);
    expect(runtime.calls.map((c) => c.args)).toEqual([
      ['salesforce', undefined, '001AB00000xYz12'],
      ['salesforce', 'Lead', '00QAB00000xYz12'],
    ]);
  });
});

describe('GET /admin/explain for a record that does not exist', () => {
  it('answers 404', async () => {
    const { app } = await buildTestApp({ runtime: { explain: (crm, objectType, id) => Promise.reject(new RecordNotFoundError(crm, objectType ?? 'companies', id)) } });
    const res = await app.inject({ method: 'GET', url: '/admin/explain/hubspot/999', headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'record_not_found', message: 'hubspot companies 999 does not exist' });
  });
});

describe('failed jobs', () => {
  it('lists with defaults and bounds', async () => {
    const { app, runtime } = await buildTestApp();
    expect((await app.inject({ method: 'GET', url: '/admin/failed', headers: bearer() })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/admin/failed?limit=10&offset=20', headers: bearer() })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/admin/failed?limit=100000', headers: bearer() })).statusCode).toBe(400);
    expect(runtime.calls.map((c) => c.args)).toEqual([[{ limit: 50, offset: 0 }], [{ limit: 10, offset: 20 }]]);
  });

  it('retries by id or all, and nothing on an ambiguous body', async () => {
    const { app, runtime } = await buildTestApp();
    expect((await app.inject({ method: 'POST', url: '/admin/failed/retry', headers: bearer(), payload: { ids: ['42'] } })).statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: '/admin/failed/retry', headers: bearer(), payload: { all: true } })).statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: '/admin/failed/retry', headers: bearer(), payload: { all: false } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/admin/failed/retry', headers: bearer(), payload: { ids: ['1'], all: true } })).statusCode).toBe(400);
    expect(runtime.calls.map((c) => c.args)).toEqual([[['42']], ['all']]);
  });
});

describe('errors from the runtime', () => {
  it('hide internals behind a 500', async () => {
    const { app, logs } = await buildTestApp({ runtime: { status: () => Promise.reject(new Error('WRONGPASS redis://:hunter2@10.1.2.3')) } });
    const res = await app.inject({ method: 'GET', url: '/admin/status', headers: bearer() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal_error', message: 'internal server error', requestId: expect.any(String) });
    expect(res.body).not.toContain('hunter2');
    expect(logs.some((l) => l.level === 50)).toBe(true);
    // The bearer token never reaches the logs, not even on a failed request.
    expect(JSON.stringify(logs)).not.toContain(ADMIN_TOKEN);
  });

  it('map typed errors to 503 and 502 with a Retry-After where it helps', async () => {
    const limited = new CrmRateLimitError('too many', { crm: 'hubspot', status: 429, retryAfterMs: 4200 });
    const { app } = await buildTestApp({
      runtime: {
        rescore: () => Promise.reject(new QueueUnavailableError('redis down')),
        explain: () => Promise.reject(limited),
        startBackfill: () => Promise.reject(new CrmAuthError('expired token abc', { crm: 'hubspot', status: 401 })),
      },
    });
    const queued = await app.inject({ method: 'POST', url: '/admin/rescore', headers: bearer(), payload: { crm: 'hubspot', ids: ['1'] } });
    expect([queued.statusCode, queued.json().error]).toEqual([503, 'queue_unavailable']);
    const explained = await app.inject({ method: 'GET', url: '/admin/explain/hubspot/1', headers: bearer() });
    expect([explained.statusCode, explained.json().error, explained.headers['retry-after']]).toEqual([503, 'crm_rate_limited', '5']);
    const backfill = await app.inject({ method: 'POST', url: '/admin/backfill', headers: bearer(), payload: { crm: 'hubspot' } });
    expect([backfill.statusCode, backfill.json().error]).toEqual([502, 'crm_error']);
    expect(backfill.body).not.toContain('abc');
  });
});
