/**
 * `icp-sync calibrate`: the ICP from won and lost deals (or from best customers against the base),
 * how well the current model separates them, the model the data suggests, and the one-page ICP
 * sheet. The work lives in `src/calibration/`.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export interface CalibrateCommandOptions {
  input?: string;
  best?: string;
  base?: string;
  crm?: string;
  since: string;
  /** A path, or `false` with `--no-model`. */
  model?: string | false;
  out?: string;
  report?: string;
  holdout: string;
  seed: string;
  tierShares?: string;
  rechallengeMonths: string;
  format: string;
  /** `deal` or `account`; automatic when absent. */
  unit?: string;
  /** Attributes kept in the suggestion although they look like leakage (comma-separated). */
  keepAttribute?: string;
  /** Order of numeric dates: DD-MM-YY (day first) or MM-DD-YY (month first). */
  dateFormat?: string;
  /** Language of the ICP sheet: `fr` or `en`; default: the model's (its labels read French or not). */
  lang?: string;
  /** With `--crm`: the model-health check of the active model instead of a calibration. */
  check?: boolean;
}

const HELP_AFTER = `
Inputs (one of):
  --input deals.csv        one row per closed deal: attribute columns named like the model's
                           attributes, outcome (won/lost, true/false, 1/0, gagné/perdu), and optionally
                           amount, cycle_days (or created_date), close_date, and an account key
                           (account_id, else domain, else name)
  --crm hubspot|salesforce closed deals with their companies / closed Opportunities with their Accounts
                           optional columns: roles (role ids present on the deal, ";"-separated)
                           and lost_reason (why a lost deal was lost)
  --best best.csv          your best customers, compared with the whole base: --base accounts.csv or
                           --crm NAME (the CRM's companies/Accounts)

Unit of analysis (--unit deal|account): by default each deal counts when most accounts have
several closed deals, else each account counts once, won if any of its deals was won.

Model health (--crm NAME --check): scores the deals closed since the active model was published,
prints AUC, win rate per tier and lift of the top tier, and stores the check beside the service's own
(GET /admin/model, /metrics). Exit 4 when it raises a warning (AUC too low, top tier not winning,
re-challenge due).

Exit codes: 0 done; 1 unreadable input, invalid model or CRM failure; 2 bad options;
3 analysis done but the data cannot support a suggested model (too few won or lost accounts).
`;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('calibrate')
    .description('discover the ICP from won/lost deals, measure the current model, suggest a new one')
    .option('--input <file>', 'closed deals CSV (one row per deal)')
    .option('--crm <name>', 'read closed deals (or, with --best, the account base) from hubspot or salesforce')
    .option('--since <age>', 'with --crm: deals closed in the last N months (24m) or days (90d), or since a date', '24m')
    .option('--best <file>', 'best customers CSV (one row per account), compared with the base')
    .option('--base <file>', 'all accounts CSV: the reference population for --best, the tier distribution otherwise')
    .option('--model <path>', 'current ICP model (default: $ICP_MODEL_PATH or config/icp.yaml)')
    .option('--no-model', 'calibrate without a current model')
    .option('--out <file>', 'write the suggested model (a valid icp.yaml) to this file')
    .option('--report <dir>', 'write the one-page ICP sheet (icp-sheet.html and icp-sheet.md) to this folder')
    .option('--holdout <share>', 'share of accounts held out to measure the suggestion', '0.3')
    .option('--seed <n>', 'seed of the train/held-out split', '1')
    .option('--tier-shares <list>', 'target % of accounts per tier, top first (default 20,30,30,20 for 4 tiers)')
    .option('--rechallenge-months <n>', 'months until the ICP must be re-challenged (6 to 12), counted from the suggested model (today) or, without one, from the current model\'s version date', '6')
    .option('--lang <lang>', 'language of the ICP sheet: fr or en (default: the model\'s, from its labels)')
    .option('--format <format>', 'text or json', 'text')
    .option('--unit <unit>', 'deal or account: what one row of the analysis is (default: automatic)')
    .option('--date-format <format>', 'numeric dates in the CSV files: DD-MM-YY (day first) or MM-DD-YY (month first); detected when a day is above 12')
    .option('--check', 'with --crm: check the active model against the deals closed since it was published')
    .option('--keep-attribute <list>', 'attributes to keep although they look like leakage (dates, ids, near-perfect separators)')
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: CalibrateCommandOptions) => {
      const { runCalibrateCommand } = await import('../../calibration/calibrate-command.ts');
      ctx.exitCode = await runCalibrateCommand(opts, ctx);
    });
}
