/**
 * For the benchmarks that run the product against the Salesforce sandbox: `icp-sync start` in its own
 * process, pointed at the sandbox org (OAuth client credentials, its org id and integration user, an
 * outbound-message token), syncing Accounts only, under a private Redis prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { deleteKeys } from '../src/redis/delete-keys.ts';
import type { SalesforceSandbox } from '../src/sandbox/salesforce/index.ts';
import { freePort } from './hubspot-service.ts';

export interface SalesforceServiceOptions {
  sandbox: SalesforceSandbox;
  /** The connected app's consumer key and secret the sandbox was started with. */
  clientId: string;
  clientSecret: string;
  /** Shared token of the outbound messages (`?token=`). */
  webhookToken: string;
  modelPath: string;
  /** Prefix of the private Redis keys, a random suffix is added. */
  prefix: string;
  debounceMs: number;
}

export interface RunningSalesforceService {
  port: number;
  prefix: string;
  /** Where the sandbox's outbound messages go. */
  outboundUrl: string;
  process: ChildProcess;
  /** Stops the service and waits for it to exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The inherited environment without any CRM settings of the shell, so that only the sandbox org is synced. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HUBSPOT_') && !k.startsWith('SALESFORCE_')));
}

export async function startSalesforceBenchService(o: SalesforceServiceOptions): Promise<RunningSalesforceService> {
  const port = await freePort();
  const prefix = `${o.prefix}-${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, [`${ROOT}bin/icp-sync.js`, 'start'], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ICP_MODEL_PATH: o.modelPath,
      SALESFORCE_LOGIN_URL: o.sandbox.url,
      SALESFORCE_CLIENT_ID: o.clientId,
      SALESFORCE_CLIENT_SECRET: o.clientSecret,
      SALESFORCE_ORG_ID: o.sandbox.store.orgId,
      SALESFORCE_WEBHOOK_TOKEN: o.webhookToken,
      SALESFORCE_INTEGRATION_USER_ID: o.sandbox.store.integrationUserId,
      SALESFORCE_OBJECTS: 'Account',
      // The org has no closed deals and no loss-reason field.
      SALESFORCE_LOST_REASON_FIELD: '',
      SYNC_DEBOUNCE_MS: String(o.debounceMs),
      INCREMENTAL_SYNC_INTERVAL_MS: '0',
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    },
    stdio: ['ignore', process.env['BENCH_LOG_LEVEL'] ? 'inherit' : 'ignore', 'inherit'],
  });
  return {
    port,
    prefix,
    outboundUrl: `http://127.0.0.1:${port}/webhooks/salesforce`,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Deletes every key under `prefix`: the pipeline's hash-tagged ones (`{prefix}:…`) and the bare ones
 * (`prefix:…`: the Salesforce call gate, the daily usage, the model store). Returns how many.
 */
export async function deletePrefixKeys(redis: Redis, prefix: string): Promise<number> {
  return (await deleteKeys(redis, `{${prefix}}*`)) + (await deleteKeys(redis, `${prefix}*`));
}
