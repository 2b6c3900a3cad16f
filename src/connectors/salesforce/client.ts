/**
 * The one choke point for Salesforce calls: authenticates, holds a permit of the cross-worker concurrency
 * cap, honours a shared pause after REQUEST_LIMIT_EXCEEDED, retries transient failures with backoff (jsforce
 * never retries POST/PATCH), records the `Sforce-Limit-Info` daily usage, and turns every vendor failure into
 * the typed errors of `src/errors.ts`. Callers never see a jsforce error.
 */
import type { Connection } from 'jsforce';
import type { z } from 'zod';
import { CrmRateLimitError, CrmValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { crmCallsTotal } from '../../observability/metrics.ts';
import type { SalesforceSession } from './auth.ts';
import { CALL_RETRY } from './limits.ts';
import { toCrmError } from './map-error.ts';

/** Cross-worker coordination (Redis): a concurrency cap and a pause every worker honours. */
export interface CallGate {
  /** Runs `fn` while holding one of the shared permits. */
  withPermit<T>(fn: () => Promise<T>): Promise<T>;
  /** Milliseconds left on the shared pause (0 when not paused). */
  pausedForMs(): Promise<number>;
  /** Pauses every worker's Salesforce calls for `ms`. */
  pauseFor(ms: number): Promise<void>;
}

/** Where the daily API usage is shared between workers. */
export interface UsageStore {
  get(): Promise<ApiUsage | undefined>;
  set(usage: ApiUsage): Promise<void>;
}

export interface ApiUsage {
  used: number;
  limit: number;
}

export interface SalesforceClientOptions {
  session: SalesforceSession;
  logger: Logger;
  gate: CallGate;
  usage: UsageStore;
  /** Share of the daily allocation kept in reserve (0..1). Background work refuses under it. Default 0.1. */
  dailyReserve: number;
  /** Whole-call retry: attempts (including the first) and backoff bounds in ms. Defaults from `limits.ts`. */
  retry?: { attempts: number; baseMs: number; maxMs: number };
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /**
   * Path relative to `/services/data/vXX.X` (`/query?q=…`), absolute from the host (`/services/…`), or a
   * full URL on the instance (some answers, such as `nextRecordsUrl`, may carry one). A full URL on another
   * origin is refused before anything is sent: the session token must never leave the instance.
   */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A request URL as a path on the instance: full URLs on the instance's origin lose the origin (jsforce would
 * otherwise send them, token included, wherever they point); full URLs elsewhere are refused.
 */
export function onInstance(url: string, instanceUrl: string, operation: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  let target: URL;
  let instance: URL;
  try {
    target = new URL(url);
    instance = new URL(instanceUrl);
  } catch {
    throw new CrmValidationError(`salesforce ${operation}: "${url}" is not a valid URL`, { crm: 'salesforce' });
  }
  if (target.origin !== instance.origin) {
    throw new CrmValidationError(
      `salesforce ${operation}: refusing to follow ${target.origin}, which is not the instance ${instance.origin}`,
      { crm: 'salesforce' },
    );
  }
  return `${target.pathname}${target.search}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SalesforceClient {
  readonly session: SalesforceSession;
  private readonly opts: SalesforceClientOptions;
  private readonly retry: { attempts: number; baseMs: number; maxMs: number };
  /** API calls issued by this client (each HTTP request counts as one call at Salesforce). */
  calls = 0;

  constructor(opts: SalesforceClientOptions) {
    this.opts = opts;
    this.session = opts.session;
    this.retry = opts.retry ?? CALL_RETRY;
  }

  /** A REST call through `connection.request`, its JSON answer checked with `schema`. */
  async rest<S extends z.ZodType>(operation: string, req: RestRequest, schema: S): Promise<z.infer<S>> {
    const raw = await this.run(operation, (conn) =>
      conn.request<unknown>(
        {
          method: req.method,
          url: onInstance(req.url, conn.instanceUrl, operation),
          ...(req.body === undefined ? {} : { body: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) }),
          headers: { ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
        },
        // Our own retry below covers every method the same way; jsforce's only covers GET.
        { retry: { maxRetries: 0 } },
      ),
    );
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new CrmValidationError(`salesforce ${operation}: unexpected response shape: ${parsed.error.issues[0]?.message ?? ''}`, {
        crm: 'salesforce',
      });
    }
    return parsed.data;
  }

  /**
   * Runs one vendor call (or a short sequence that is safe to repeat) under the gate with retries.
   * `fn` receives an authenticated connection. Errors come out typed.
   */
  async run<T>(operation: string, fn: (conn: Connection) => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    const attempts = options.retry === false ? 1 : this.retry.attempts;
    for (let attempt = 1; ; attempt += 1) {
      const paused = await this.opts.gate.pausedForMs();
      if (paused > 0) {
        throw new CrmRateLimitError(`salesforce ${operation}: calls paused after a request limit`, {
          crm: 'salesforce',
          vendorCode: 'REQUEST_LIMIT_EXCEEDED',
          retryAfterMs: paused,
        });
      }
      try {
        return await this.opts.gate.withPermit(async () => {
          await this.session.ensure();
          this.calls += 1;
          try {
            const result = await fn(this.session.connection);
            crmCallsTotal.inc({ crm: 'salesforce', status: '200' });
            return result;
          } finally {
            await this.recordUsage();
          }
        });
      } catch (err) {
        const refreshFailure = this.session.takeRefreshFailure();
        const mapped = toCrmError(refreshFailure ?? err, { operation, dailyExhausted: await this.dailyExhausted() });
        crmCallsTotal.inc({ crm: 'salesforce', status: mapped.status ? String(mapped.status) : mapped.vendorCode ? 'error' : 'network' });
        if (mapped instanceof CrmRateLimitError) {
          await this.opts.gate.pauseFor(mapped.retryAfterMs ?? 0);
          this.opts.logger.warn(
            { crm: 'salesforce', operation, daily: mapped.daily, pauseMs: mapped.retryAfterMs },
            'salesforce request limit reached: pausing calls',
          );
          throw mapped;
        }
        if (!mapped.retryable || attempt >= attempts) throw mapped;
        const delay = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1));
        const jittered = Math.round(delay / 2 + Math.random() * (delay / 2));
        this.opts.logger.warn(
          { crm: 'salesforce', operation, attempt, vendorCode: mapped.vendorCode, delayMs: jittered },
          'salesforce call failed, retrying',
        );
        await sleep(jittered);
      }
    }
  }

  /** The last known daily usage (shared between workers), if any call reported it yet. */
  async usage(): Promise<ApiUsage | undefined> {
    return this.opts.usage.get();
  }

  /**
   * For background (bulk) work: throws a daily `CrmRateLimitError` when the remaining daily allocation is under
   * the reserve, so backfills stop before people and other integrations run out.
   */
  async assertDailyBudget(operation: string): Promise<void> {
    const u = await this.opts.usage.get();
    if (!u || u.limit <= 0) return;
    const remaining = u.limit - u.used;
    const reserve = Math.ceil(u.limit * this.opts.dailyReserve);
    if (remaining <= reserve) {
      throw new CrmRateLimitError(
        `salesforce ${operation}: ${remaining} API calls left of ${u.limit} today, under the ${Math.round(this.opts.dailyReserve * 100)}% reserve`,
        { crm: 'salesforce', vendorCode: 'DAILY_RESERVE', daily: true, retryAfterMs: 60 * 60_000 },
      );
    }
  }

  private async dailyExhausted(): Promise<boolean> {
    const u = await this.opts.usage.get();
    return u !== undefined && u.limit > 0 && u.used >= u.limit;
  }

  private async recordUsage(): Promise<void> {
    const info = this.session.connection.limitInfo?.apiUsage;
    if (!info) return;
    try {
      await this.opts.usage.set({ used: info.used, limit: info.limit });
    } catch (err) {
      this.opts.logger.warn({ crm: 'salesforce', err: (err as Error).message }, 'could not share the salesforce API usage');
    }
  }
}

