/**
 * `icp-sync work`: the queue workers only (no HTTP) — run as many as the CRM's rate limit can use,
 * on any number of machines sharing one Redis.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('work')
    .description('run the queue workers only (batch rescoring, backfills, incremental sync); no HTTP')
    .action(async () => {
      const { openRuntime, untilSignal } = await import('../../pipeline/cli-support.ts');
      const { logger, close } = await openRuntime({ workers: true, longRunning: true });
      ctx.stderr.write('icp-sync workers running; SIGTERM or Ctrl-C stops them after the jobs in hand\n');
      const signal = await untilSignal();
      logger.info({ signal }, 'stopping workers');
      await close();
    });
}
