/**
 * `icp-sync rescore <crm> <id…>`: queues a rescore of the given records (no debounce). The workers
 * (`start` or `work`) do the work.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('rescore')
    .description('queue a rescore of the given records; the workers write the new values')
    .argument('<crm>', 'hubspot or salesforce')
    .argument('<ids...>', 'CRM record ids')
    .option('--object <type>', 'object type: companies (HubSpot), Account or Lead (Salesforce); default the first synced')
    .action(async (crmArg: string, ids: string[], opts: { object?: string }) => {
      const { openRuntime, parseCrm } = await import('../../pipeline/cli-support.ts');
      const crm = parseCrm(crmArg);
      const { runtime } = await openRuntime({ workers: false });
      try {
        const { queued } = await runtime.rescore(crm, opts.object, ids);
        ctx.stdout.write(`queued ${queued} record(s) for rescoring on ${crm}\n`);
      } finally {
        await runtime.close();
      }
    });
}
