/**
 * The one place provider HTTP calls go through: waits for the shared rate gate, applies the
 * timeout, and turns every failure (network, timeout, 429, 5xx, other 4xx, unparseable body)
 * into a `ProviderError`. A 429 also pauses the gate for every worker.
 */
import { ProviderError } from '../errors.ts';
import type { RateGate } from './rate-gate.ts';

export interface ProviderRequest {
  provider: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  gate?: RateGate;
  /** Milliseconds to pause when a 429 names no delay. */
  defaultRetryAfterMs: number;
  /** Extra source of a retry delay (e.g. PDL's `x-ratelimit-reset`), tried after `Retry-After`. */
  retryAfterFrom?: (headers: Headers, now: number) => number | undefined;
  /** Called once per HTTP exchange with its outcome (`200`, `429`, `timeout`, `network`). */
  onCall?: (status: string) => void;
}

export interface ProviderResponse {
  status: number;
  json: unknown;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Sends one request. Resolves with the parsed JSON body for 2xx and for `allowStatuses`
 * (e.g. 404 "no match"); throws `ProviderError` for everything else.
 */
export async function providerFetch(req: ProviderRequest, allowStatuses: readonly number[] = []): Promise<ProviderResponse> {
  if (req.gate) await req.gate.acquire();
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'GET',
      headers: { accept: 'application/json', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (cause) {
    const timedOut = isTimeout(cause);
    req.onCall?.(timedOut ? 'timeout' : 'network');
    throw new ProviderError(req.provider, timedOut ? `no answer within ${req.timeoutMs} ms` : 'network error', { cause });
  }
  req.onCall?.(String(res.status));
  if (res.status === 429) {
    const now = Date.now();
    const retryAfterMs =
      parseRetryAfter(res.headers.get('retry-after'), now) ?? req.retryAfterFrom?.(res.headers, now) ?? req.defaultRetryAfterMs;
    await res.body?.cancel();
    if (req.gate) await req.gate.pauseFor(retryAfterMs);
    throw new ProviderError(req.provider, 'rate limited (429)', { status: 429, retryAfterMs });
  }
  if (!res.ok && !allowStatuses.includes(res.status)) {
    await res.body?.cancel();
    throw new ProviderError(req.provider, `HTTP ${res.status}`, { status: res.status });
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch (cause) {
    if (isTimeout(cause)) throw new ProviderError(req.provider, `no answer within ${req.timeoutMs} ms`, { cause });
    throw new ProviderError(req.provider, `unreadable JSON body (HTTP ${res.status})`, { status: res.status, cause });
  }
  return { status: res.status, json };
}
