/**
 * What the pipeline's CLI commands share: reading `.env` and the environment, a logger that keeps
 * stdout clean for results, a runtime that refuses to go on when Redis does not answer, and
 * graceful stops on SIGINT/SIGTERM.
 */
import { config as loadDotenv } from 'dotenv';
import { Redis } from 'ioredis';
import { CliError } from '../cli/context.ts';
import { parseEnv, type Env } from '../config/env.ts';
import type { CrmName } from '../errors.ts';
import { createLogger, type Logger } from '../logging.ts';
import { createRuntime } from './runtime.ts';
import type { Runtime } from './runtime-types.ts';
import { hubspotConfigured, salesforceConfigured } from './wiring.ts';

export const CRMS: readonly CrmName[] = ['hubspot', 'salesforce'];

export function parseCrm(value: string): CrmName {
  const crm = CRMS.find((c) => c === value.toLowerCase());
  if (!crm) throw new CliError(`unknown CRM "${value}": expected one of ${CRMS.join(', ')}`, 2);
  return crm;
}

export interface OpenedRuntime {
  env: Env;
  logger: Logger;
  runtime: Runtime;
  /** A fail-fast Redis connection of the command's own (short reads; never blocks). */
  redis: Redis;
  /** Closes the runtime and the command's connection, giving up after a few seconds if Redis is gone. */
  close(): Promise<void>;
}

/** Milliseconds a command waits for Redis before giving up. */
const REDIS_WAIT_MS = 3000;
/** Milliseconds a command waits for its connections to close before leaving them. */
const CLOSE_WAIT_MS = 3000;

/** What to set so that a CRM is configured (the same test as the service's). */
const CONFIGURE: Readonly<Record<CrmName, string>> = {
  hubspot: 'set HUBSPOT_ACCESS_TOKEN',
  salesforce: 'set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (or SALESFORCE_USERNAME with a key)',
};

/** The CRMs the environment configures. */
export function configuredCrms(env: Env): CrmName[] {
  return CRMS.filter((crm) => (crm === 'hubspot' ? hubspotConfigured(env) : salesforceConfigured(env)));
}

/** Throws a one-line CliError when `crm` is not configured. */
export function requireConfigured(env: Env, crm: CrmName): void {
  if (!configuredCrms(env).includes(crm)) throw new CliError(`${crm} is not configured: ${CONFIGURE[crm]} (in the environment or .env)`);
}

/** Throws a one-line CliError when no CRM is configured (`start`, `serve`, `work`). */
export function requireSomeCrm(env: Env): void {
  if (configuredCrms(env).length === 0) {
    throw new CliError(`no CRM is configured: ${CONFIGURE.hubspot}, or ${CONFIGURE.salesforce} (in the environment or .env); \`icp-sync demo\` needs none`);
  }
}

/** Reads `.env` (the environment wins) and validates it. */
export function readEnv(): Env {
  loadDotenv({ quiet: true });
  return parseEnv(process.env);
}

/**
 * One Redis connection that fails fast: no retries, a short connect timeout. Throws a one-line
 * CliError when Redis does not answer within REDIS_WAIT_MS.
 */
export async function connectFast(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: REDIS_WAIT_MS,
    commandTimeout: REDIS_WAIT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError = '';
  redis.on('error', (err: Error) => {
    lastError = err.message;
  });
  try {
    await redis.connect();
    if ((await redis.ping()) !== 'PONG') throw new Error('unexpected answer to PING');
    return redis;
  } catch (err) {
    redis.disconnect();
    const why = lastError || (err instanceof Error ? err.message : String(err));
    throw new CliError(`Redis does not answer at ${redactUrl(url)} (REDIS_URL): ${why}`);
  }
}

/** Resolves when `p` settles or after `ms`, whichever comes first (true when `p` settled). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the runtime. One-shot commands log to stderr, errors only unless LOG_LEVEL is set, so
 * their stdout carries only results (`--json` stays parseable) and stderr only what matters.
 * Redis is checked first with a fail-fast connection: a command never hangs on an absent Redis.
 * `crm`: the CRM the command works on; it must be configured.
 */
export async function openRuntime(options: { workers: boolean; longRunning?: boolean; crm?: CrmName }): Promise<OpenedRuntime> {
  const env = readEnv();
  if (options.crm !== undefined) requireConfigured(env, options.crm);
  else if (options.longRunning) requireSomeCrm(env);
  const explicitLevel = (process.env['LOG_LEVEL'] ?? '').trim() !== '';
  const level = options.longRunning || explicitLevel ? env.LOG_LEVEL : 'error';
  const logger = createLogger({ level, destination: process.stderr });
  const url = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = await connectFast(url);
  let runtime: Runtime;
  try {
    runtime = await createRuntime({ env, logger, workers: false });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      const tidy = (await within(runtime.close(), CLOSE_WAIT_MS)) && (await within(redis.quit(), CLOSE_WAIT_MS));
      redis.disconnect();
      // Connections that would not close (Redis went away mid-run) must not keep a one-shot
      // command alive: it ends once its result is out (this timer does not hold the process).
      if (!tidy) setTimeout(() => process.exit(), 500).unref();
    })();
    return closed;
  };
  const deadline = Date.now() + REDIS_WAIT_MS;
  while (!(await runtime.ready())) {
    if (Date.now() > deadline) {
      await close();
      throw new CliError(`Redis does not answer at ${redactUrl(url)} (REDIS_URL)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (options.workers) await runtime.startWorkers();
  return { env, logger, runtime, redis, close };
}

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Resolves on the first SIGINT or SIGTERM (and removes its handlers). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}
