/**
 * Environment configuration (PRODUCT.md §4), validated once at start. `.env` is read by dotenv.
 * Invalid values stop the process with one line per problem, naming the variable.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const intFromEnv = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const url = (def?: string) => {
  const base = z.url({ protocol: /^(https?|rediss?)$/ });
  return def === undefined ? base.optional() : base.default(def);
};

export const envSchema = z.object({
  REDIS_URL: url('redis://127.0.0.1:6379'),
  /** Key prefix for every Redis key (queues, limiter, cache). Wrap in {…} for Redis Cluster hash tags. */
  REDIS_PREFIX: z.string().min(1).default('icp'),
  PORT: intFromEnv(3000, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_BASE_URL: url(),
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ICP_MODEL_PATH: z.string().min(1).default('config/icp.yaml'),
  ICP_MAPPINGS_PATH: z.string().min(1).default('config/mappings.yaml'),

  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_APP_ID: optionalString,
  HUBSPOT_PORTAL_ID: optionalString,
  HUBSPOT_BASE_URL: url('https://api.hubapi.com'),
  HUBSPOT_RATE_LIMIT_PER_10S: intFromEnv(100, 1, 100000),
  HUBSPOT_API_VERSION: z
    .string()
    .regex(/^(v3|\d{4}-\d{2})$/, 'must be a date version like 2026-03, or v3')
    .default('2026-03'),

  SALESFORCE_LOGIN_URL: url('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: optionalString,
  SALESFORCE_CLIENT_SECRET: optionalString,
  SALESFORCE_USERNAME: optionalString,
  SALESFORCE_PRIVATE_KEY_FILE: optionalString,
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must look like 65.0')
    .refine((v) => Number(v) >= 58, 'must be 58.0 or newer')
    .default('65.0'),
  SALESFORCE_ORG_ID: optionalString,
  SALESFORCE_WEBHOOK_TOKEN: optionalString,
  SALESFORCE_OBJECTS: z
    .string()
    .default('Account')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['Account', 'Lead'])).min(1)),

  ENRICHMENT_PROVIDERS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  PDL_API_KEY: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; throws `ConfigError` listing every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `env: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(problems, `invalid environment:\n${problems.join('\n')}`);
}
