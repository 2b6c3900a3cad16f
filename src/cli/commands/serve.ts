/**
 * `icp-sync serve`: HTTP only (webhooks, health, metrics, admin), for an intake tier that scales
 * apart from the workers (`icp-sync work`).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the HTTP server only (webhooks, health, metrics, admin); no workers')
    .action(async () => {
      const { readEnv, requireSomeCrm } = await import('../../pipeline/cli-support.ts');
      const env = readEnv();
      requireSomeCrm(env);
      const { startService } = await import('../../http/service.ts');
      const { createLogger } = await import('../../logging.ts');
      // Logs (JSON lines) on stderr, the human line on stdout: the two never mix.
      const service = await startService({ workers: false, logger: createLogger({ level: env.LOG_LEVEL, destination: process.stderr }) });
      ctx.stdout.write(`icp-sync listening on ${service.address} (HTTP only); SIGTERM or Ctrl-C stops it\n`);
    });
}
