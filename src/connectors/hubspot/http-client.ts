/**
 * The one place every HubSpot call goes through: bearer token, the Redis-shared rate limiter (burst
 * and search budgets), 429 handling per policy with a pause shared by every process, retries of
 * 5xx/423/477 and network failures with exponential backoff and full jitter, the daily budget, and
 * the mapping of failures to our typed errors.
 *
 * Transport is Node's `fetch`, not `@hubspot/api-client`: the SDK keeps its retry and Bottleneck
 * settings in a process-wide singleton that any other `new Client()` silently replaces (see
 * docs/hubspot.md), its limiter is per process, and it only knows `/crm/v3` paths.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CrmError, CrmRateLimitError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { crmCallsTotal, limiterWaitSeconds } from '../../observability/metrics.ts';
import type { RateLimiter } from '../../rate-limit/limiter.ts';
import type { DailyBudget } from './daily-budget.ts';
import { LOCKED_MIN_DELAY_MS, ROLLING_429_PAUSE_MS, SECONDLY_429_PAUSE_MS } from './limits.ts';
import { parseErrorBody, ratePolicy, retryAfterMs, toCrmError } from './map-error.ts';

export type Budget = 'burst' | 'search';

export interface HubSpotRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path from the API root, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Which shared budget the call spends. Search has its own 5/s budget. Default `burst`. */
  budget?: Budget;
  /** Name for logs and error messages instead of the path (when the path holds a secret). */
  label?: string;
  /** Error statuses returned to the caller instead of thrown (e.g. 404 on a lookup, 409 on create). */
  accept?: readonly number[];
}

export interface HubSpotResponse {
  status: number;
  body: unknown;
  headers: Headers;
  /** HTTP requests this call made, retries included. */
  attempts: number;
}

export interface HubSpotHttpClientOptions {
  /** API root, `HUBSPOT_BASE_URL` (default https://api.hubapi.com). */
  baseUrl: string;
  accessToken: string;
  limiters: { burst: RateLimiter; search: RateLimiter };
  /** Limiter key for this app's budgets (distinct per token). */
  limiterKey: string;
  daily: DailyBudget;
  logger: Logger;
  /** Attempts per call for 5xx, 423, 477 and network failures (default 5). */
  maxAttempts?: number;
  /** Attempts per call for burst/secondly 429s (default 8); each waits for the shared pause. */
  max429Attempts?: number;
  /** First backoff step in ms (default 500); doubles per attempt, capped by `maxBackoffMs`. */
  baseBackoffMs?: number;
  /** Largest backoff in ms (default 30,000). */
  maxBackoffMs?: number;
  /** Per-attempt timeout in ms (default 30,000). */
  timeoutMs?: number;
}

const RETRYABLE = new Set([423, 477, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

export class HubSpotHttpClient {
  private readonly o: Required<HubSpotHttpClientOptions>;

  constructor(options: HubSpotHttpClientOptions) {
    this.o = { maxAttempts: 5, max429Attempts: 8, baseBackoffMs: 500, maxBackoffMs: 30_000, timeoutMs: 30_000, ...options };
  }

  get daily(): DailyBudget {
    return this.o.daily;
  }

  /** Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff And Jitter"). */
  private backoff(attempt: number): number {
    const cap = Math.min(this.o.maxBackoffMs, this.o.baseBackoffMs * 2 ** (attempt - 1));
    return Math.floor(Math.random() * cap);
  }

  private url(req: HubSpotRequest): string {
    const u = new URL(`${this.o.baseUrl.replace(/\/+$/, '')}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request(req: HubSpotRequest): Promise<HubSpotResponse> {
    const budget = req.budget ?? 'burst';
    const limiter = this.o.limiters[budget];
    const key = `${this.o.limiterKey}:${budget}`;
    const what = req.label ?? `${req.method} ${req.path}`;
    let failures = 0;
    let throttled = 0;
    let attempts = 0;
    for (;;) {
      const started = Date.now();
      await limiter.acquire(key);
      limiterWaitSeconds.observe({ crm: 'hubspot' }, (Date.now() - started) / 1000);
      attempts += 1;
      let res: Response;
      let body: unknown;
      try {
        res = await fetch(this.url(req), {
          method: req.method,
          headers: {
            authorization: `Bearer ${this.o.accessToken}`,
            accept: 'application/json',
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        body = await readBody(res);
      } catch (err) {
        crmCallsTotal.inc({ crm: 'hubspot', status: 'network' });
        failures += 1;
        if (failures >= this.o.maxAttempts) {
          throw new CrmError(`HubSpot ${what} failed: network error after ${failures} attempts`, { crm: 'hubspot', vendorCode: 'NETWORK', cause: err });
        }
        this.o.logger.warn({ call: what, attempt: failures }, 'HubSpot network error; retrying');
        await sleep(this.backoff(failures));
        continue;
      }
      crmCallsTotal.inc({ crm: 'hubspot', status: String(res.status) });
      if (budget === 'burst') this.o.daily.record(res.headers);
      if (res.ok || req.accept?.includes(res.status)) {
        this.o.logger.debug({ call: what, status: res.status, ms: Date.now() - started }, 'HubSpot call');
        return { status: res.status, body, headers: res.headers, attempts };
      }

      if (res.status === 429) {
        const errBody = parseErrorBody(body);
        const policy = ratePolicy(errBody);
        if (policy === 'DAILY') throw toCrmError(429, body, res.headers, what);
        throttled += 1;
        const pause = retryAfterMs(res.headers) ?? (policy === 'SECONDLY' ? SECONDLY_429_PAUSE_MS : ROLLING_429_PAUSE_MS);
        // Every process backs off, not only this one: the budget is the app's, not the process's.
        await limiter.pauseFor(key, pause);
        this.o.logger.warn({ call: what, policy, pauseMs: pause, attempt: throttled }, 'HubSpot rate limit hit; all workers pause');
        if (throttled >= this.o.max429Attempts) {
          const e = toCrmError(429, body, res.headers, what);
          throw new CrmRateLimitError(e.message, { crm: 'hubspot', status: 429, vendorCode: policy, retryAfterMs: pause, correlationId: e.correlationId });
        }
        continue;
      }

      if (RETRYABLE.has(res.status)) {
        failures += 1;
        if (failures >= this.o.maxAttempts) throw toCrmError(res.status, body, res.headers, what);
        let delay = this.backoff(failures);
        if (res.status === 423) delay = Math.max(delay, LOCKED_MIN_DELAY_MS);
        const after = retryAfterMs(res.headers);
        if (after !== undefined) delay = Math.max(delay, after);
        this.o.logger.warn({ call: what, status: res.status, attempt: failures, delayMs: delay }, 'HubSpot server error; retrying');
        await sleep(delay);
        continue;
      }
      throw toCrmError(res.status, body, res.headers, what);
    }
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 500) };
  }
}
