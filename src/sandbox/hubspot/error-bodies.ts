/**
 * HubSpot's error bodies, shaped like the documented and observed ones
 * (https://developers.hubspot.com/docs/api-reference/error-handling and the reference notes).
 */
import { randomUUID } from 'node:crypto';

export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  errorType?: string;
  policyName?: string;
  errors?: Array<{ message: string; code?: string; context?: Record<string, unknown> }>;
  context?: Record<string, unknown>;
  links?: Record<string, string>;
}

export function errorBody(category: string, message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function unauthorizedBody(): HubSpotErrorBody {
  return errorBody(
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

export function missingScopesBody(required: string): HubSpotErrorBody {
  return errorBody(
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [required] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

const RATE_MESSAGES = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
} as const;

export function rateLimitBody(policyName: keyof typeof RATE_MESSAGES): Record<string, string> {
  return {
    status: 'error',
    message: RATE_MESSAGES[policyName],
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName,
  };
}

export function serverErrorBody(status: number): HubSpotErrorBody {
  if (status === 423) return errorBody('LOCKED', 'The resource is locked; retry in at least 2 seconds.');
  if (status === 477) return errorBody('MIGRATION_IN_PROGRESS', 'This account is being migrated; retry later.');
  return errorBody('INTERNAL_ERROR', 'internal error');
}
