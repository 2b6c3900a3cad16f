/**
 * What the pipeline's CLI commands share: reading `.env` and the environment, a logger that keeps
 * stdout clean for results, a runtime that refuses to go on when Redis does not answer, and
 * graceful stops on SIGINT/SIGTERM.
 */
import { config as loadDotenv } from 'dotenv';
import { CliError } from '../cli/context.ts';
import { parseEnv, type Env } from '../config/env.ts';
import type { CrmName } from '../errors.ts';
import { createLogger, type Logger } from '../logging.ts';
import { createRuntime } from './runtime.ts';
import type { Runtime } from './runtime-types.ts';

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
}

/** Milliseconds a command waits for Redis before giving up. */
const REDIS_WAIT_MS = 5000;

/**
 * Opens the runtime. One-shot commands log to stderr at `warn` unless LOG_LEVEL asks for more, so
 * their stdout carries only results (`--json` stays parseable).
 */
export async function openRuntime(options: { workers: boolean; longRunning?: boolean }): Promise<OpenedRuntime> {
  loadDotenv({ quiet: true });
  const env = parseEnv(process.env);
  const level = options.longRunning || env.LOG_LEVEL !== 'info' ? env.LOG_LEVEL : 'warn';
  const logger = createLogger({ level, ...(options.longRunning ? {} : { destination: process.stderr }) });
  const runtime = await createRuntime({ env, logger, workers: false });
  const deadline = Date.now() + REDIS_WAIT_MS;
  while (!(await runtime.ready())) {
    if (Date.now() > deadline) {
      await runtime.close();
      throw new CliError(`Redis does not answer at ${redactUrl(env.REDIS_URL ?? '')} (REDIS_URL)`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (options.workers) await runtime.startWorkers();
  return { env, logger, runtime };
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
