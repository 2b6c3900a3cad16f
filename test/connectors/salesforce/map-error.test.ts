import { describe, expect, it } from 'vitest';
import { isRetryableRecordCode, toCrmError } from '../../../src/connectors/salesforce/map-error.ts';
import { CrmAuthError, CrmError, CrmRateLimitError, CrmValidationError } from '../../../src/errors.ts';

/** jsforce's HttpApiError: `name` and `errorCode` both hold the vendor code; there is no HTTP status. */
const apiError = (errorCode: string, message = 'x', data?: unknown) => Object.assign(new Error(message), { name: errorCode, errorCode, data });

describe('Salesforce error mapping', () => {
  it.each([
    ['INVALID_SESSION_ID', CrmAuthError],
    ['INSUFFICIENT_ACCESS', CrmAuthError],
    ['API_DISABLED_FOR_ORG', CrmAuthError],
    ['invalid_grant', CrmAuthError],
    ['MALFORMED_QUERY', CrmValidationError],
    ['INVALID_FIELD', CrmValidationError],
    ['INVALIDBATCH', CrmValidationError],
    ['ERROR_HTTP_400', CrmValidationError],
    ['ERROR_HTTP_503', CrmError],
    ['SERVER_UNAVAILABLE', CrmError],
  ] as const)('%s', (code, type) => {
    const err = toCrmError(apiError(code), { operation: 'op' });
    expect(err).toBeInstanceOf(type);
    expect(err.vendorCode).toBe(code);
    expect(err.crm).toBe('salesforce');
  });

  it('takes the HTTP status from ERROR_HTTP_nnn and strips SOAP prefixes', () => {
    expect(toCrmError(apiError('ERROR_HTTP_502'), { operation: 'op' }).status).toBe(502);
    expect(toCrmError(apiError('sf:INVALID_SESSION_ID'), { operation: 'op' })).toBeInstanceOf(CrmAuthError);
  });

  it('tells the daily allocation from the concurrent-request limit', () => {
    const daily = toCrmError(apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), { operation: 'op' });
    const concurrent = toCrmError(apiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), { operation: 'op' });
    const byUsage = toCrmError(apiError('REQUEST_LIMIT_EXCEEDED', 'limit'), { operation: 'op', dailyExhausted: true });
    expect(daily).toBeInstanceOf(CrmRateLimitError);
    expect((daily as CrmRateLimitError).daily).toBe(true);
    expect((concurrent as CrmRateLimitError).daily).toBe(false);
    expect((concurrent as CrmRateLimitError).retryAfterMs).toBeLessThan((daily as CrmRateLimitError).retryAfterMs ?? 0);
    expect((byUsage as CrmRateLimitError).daily).toBe(true);
  });

  it('maps MULTIPLE_API_ERRORS by its first error', () => {
    const err = toCrmError(apiError('MULTIPLE_API_ERRORS', 'Multiple errors', [{ errorCode: 'INVALID_FIELD', message: 'No such column' }]), { operation: 'op' });
    expect(err).toBeInstanceOf(CrmValidationError);
    expect(err.vendorCode).toBe('INVALID_FIELD');
  });

  it('treats network failures as retryable and keeps the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const err = toCrmError(Object.assign(new TypeError('fetch failed'), { cause }), { operation: 'op' });
    expect(err).toBeInstanceOf(CrmError);
    expect(err.retryable).toBe(true);
    expect(err.vendorCode).toBe('ECONNREFUSED');
  });

  it('knows which per-record codes are worth retrying', () => {
    expect(isRetryableRecordCode('UNABLE_TO_LOCK_ROW')).toBe(true);
    expect(isRetryableRecordCode('FIELD_CUSTOM_VALIDATION_EXCEPTION')).toBe(false);
    expect(isRetryableRecordCode('ENTITY_IS_DELETED')).toBe(false);
  });
});
