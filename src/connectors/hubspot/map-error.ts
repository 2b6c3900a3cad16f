/**
 * HubSpot error responses → our typed errors (`src/errors.ts`). The only place that reads HubSpot
 * error bodies; callers branch on the classes.
 */
import { z } from 'zod';
import { CrmAuthError, CrmError, CrmRateLimitError, CrmValidationError } from '../../errors.ts';

/** HubSpot's error body (https://developers.hubspot.com/docs/api-reference/error-handling). */
export const hubspotErrorBodySchema = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    correlationId: z.string().optional(),
    category: z.string().optional(),
    subCategory: z.string().optional(),
    errorType: z.string().optional(),
    policyName: z.string().optional(),
    errors: z
      .array(
        z.object({
          message: z.string().optional(),
          code: z.string().optional(),
          context: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export type HubSpotErrorBody = z.infer<typeof hubspotErrorBodySchema>;

export function parseErrorBody(body: unknown): HubSpotErrorBody {
  const parsed = hubspotErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data : {};
}

export type RatePolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

/** Which limit a 429 reports. An unnamed policy is treated as the rolling burst window. */
export function ratePolicy(body: HubSpotErrorBody): RatePolicy {
  const p = (body.policyName ?? '').toUpperCase();
  if (p === 'DAILY') return 'DAILY';
  if (p === 'SECONDLY') return 'SECONDLY';
  return 'TEN_SECONDLY_ROLLING';
}

/** `Retry-After` as milliseconds: seconds or an HTTP date (RFC 9110). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.ceil(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Milliseconds until the next midnight UTC: the daily budget resets at midnight in the portal's time zone, which we do not know. */
export function untilNextDay(now = Date.now()): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

function describe(status: number, body: HubSpotErrorBody, what: string): string {
  const scopes = (body.errors ?? [])
    .flatMap((e) => {
      const req = e.context?.requiredGranularScopes ?? e.context?.requiredScopes;
      return Array.isArray(req) ? req.map(String) : [];
    })
    .join(', ');
  const reason = body.message ?? `HTTP ${status}`;
  return `HubSpot ${what} failed (${status}${body.category ? ` ${body.category}` : ''}): ${reason}${scopes ? ` [required scopes: ${scopes}]` : ''}`;
}

/**
 * Builds the typed error for a final (not retried) HubSpot error response.
 * @param what the call, for the message (`POST /crm/objects/2026-03/companies/batch/update`).
 */
export function toCrmError(status: number, rawBody: unknown, headers: Headers, what: string): CrmError {
  const body = parseErrorBody(rawBody);
  const details = {
    crm: 'hubspot' as const,
    status,
    vendorCode: body.category ?? body.errorType,
    correlationId: body.correlationId,
  };
  const message = describe(status, body, what);
  if (status === 401 || status === 403) return new CrmAuthError(message, details);
  if (status === 429) {
    const policy = ratePolicy(body);
    const daily = policy === 'DAILY';
    return new CrmRateLimitError(message, {
      ...details,
      vendorCode: policy,
      daily,
      retryAfterMs: retryAfterMs(headers) ?? (daily ? untilNextDay() : 10_000),
    });
  }
  if (status === 400 || status === 422) return new CrmValidationError(message, details);
  return new CrmError(message, { ...details, retryAfterMs: retryAfterMs(headers) });
}
