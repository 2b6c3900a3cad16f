/**
 * Turns whatever jsforce or the network threw into the typed errors of `src/errors.ts`. jsforce's
 * `HttpApiError` carries no HTTP status (jsforce issues #490, #1701): errors are told apart by
 * `errorCode` (= `name`), OAuth errors by their `error` code (jsforce puts it in `name`).
 */
import { CrmAuthError, CrmError, CrmRateLimitError, CrmValidationError } from '../../errors.ts';
import { PAUSE_ON_CONCURRENT_LIMIT_MS, PAUSE_ON_DAILY_LIMIT_MS } from './limits.ts';

const crm = 'salesforce' as const;

/** OAuth token endpoint error codes (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm). */
const OAUTH_CODES = new Set([
  'invalid_grant',
  'invalid_client_id',
  'invalid_client',
  'invalid_client_credentials',
  'unsupported_grant_type',
  'unauthorized_client',
  'invalid_request',
  'inactive_user',
  'inactive_org',
  'rate_limit_exceeded',
  'invalid_app_access',
]);

const AUTH_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'API_DISABLED_FOR_USER',
  'NOT_ACCESSIBLE',
  'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
  'ERROR_HTTP_401',
  'ERROR_HTTP_403',
]);

const VALIDATION_CODES = new Set([
  'MALFORMED_QUERY',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_LOCATOR',
  'JSON_PARSER_ERROR',
  'MALFORMED_ID',
  'INVALID_ID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'FIELD_INTEGRITY_EXCEPTION',
  'STRING_TOO_LONG',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'REQUIRED_FIELD_MISSING',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'UNSUPPORTED_API_VERSION',
  'INVALID_CROSS_REFERENCE_KEY',
  'ENTITY_IS_DELETED',
  // Bulk API 2.0 job errors.
  'INVALIDBATCH',
  'INVALIDJOB',
  'INVALIDJOBSTATE',
  'INVALIDENTITY',
  'FEATURENOTENABLED',
  'ERROR_HTTP_400',
  'ERROR_HTTP_404',
  'ERROR_HTTP_405',
  'ERROR_HTTP_413',
  'ERROR_HTTP_414',
]);

/** Per-record codes worth retrying later (locks, transient platform errors). */
const RETRYABLE_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'UNKNOWN_EXCEPTION', 'UNPROCESSED']);

export function isRetryableRecordCode(code: string): boolean {
  return RETRYABLE_RECORD_CODES.has(code);
}

const STATUS_OF: Readonly<Record<string, number>> = {
  INVALID_SESSION_ID: 401,
  REQUEST_LIMIT_EXCEEDED: 403,
  INSUFFICIENT_ACCESS: 403,
  API_DISABLED_FOR_ORG: 403,
  NOT_FOUND: 404,
};

interface ErrorShape {
  name?: unknown;
  errorCode?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** The vendor code of a thrown error (`sf:` SOAP prefixes removed), or undefined. */
export function vendorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorShape;
  const raw = typeof e.errorCode === 'string' ? e.errorCode : typeof e.name === 'string' ? e.name : undefined;
  if (!raw || raw === 'Error' || raw === 'TypeError') return undefined;
  return raw.replace(/^[a-z]+:/i, '');
}

function statusOf(code: string): number | undefined {
  const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
  if (http) return Number(http[1]);
  if (OAUTH_CODES.has(code)) return 400;
  return STATUS_OF[code];
}

function networkCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth += 1) {
    const c = (cur as ErrorShape).code;
    if (typeof c === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(c)) return c;
    cur = (cur as ErrorShape).cause;
  }
  return undefined;
}

/**
 * Maps one thrown value. `dailyExhausted` tells whether our own usage tracking says the daily allocation is
 * used up, which separates the daily REQUEST_LIMIT_EXCEEDED from the concurrent-requests one.
 */
export function toCrmError(err: unknown, context: { operation: string; dailyExhausted?: boolean }): CrmError {
  if (err instanceof CrmError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = vendorCodeOf(err);
  const where = `salesforce ${context.operation}`;

  const net = networkCode(err);
  if (!code || code === 'AbortError') {
    return new CrmError(`${where}: ${net ? `network error ${net}` : message}`, { crm, vendorCode: net, cause: err });
  }
  if (code === 'MULTIPLE_API_ERRORS') {
    const first = Array.isArray((err as { data?: unknown }).data) ? ((err as { data: unknown[] }).data[0] as ErrorShape | undefined) : undefined;
    if (first && typeof first.errorCode === 'string') {
      return toCrmError(Object.assign(new Error(String(first.message ?? message)), { errorCode: first.errorCode, name: first.errorCode }), context);
    }
  }
  const status = statusOf(code);
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // Same code for the daily allocation ("TotalRequests Limit exceeded") and the concurrent long-running
    // request limit; only the message (or our own usage figures) tells them apart.
    const daily = context.dailyExhausted === true || /TotalRequests/i.test(message);
    return new CrmRateLimitError(`${where}: ${message}`, {
      crm,
      status: 403,
      vendorCode: code,
      daily,
      retryAfterMs: daily ? PAUSE_ON_DAILY_LIMIT_MS : PAUSE_ON_CONCURRENT_LIMIT_MS,
      cause: err,
    });
  }
  if (code === 'ERROR_HTTP_429' || code === 'rate_limit_exceeded') {
    return new CrmRateLimitError(`${where}: ${message}`, {
      crm,
      status: 429,
      vendorCode: code,
      retryAfterMs: PAUSE_ON_CONCURRENT_LIMIT_MS,
      cause: err,
    });
  }
  if (OAUTH_CODES.has(code) || AUTH_CODES.has(code)) {
    return new CrmAuthError(`${where}: ${code}: ${message}`, { crm, status, vendorCode: code, cause: err });
  }
  if (VALIDATION_CODES.has(code) || code === 'MULTIPLE_API_ERRORS') {
    return new CrmValidationError(`${where}: ${code}: ${message}`, { crm, status, vendorCode: code, cause: err });
  }
  return new CrmError(`${where}: ${code}: ${message}`, { crm, status, vendorCode: code, cause: err });
}
