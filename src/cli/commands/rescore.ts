/**
 * `icp-sync rescore <crm> <id…>`: queues a rescore of the given records (no debounce). The workers
 * (`start` or `work`) do the work.
 */
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('rescore')
    .description('queue a rescore of the given records; the workers write the new values')
    .argument('<crm>', 'hubspot or salesforce')
    .argument('<ids...>', 'CRM record ids')
    .option('--object <type>', 'object type: companies (HubSpot), Account or Lead (Salesforce); default the first synced')
    .action(async (crmArg: string, ids: string[], opts: { object?: string }) => {
      const { openRuntime, parseCrm } = await import('../../pipeline/cli-support.ts');
      const { isRecordIdOf, recordIdShape } = await import('../../pipeline/record-ids.ts');
      const crm = parseCrm(crmArg);
      const bad = ids.filter((id) => !isRecordIdOf(crm, id));
      if (bad.length > 0) {
        const shown = bad.slice(0, 5).map((id) => JSON.stringify(id)).join(', ');
        throw new CliError(`not ${crm} record ids (${recordIdShape(crm)}): ${shown}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`, 2);
      }
      const { runtime, close } = await openRuntime({ workers: false, crm });
      try {
        const { queued } = await runtime.rescore(crm, opts.object, ids);
        ctx.stdout.write(`queued ${queued} record(s) for rescoring on ${crm}\n`);
      } finally {
        await close();
      }
    });
}
