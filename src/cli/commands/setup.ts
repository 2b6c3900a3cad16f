/**
 * `icp-sync setup <crm>`: creates or updates the CRM fields/properties icp-sync writes, keeps tier
 * and tag options in sync with the model, and checks permissions. Each CRM's work lives in
 * `src/connectors/<crm>/setup-command.ts`.
 */
import type { Command } from 'commander';
import { CliError, type CliContext } from '../context.ts';

export interface SetupCommandOptions {
  dryRun: boolean;
  check: boolean;
  /** Delete what setup created. */
  remove?: boolean;
  model?: string;
}

export interface SetupCommandModule {
  runSetupCommand(options: SetupCommandOptions, ctx: CliContext): Promise<number>;
}

const CRMS = ['hubspot', 'salesforce'] as const;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('setup')
    .description('create or update the ICP fields in a CRM (idempotent)')
    .argument('<crm>', `one of: ${CRMS.join(', ')}`)
    .option('--dry-run', 'show what would change, change nothing', false)
    .option('--check', 'only check credentials, scopes and permissions, and show missing or outdated lists and views', false)
    .option('--remove', 'delete every field, list (view), group and permission set icp-sync created, and nothing else', false)
    .option('--model <path>', 'ICP model file (default: $ICP_MODEL_PATH or config/icp.yaml)')
    .action(async (crm: string, opts: SetupCommandOptions) => {
      if (!(CRMS as readonly string[]).includes(crm)) {
        throw new CliError(`unknown CRM "${crm}": expected one of ${CRMS.join(', ')}`, 2);
      }
      if (opts.remove && opts.check) throw new CliError('--remove and --check do not go together: use --remove --dry-run to see what would be removed', 2);
      const mod = (await import(`../../connectors/${crm}/setup-command.ts`)) as SetupCommandModule;
      ctx.exitCode = await mod.runSetupCommand(opts, ctx);
    });
}
