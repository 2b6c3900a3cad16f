/**
 * The long-running service behind `icp-sync start` (HTTP + workers) and `icp-sync serve` (HTTP
 * only): validated config, the pipeline runtime, the app, the listener, and the ordered shutdown.
 */
import { config as loadDotenv } from 'dotenv';
import type { FastifyInstance } from 'fastify';
import { parseEnv, type Env } from '../config/env.ts';
import { createLogger, type Logger } from '../logging.ts';
import { createRuntime, type Runtime } from '../pipeline/runtime.ts';
import { buildApp } from './app.ts';
import { toHttpRuntime } from './runtime-adapter.ts';
import { installGracefulShutdown, listen } from './server.ts';

export interface ServiceOptions {
  /** Run the queue workers in this process too (`start`). */
  workers: boolean;
  /** Environment to read (default `process.env` after `.env`); tests and the demo pass their own. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers that stop the service and end the process. Default true. */
  handleSignals?: boolean;
}

export interface RunningService {
  env: Env;
  app: FastifyInstance;
  runtime: Runtime;
  /** Where the listener is, e.g. `http://127.0.0.1:3000`. */
  address: string;
  /** Stops intake, then workers, then Redis (the same steps as on SIGTERM), without exiting. */
  stop(): Promise<void>;
}

/** How long start-up waits for Redis before listening anyway (readiness then says no), ms. */
const REDIS_WAIT_MS = 5000;

async function waitUntilReady(runtime: Runtime, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await runtime.ready())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Reads `.env` (values already in the environment win), then validates every variable. */
export function loadEnv(source?: NodeJS.ProcessEnv): Env {
  if (source) return parseEnv(source);
  loadDotenv({ quiet: true });
  return parseEnv(process.env);
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const env = loadEnv(options.env);
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL });
  // Workers start only once HTTP listens (below): a port conflict must not leave them running.
  const runtime = await createRuntime({ env, logger, workers: false });
  if (!(await waitUntilReady(runtime, REDIS_WAIT_MS))) {
    logger.warn({ waitedMs: REDIS_WAIT_MS }, 'Redis does not answer yet; /readyz says not ready until it does');
  }
  let app: FastifyInstance | undefined;
  let address: string;
  try {
    app = await buildApp({ env, logger, runtime: toHttpRuntime(runtime), console: runtime });
    address = await listen(app, env);
    if (options.workers) await runtime.startWorkers();
  } catch (err) {
    await app?.close();
    await runtime.close();
    throw err;
  }
  const server = app;
  const steps = [
    { name: 'http', run: () => server.close() },
    { name: options.workers ? 'workers and redis' : 'redis', run: () => runtime.close() },
  ];
  logger.info({ address, workers: options.workers, crms: [...runtime.connectors.keys()] }, 'icp-sync listening');
  if (options.handleSignals ?? true) installGracefulShutdown({ logger, steps });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const step of steps) await step.run();
    })();
    return stopping;
  };
  return { env, app: server, runtime, address, stop };
}
