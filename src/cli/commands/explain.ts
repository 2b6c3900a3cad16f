/**
 * `icp-sync explain <crm> <id>`: a dry run on one record — attributes and their sources, each
 * criterion's points and contribution, the values, and the exact fields a sync would write.
 */
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('show how one record scores and what a sync would write (writes nothing)')
    .argument('<crm>', 'hubspot or salesforce')
    .argument('<id>', 'CRM record id')
    .option('--object <type>', 'object type: companies (HubSpot), Account or Lead (Salesforce); default the first synced')
    .option('--json', 'print the explanation as JSON', false)
    .action(async (crmArg: string, id: string, opts: { object?: string; json: boolean }) => {
      const { openRuntime, parseCrm } = await import('../../pipeline/cli-support.ts');
      const { formatExplanation } = await import('../../pipeline/explain-format.ts');
      const { RecordNotFoundError } = await import('../../errors.ts');
      const { isRecordIdOf, recordIdShape } = await import('../../pipeline/record-ids.ts');
      const crm = parseCrm(crmArg);
      if (!isRecordIdOf(crm, id)) throw new CliError(`${JSON.stringify(id)} is not a ${crm} record id (${recordIdShape(crm)})`, 2);
      const { runtime, close } = await openRuntime({ workers: false, crm });
      try {
        const e = await runtime.explain(crm, opts.object, id);
        const { terminalSafeLines } = await import('../../io/terminal-text.ts');
        // CRM values are shown as text: control characters must not act on the terminal.
        ctx.stdout.write(opts.json ? `${JSON.stringify(e, null, 2)}\n` : terminalSafeLines(formatExplanation(e)));
      } catch (err) {
        if (err instanceof RecordNotFoundError) throw new CliError(err.message, 3);
        throw err;
      } finally {
        await close();
      }
    });
}
