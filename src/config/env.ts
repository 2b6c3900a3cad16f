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

/** A URL whose scheme is one of `schemes` (checked per setting, with a message naming them). */
const urlOf = (schemes: readonly string[], def?: string) => {
  const list = schemes.map((s) => `${s}://`).join(' or ');
  const base = z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      if (!URL.canParse(v)) {
        ctx.addIssue({ code: 'custom', message: `must be a URL starting with ${list}` });
        return;
      }
      const u = new URL(v);
      const scheme = u.protocol.slice(0, -1);
      if (!schemes.includes(scheme)) ctx.addIssue({ code: 'custom', message: `must start with ${list}, not ${scheme}://` });
      else if (u.hostname === '') ctx.addIssue({ code: 'custom', message: `must name a host (${schemes[0] ?? ''}://host…)` });
    });
  return def === undefined ? base.optional() : base.default(def);
};
const url = (def?: string) => urlOf(['http', 'https'], def);

const WEAK_TOKEN = 'is too easy to guess: use a random value, e.g. `openssl rand -hex 24`';
/** Placeholders people paste: only such words, digits and separators. */
const PLACEHOLDER = /^(?:[\W_\d]*(?:change[\W_]*me|password|passw0rd|secret|admin|token|your[\W_]*token[\W_]*here|example|qwerty|azerty|test))+[\W_\d]*$/i;

/** At least 8 distinct characters, no run of one character, not a placeholder or a plain count. */
function strongToken(t: string): boolean {
  return new Set(t).size >= 8 && !/(.)\1{5,}/.test(t) && !PLACEHOLDER.test(t) && !/^(?:0123456789|123456789)+\d*$/.test(t);
}

/** A secret compared with what callers send: optional, 16+ characters, not guessable. */
const tokenFromEnv = optionalString.pipe(z.string().min(16, 'must be at least 16 characters').refine(strongToken, WEAK_TOKEN).optional());

/** `true`/`false`, `1`/`0` or `yes`/`no`. */
const boolFromEnv = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z.object({
  REDIS_URL: urlOf(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  /** Key prefix for every Redis key (queues, limiter, cache). Wrap in {…} for Redis Cluster hash tags. */
  REDIS_PREFIX: z.string().min(1).default('icp'),
  PORT: intFromEnv(3000, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_BASE_URL: url(),
  ADMIN_TOKEN: tokenFromEnv,
  /** Bearer token `GET /metrics` requires; unset: open (keep it on the internal network). */
  METRICS_TOKEN: tokenFromEnv,
  /** The queue dashboard may retry, remove, clean, pause and add jobs only when this is true. */
  ADMIN_DASHBOARD_WRITE: boolFromEnv(false),
  /**
   * The RevOps console (`/console`, src/console/): the secret an editor signs in with (edit, publish,
   * backfill, retry). The console does not exist (404) when neither console secret is set.
   */
  CONSOLE_EDITOR_SECRET: tokenFromEnv,
  /** The secret a read-only viewer signs in with; must differ from the editor's. */
  CONSOLE_VIEWER_SECRET: tokenFromEnv,
  /**
   * `Secure` on the console's cookies: `auto` (default) sets it when the request came over HTTPS or
   * `PUBLIC_BASE_URL` is https; `true` always (behind a TLS proxy that hides it); `false` never.
   */
  CONSOLE_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
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
  /** Percent of HubSpot's daily API budget kept for live rescoring: backfill writes stop under it. */
  HUBSPOT_DAILY_RESERVE_PERCENT: intFromEnv(10, 0, 90),
  /** Optional tier → `hs_ideal_customer_profile` map, e.g. `A:tier_1,B:tier_2,C:tier_3` (unmapped tiers clear it). */
  HUBSPOT_TIER_MAP: optionalString,
  /**
   * With roles: write the inferred role into HubSpot's own `hs_buying_role` of contacts that have
   * none (the role's first `hubspot` value). Off by default: that property belongs to the sales team.
   */
  HUBSPOT_FILL_BUYING_ROLE: boolFromEnv(false),

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
  /** Changed records above which a backfill write goes through Bulk API 2.0. */
  SALESFORCE_BULK_THRESHOLD: intFromEnv(2000, 1, 10_000_000),
  /** Percent of the daily API allocation kept in reserve: background work stops under it. */
  SALESFORCE_DAILY_RESERVE_PERCENT: intFromEnv(10, 0, 90),
  /** Concurrent Salesforce calls across all workers (shared through Redis). */
  SALESFORCE_MAX_CONCURRENCY: intFromEnv(10, 1, 25),
  /** The integration user's id (005…): outbound messages caused by its own writes are dropped. */
  SALESFORCE_INTEGRATION_USER_ID: optionalString,
  /**
   * The Opportunity field holding a lost deal's reason, read by calibration and the model-health check.
   * Salesforce has no standard one: orgs add a custom field. Default `Loss_Reason__c`; empty: none.
   */
  SALESFORCE_LOST_REASON_FIELD: z
    .string()
    .trim()
    .regex(/^(?:[A-Za-z][A-Za-z0-9_]{0,79})?$/, 'must be a field API name such as Loss_Reason__c')
    .default('Loss_Reason__c')
    .transform((s) => (s === '' ? undefined : s)),

  ENRICHMENT_PROVIDERS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  PDL_API_KEY: optionalString,
  /** Enrichment (src/enrichment/). Seconds a provider answer stays cached in Redis. Default 30 days. */
  ENRICHMENT_CACHE_TTL_SECONDS: intFromEnv(2_592_000, 60, 31_536_000),
  /** Seconds a "no match" stays cached, so a miss is asked again sooner than a hit. Default 1 day. */
  ENRICHMENT_MISS_TTL_SECONDS: intFromEnv(86_400, 60, 31_536_000),
  /** Milliseconds before one provider HTTP call is abandoned (the record is scored without it). */
  ENRICHMENT_TIMEOUT_MS: intFromEnv(5000, 100, 120_000),
  /** Minimum confidence (0..1) for a name-based registry match; below it the match is refused. */
  ENRICHMENT_MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.85),
  /** API Recherche d'entreprises base URL (a sandbox can stand in). */
  RECHERCHE_ENTREPRISES_BASE_URL: url('https://recherche-entreprises.api.gouv.fr'),
  /** Requests per second across all workers; the API documents at most 7 per second per IP. */
  RECHERCHE_ENTREPRISES_RATE_PER_SECOND: intFromEnv(7, 1, 7),
  /** Registry lookups allowed per calendar month (UTC); 0 means no cap (the API is free). */
  RECHERCHE_ENTREPRISES_MONTHLY_BUDGET: intFromEnv(0, 0, 100_000_000),
  /** People Data Labs base URL, `/v5` included. */
  PDL_BASE_URL: url('https://api.peopledatalabs.com/v5'),
  /** PDL records looked up per calendar month (UTC); each 200 answer costs one credit. 0 means no cap. */
  PDL_MONTHLY_BUDGET: intFromEnv(100, 0, 100_000_000),
  /** PDL bulk requests per minute across all workers (per-key fixed window; set it to your plan's limit). */
  PDL_RATE_LIMIT_PER_MINUTE: intFromEnv(10, 1, 100_000),
  /** PDL `min_likelihood` (1..10): weaker matches come back as 404 and cost nothing. */
  PDL_MIN_LIKELIHOOD: intFromEnv(6, 1, 10),
  /** Milliseconds before a record whose enrichment failed is rescored to try again. Default 15 minutes. */
  ENRICHMENT_RETRY_DELAY_MS: intFromEnv(900_000, 1000, 86_400_000),
  /** Enrichment retries per record before it waits for its next ordinary rescore (0 = no retries). */
  ENRICHMENT_RETRY_MAX_ATTEMPTS: intFromEnv(5, 0, 100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** Sync pipeline (src/pipeline/). Milliseconds a changed record waits so a burst of edits makes one rescore. */
  SYNC_DEBOUNCE_MS: intFromEnv(1000, 0, 600_000),
  /** Scheduled incremental sync period per CRM object, ms (0 turns it off). Default 5 minutes. */
  INCREMENTAL_SYNC_INTERVAL_MS: intFromEnv(300_000, 0, 86_400_000),
  /** How far before the stored watermark each incremental pass starts again, ms (search index lag, clock skew). */
  INCREMENTAL_SYNC_OVERLAP_MS: intFromEnv(120_000, 0, 86_400_000),
  /** Start a backfill by itself when the model's `version` differs from the last synced one. */
  AUTO_BACKFILL_ON_MODEL_CHANGE: boolFromEnv(true),
  /** Batch jobs each worker process runs at once (the CRM rate limiter, not this, sets the pace). */
  WORKER_CONCURRENCY: intFromEnv(4, 1, 64),
  /** Attempts per batch job before it lands in the failed set (exponential backoff with jitter between). */
  JOB_ATTEMPTS: intFromEnv(8, 1, 50),
  /**
   * Model-health monitor (src/pipeline/model-health.ts). Days between checks of the active model against
   * the deals closed since it was published; 0 turns the schedule off (on-demand checks still work).
   */
  MODEL_HEALTH_INTERVAL_DAYS: intFromEnv(30, 0, 366),
  /** AUC under which the model is reported as no longer predicting wins (a warning in logs and `/admin/model`). */
  MODEL_HEALTH_MIN_AUC: z.coerce.number().min(0.5).max(1).default(0.6),
  /** Closed deals (since publication) needed before AUC and tier win rates are judged. */
  MODEL_HEALTH_MIN_DEALS: intFromEnv(30, 10, 1_000_000),
  /** Months from a model's publication to its re-challenge (6 to 12); also the ICP sheet's date. */
  MODEL_RECHALLENGE_MONTHS: intFromEnv(6, 6, 12),
  /** Lock a worker holds on a job, ms; a killed worker's job goes back to the queue after about this long. */
  WORKER_LOCK_MS: intFromEnv(30_000, 1000, 600_000),
});

export type Env = z.infer<typeof envSchema>;

/** Cross-variable rules (zod's object refinements would hide them behind per-field errors). */
function crossProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.CONSOLE_EDITOR_SECRET !== undefined && env.CONSOLE_EDITOR_SECRET === env.CONSOLE_VIEWER_SECRET) {
    problems.push('env: CONSOLE_VIEWER_SECRET: must differ from CONSOLE_EDITOR_SECRET (a viewer would sign in as an editor)');
  }
  return problems;
}

/** Parses the environment; throws `ConfigError` listing every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  const problems = result.success
    ? crossProblems(result.data)
    : result.error.issues.map((issue) => `env: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems, `invalid environment:\n${problems.join('\n')}`);
}
