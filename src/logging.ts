/**
 * One pino logger for the process. Secrets and personal data are redacted wherever they appear
 * in a logged object; log record ids and counts, never names, e-mails or tokens.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** Paths censored in every log line (pino redact syntax). */
export const REDACT_PATHS = [
  'accessToken',
  'refreshToken',
  'token',
  'secret',
  'clientSecret',
  'password',
  'apiKey',
  'authorization',
  'assertion',
  'email',
  'phone',
  'firstName',
  'lastName',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
  '*.clientSecret',
  '*.password',
  '*.apiKey',
  '*.authorization',
  '*.email',
  '*.phone',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers["x-hubspot-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'env.HUBSPOT_ACCESS_TOKEN',
  'env.HUBSPOT_CLIENT_SECRET',
  'env.SALESFORCE_CLIENT_SECRET',
  'env.SALESFORCE_WEBHOOK_TOKEN',
  'env.ADMIN_TOKEN',
  'env.PDL_API_KEY',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  name?: string;
  /** Where to write (default stdout); tests pass a stream to inspect output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = {
    level: options.level ?? 'info',
    name: options.name ?? 'icp-sync',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
