/**
 * `icp-sync start`: the webhook receiver, health, metrics and admin API, and the queue workers, in
 * one process — the default way to run icp-sync (`npm start`, the Docker image).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the HTTP server (webhooks, health, metrics, admin) and the workers')
    .action(async () => {
      const { readEnv, requireSomeCrm } = await import('../../pipeline/cli-support.ts');
      const env = readEnv();
      requireSomeCrm(env);
      const { startService } = await import('../../http/service.ts');
      const { createLogger } = await import('../../logging.ts');
      // Logs (JSON lines) on stderr, the human line on stdout: the two never mix.
      const service = await startService({ workers: true, logger: createLogger({ level: env.LOG_LEVEL, destination: process.stderr }) });
      ctx.stdout.write(`icp-sync listening on ${service.address} (HTTP + workers); SIGTERM or Ctrl-C stops it\n`);
    });
}
