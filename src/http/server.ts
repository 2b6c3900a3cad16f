/**
 * Listening and stopping. `start`/`serve` build the app, listen, and hand their closing steps to
 * {@link installGracefulShutdown}: on SIGTERM/SIGINT intake stops first (HTTP), then workers, then
 * Redis, so no accepted webhook is lost and no job is cut mid-write.
 */
import type { FastifyInstance } from 'fastify';
import type { Env } from '../config/env.ts';
import type { Logger } from '../logging.ts';

/** Listens on `HOST:PORT`; resolves with the address (e.g. `http://127.0.0.1:3000`). */
export async function listen(app: FastifyInstance, env: Pick<Env, 'HOST' | 'PORT'>): Promise<string> {
  return app.listen({ host: env.HOST, port: env.PORT });
}

/** One closing step, run in order. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export interface GracefulShutdownOptions {
  logger: Logger;
  steps: readonly ShutdownStep[];
  /**
   * Longest the whole shutdown may take before the process exits with 1, in ms. Default 25,000:
   * under the 30 s grace period we give Docker (`stop_grace_period`) and Kubernetes' default.
   */
  timeoutMs?: number;
  /** Signals to handle. Default SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** Ends the process; tests replace it. Default `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * Runs the steps once, in order, on the first signal; a step that fails is logged and the next one
 * still runs. A second signal, or the timeout, exits at once with 1.
 * Returns `shutdown(reason)` to start the same sequence from code, and a remover for the handlers.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): {
  shutdown: (reason: string) => Promise<void>;
  uninstall: () => void;
} {
  const { logger, steps } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    if (running) return running;
    running = (async () => {
      logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: options.timeoutMs ?? 25_000 }, 'shutdown took too long; exiting');
        exit(1);
      }, options.timeoutMs ?? 25_000);
      timer.unref();
      let failed = false;
      for (const step of steps) {
        const started = Date.now();
        try {
          await step.run();
          logger.info({ step: step.name, ms: Date.now() - started }, 'closed');
        } catch (err) {
          failed = true;
          logger.error({ step: step.name, err }, 'close failed');
        }
      }
      clearTimeout(timer);
      exit(failed ? 1 : 0);
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn({ signal }, 'second signal; exiting now');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const s of signals) process.on(s, onSignal);
  return { shutdown, uninstall: () => signals.forEach((s) => process.off(s, onSignal)) };
}
