/**
 * Small error classes that steer retries. Branch on `instanceof`, never on message text.
 * Queue processors map them: `ConfigError`/`CrmAuthError`/`CrmValidationError` → no retry,
 * `CrmRateLimitError` → pause the queue for `retryAfterMs`, anything else → retried with backoff.
 */

/** Invalid configuration (model, mappings, env). `problems` are `file: path: what is wrong` lines. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[], message?: string) {
    super(message ?? problems.join('\n'));
    this.problems = problems;
  }
}

export type CrmName = 'hubspot' | 'salesforce';

export interface CrmErrorDetails {
  crm: CrmName;
  /** HTTP status when the vendor answered. */
  status?: number;
  /** Vendor error code or category (`RATE_LIMITS`, `UNABLE_TO_LOCK_ROW`, `INVALID_SESSION_ID`…). */
  vendorCode?: string;
  /** Milliseconds to wait before trying again, when the vendor said so or a limit implies it. */
  retryAfterMs?: number;
  /** Vendor correlation/trace id, for support tickets. */
  correlationId?: string;
  cause?: unknown;
}

/** A CRM call failed. Retryable unless a subclass says otherwise. */
export class CrmError extends Error {
  override readonly name: string = 'CrmError';
  readonly crm: CrmName;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly correlationId: string | undefined;
  readonly retryable: boolean = true;
  constructor(message: string, details: CrmErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.crm = details.crm;
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.retryAfterMs = details.retryAfterMs;
    this.correlationId = details.correlationId;
  }
}

/** Bad or expired credentials that a refresh could not fix, or a missing scope/permission. */
export class CrmAuthError extends CrmError {
  override readonly name = 'CrmAuthError';
  override readonly retryable = false;
}

/** The vendor refused the request as invalid (400 validation, unknown field or option). */
export class CrmValidationError extends CrmError {
  override readonly name = 'CrmValidationError';
  override readonly retryable = false;
}

/** A rate or daily limit was hit; `retryAfterMs` says how long to pause. */
export class CrmRateLimitError extends CrmError {
  override readonly name = 'CrmRateLimitError';
  /** `true` when the daily budget (not a burst window) is exhausted or under its reserve. */
  readonly daily: boolean;
  constructor(message: string, details: CrmErrorDetails & { daily?: boolean }) {
    super(message, details);
    this.daily = details.daily ?? false;
  }
}

/** The CRM has no record with this id (deleted, merged away, or never existed): admin routes answer 404. */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  readonly crm: CrmName;
  readonly objectType: string;
  readonly id: string;
  constructor(crm: CrmName, objectType: string, id: string) {
    super(`${crm} ${objectType} ${id} not found`);
    this.crm = crm;
    this.objectType = objectType;
    this.id = id;
  }
}

/** Redis/the queue cannot take work right now: webhook receivers answer 503. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** An enrichment provider failed; scoring goes on with what is known. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(provider: string, message: string, opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.provider = provider;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}
