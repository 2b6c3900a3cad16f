/**
 * `icp-sync failed list|retry`: the records the CRM refused and the jobs that used up their
 * attempts; replay them after fixing the cause.
 */
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  const failed = program.command('failed').description('list or replay failed records and jobs');
  failed
    .command('list')
    .description('list failed records and jobs, newest records first')
    .option('--limit <n>', 'entries to show', '50')
    .option('--offset <n>', 'entries to skip', '0')
    .option('--json', 'print JSON', false)
    .action(async (opts: { limit: string; offset: string; json: boolean }) => {
      const limit = Number(opts.limit);
      const offset = Number(opts.offset);
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
        throw new CliError('--limit must be a positive integer and --offset a non-negative one', 2);
      }
      const { openRuntime } = await import('../../pipeline/cli-support.ts');
      const { runtime, close } = await openRuntime({ workers: false });
      try {
        const page = await runtime.failed.list({ limit, offset });
        if (opts.json) {
          ctx.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        ctx.stdout.write(`${page.total} failed entr${page.total === 1 ? 'y' : 'ies'}\n`);
        for (const e of page.entries) {
          const what = e.kind === 'record' ? `${e.crm ?? ''} ${e.objectType ?? ''} ${e.recordIds[0] ?? ''}` : `${e.recordIds.length} record(s)`;
          ctx.stdout.write(`${e.id}\t${e.failedAt}\t${what}\t${e.code}: ${e.message}\n`);
        }
      } finally {
        await close();
      }
    });
  failed
    .command('retry')
    .description('replay failed entries by id (as shown by `failed list`), or all of them')
    .argument('[ids...]', 'entry ids')
    .option('--all', 'replay every failed entry', false)
    .action(async (ids: string[], opts: { all: boolean }) => {
      if (!opts.all && ids.length === 0) throw new CliError('give entry ids, or --all', 2);
      if (opts.all && ids.length > 0) throw new CliError('give entry ids or --all, not both', 2);
      const { openRuntime } = await import('../../pipeline/cli-support.ts');
      const { unknownFailedIds } = await import('../../pipeline/failed-set.ts');
      const { pipelineKeys } = await import('../../pipeline/keys.ts');
      const { runtime, redis, env, close } = await openRuntime({ workers: false });
      try {
        const unknown = opts.all ? [] : await unknownFailedIds({ redis, keys: pipelineKeys(env.REDIS_PREFIX), queues: runtime.queues() }, ids);
        const n = await runtime.failed.retry(opts.all ? 'all' : ids.filter((id) => !unknown.includes(id)));
        ctx.stdout.write(`${n} entr${n === 1 ? 'y' : 'ies'} handed back to the queues\n`);
        if (unknown.length > 0) {
          throw new CliError(`no failed entry with id ${unknown.map((id) => JSON.stringify(id)).join(', ')} (see \`icp-sync failed list\`)`, 3);
        }
      } finally {
        await close();
      }
    });
}
