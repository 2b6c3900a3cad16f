/**
 * The one error handler and not-found handler of the HTTP edge. Client errors say what is wrong;
 * 5xx bodies carry a code and the request id, never a stack, a vendor message or a Redis address.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError, CrmError, CrmRateLimitError, QueueUnavailableError, RecordNotFoundError } from '../errors.ts';

/** A refusal a route wants to answer as is (`statusCode` < 500 shows `message` to the client). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  readonly code: string;
  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: string;
  message: string;
  requestId: string;
}

/** JSON schema of {@link ErrorBody}, for route `response` declarations. */
export const errorBodySchema = {
  type: 'object',
  required: ['error', 'message', 'requestId'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    requestId: { type: 'string' },
  },
} as const;

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

function isFastifyError(err: unknown): err is FastifyError & { statusCode: number } {
  return err instanceof Error && typeof (err as Partial<FastifyError>).statusCode === 'number';
}

function send(reply: FastifyReply, request: FastifyRequest, status: number, error: string, message: string): FastifyReply {
  const body: ErrorBody = { error, message, requestId: String(request.id) };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof HttpError) return send(reply, request, err.statusCode, err.code, err.message);
    if (err instanceof QueueUnavailableError) {
      request.log.warn({ err: { name: err.name } }, 'queue unavailable');
      return send(reply.header('retry-after', '5'), request, 503, 'queue_unavailable', 'the queue cannot take work right now');
    }
    if (err instanceof RecordNotFoundError) return send(reply, request, 404, 'record_not_found', `${err.crm} ${err.objectType} ${err.id} does not exist`);
    if (err instanceof ConfigError) return send(reply, request, 400, 'invalid_configuration', err.problems.join('; '));
    if (err instanceof CrmRateLimitError) {
      const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 10_000) / 1000));
      return send(reply.header('retry-after', String(seconds)), request, 503, 'crm_rate_limited', `${err.crm} rate limit reached`);
    }
    if (err instanceof CrmError) {
      request.log.warn({ crm: err.crm, status: err.status, vendorCode: err.vendorCode, correlationId: err.correlationId }, 'CRM call failed');
      const status = err.status === undefined ? 'no response' : `status ${err.status}`;
      return send(reply, request, 502, 'crm_error', `${err.crm} call failed (${status})`);
    }
    if (isFastifyError(err) && err.validation) return send(reply, request, 400, 'bad_request', err.message);
    if (isFastifyError(err) && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, request, err.statusCode, STATUS_CODES[err.statusCode] ?? 'client_error', err.message);
    }
    request.log.error({ err }, 'request failed');
    return send(reply, request, 500, 'internal_error', 'internal server error');
  });
}
