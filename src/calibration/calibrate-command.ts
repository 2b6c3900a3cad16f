/**
 * Runs `icp-sync calibrate`: checks the options, reads the inputs (CSV files or a CRM), runs the
 * pure calibration, writes the suggested model and the ICP sheet, prints the summary.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AccountRow } from '../domain/calibration/account-row.ts';
import { bestVersusBase, rowsToDeals, unrecognisedNotes } from '../domain/calibration/account-row.ts';
import { calibrate, type CalibrationResult } from '../domain/calibration/calibrate.ts';
import type { ClosedDeal, DateOrder } from '../domain/calibration/deal.ts';
import type { IcpModel } from '../domain/types.ts';
import { loadModel } from '../config/model-loader.ts';
import { InputError } from '../io/input-error.ts';
import { CliError, type CliContext } from '../cli/context.ts';
import type { CalibrateCommandOptions } from '../cli/commands/calibrate.ts';
import { IDENTITY_COLUMNS, readRowsCsv, type ReadRowsResult } from './account-rows-csv.ts';
import { readCrmAccounts, readCrmDeals, isCalibrationCrm } from './crm-inputs.ts';
import { writeIcpSheet } from './report/write-report.ts';
import { isSheetLang, type SheetLang } from './report/sheet-words.ts';
import { sinceDate } from './since.ts';
import { summaryJson } from './summary-json.ts';
import { summaryText } from './summary-text.ts';

/** Exit code when the analysis ran but no model could be suggested. */
export const EXIT_NO_SUGGESTION = 3;

interface Checked {
  holdout: number;
  seed: number;
  months: number;
  tierShares: number[] | undefined;
  format: 'text' | 'json';
  since: string | undefined;
  unit: 'deal' | 'account' | undefined;
  dateOrder: DateOrder | undefined;
  lang: SheetLang | undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function usage(message: string): CliError {
  return new CliError(message, 2);
}

function check(opts: CalibrateCommandOptions, now: Date): Checked {
  const inputs = [opts.input, opts.best].filter((x) => x !== undefined).length + (opts.crm !== undefined && opts.best === undefined ? 1 : 0);
  if (inputs !== 1) throw usage('give exactly one input: --input FILE, --crm NAME, or --best FILE with --base FILE or --crm NAME');
  if (opts.best !== undefined && opts.base === undefined && opts.crm === undefined) {
    throw usage('--best needs the whole base as reference: --base FILE or --crm NAME');
  }
  if (opts.best !== undefined && opts.base !== undefined && opts.crm !== undefined) throw usage('--base and --crm both give the base: choose one');
  if (opts.crm !== undefined && !isCalibrationCrm(opts.crm)) throw usage(`unknown CRM "${opts.crm}": expected hubspot or salesforce`);
  const holdout = Number(opts.holdout);
  if (!(holdout >= 0.1 && holdout <= 0.5)) throw usage(`--holdout must be a share between 0.1 and 0.5, not "${opts.holdout}"`);
  const seed = Number(opts.seed);
  if (!Number.isSafeInteger(seed)) throw usage(`--seed must be a whole number, not "${opts.seed}"`);
  const months = Number(opts.rechallengeMonths);
  if (!Number.isInteger(months) || months < 6 || months > 12) {
    throw usage(`--rechallenge-months must be a whole number from 6 to 12, not "${opts.rechallengeMonths}"`);
  }
  let tierShares: number[] | undefined;
  if (opts.tierShares !== undefined) {
    tierShares = opts.tierShares.split(',').map((s) => Number(s.trim()) / 100);
    if (tierShares.some((x) => !(x > 0)) || Math.abs(tierShares.reduce((a, b) => a + b, 0) - 1) > 0.011) {
      throw usage(`--tier-shares must be positive percentages adding up to 100, top tier first, not "${opts.tierShares}"`);
    }
  }
  if (opts.format !== 'text' && opts.format !== 'json') throw usage(`--format must be text or json, not "${opts.format}"`);
  const since = opts.crm !== undefined && opts.best === undefined ? sinceDate(opts.since, now) : undefined;
  if (opts.crm !== undefined && opts.best === undefined && since === undefined) {
    throw usage(`--since must read like 24m, 90d, 2y or 2025-01-31, not "${opts.since}"`);
  }
  if (opts.unit !== undefined && opts.unit !== 'deal' && opts.unit !== 'account') throw usage(`--unit must be deal or account, not "${opts.unit}"`);
  if (opts.unit === 'deal' && opts.best !== undefined) throw usage('--best compares accounts: --unit deal does not apply');
  let dateOrder: DateOrder | undefined;
  if (opts.dateFormat !== undefined) {
    const f = opts.dateFormat.trim().toUpperCase().replace(/[^DMY]/g, '');
    if (/^D+M+Y+$/.test(f)) dateOrder = 'dmy';
    else if (/^M+D+Y+$/.test(f)) dateOrder = 'mdy';
    else throw usage(`--date-format must be DD-MM-YY (day first) or MM-DD-YY (month first), not "${opts.dateFormat}"`);
  }
  if (opts.lang !== undefined && !isSheetLang(opts.lang)) throw usage(`--lang must be fr or en, not "${opts.lang}"`);
  const lang = opts.lang !== undefined && isSheetLang(opts.lang) ? opts.lang : undefined;
  return { holdout, seed, months, tierShares, format: opts.format, since, unit: opts.unit, dateOrder, lang };
}

function report(ctx: CliContext, r: ReadRowsResult | { skipped: { line: number; message: string }[]; notes: string[] }, label: string): void {
  for (const n of r.notes) ctx.stderr.write(`note: ${n}\n`);
  const shown = r.skipped.slice(0, 20);
  for (const s of shown) ctx.stderr.write(`${label}: line ${s.line}: ${s.message} — skipped\n`);
  if (r.skipped.length > shown.length) ctx.stderr.write(`${label}: … and ${r.skipped.length - shown.length} more rows skipped\n`);
}

async function readCsv(path: string, kind: 'deals' | 'accounts', ctx: CliContext, dateOrder?: DateOrder): Promise<ReadRowsResult> {
  try {
    const r = await readRowsCsv(path, { kind, ...(dateOrder === undefined ? {} : { dateOrder }) });
    report(ctx, r, path);
    if (r.rows.length === 0) throw new CliError(`${path}: no usable row`, 1);
    return r;
  } catch (err) {
    if (err instanceof InputError) throw new CliError(err.message, 1);
    throw err;
  }
}

/** CRM values the field mappings could not read (a misspelt country): said with counts, as for CSV files. */
function noteUnrecognised(ctx: CliContext, label: string, rows: AccountRow[]): AccountRow[] {
  for (const n of unrecognisedNotes(label, rows.flatMap((r) => r.unrecognised ?? []))) ctx.stderr.write(`note: ${n}\n`);
  return rows;
}

async function loadCurrent(model: string | false | undefined): Promise<{ model: IcpModel; path: string } | undefined> {
  if (model === false) return undefined;
  const loaded = await loadModel(model);
  return { model: loaded.model, path: loaded.path };
}

export async function runCalibrateCommand(opts: CalibrateCommandOptions, ctx: CliContext, now = new Date()): Promise<number> {
  if (opts.check === true) {
    if (opts.crm === undefined || !isCalibrationCrm(opts.crm) || opts.input !== undefined || opts.best !== undefined) throw usage('--check needs --crm hubspot or --crm salesforce (and no --input or --best)');
    return (await import('./model-check-command.ts')).runModelCheckCommand(opts.crm, opts.format === 'json' ? 'json' : 'text', ctx);
  }
  const checked = check(opts, now);
  const current = await loadCurrent(opts.model);
  const tierCount = current?.model.tiers.length ?? 4;
  if (checked.tierShares !== undefined && checked.tierShares.length !== tierCount) {
    throw usage(`--tier-shares gives ${checked.tierShares.length} shares for ${tierCount} tiers${current === undefined ? ' (A, B, C, D)' : ` (model ${current.model.version})`}`);
  }
  let deals: ClosedDeal[];
  let population: AccountRow[] | undefined;
  let source: string;
  let mode: 'deals' | 'best' = 'deals';
  const ignore: string[] = [...IDENTITY_COLUMNS];
  if (opts.best !== undefined) {
    mode = 'best';
    const best = await readCsv(opts.best, 'accounts', ctx);
    const base =
      opts.base !== undefined
        ? (await readCsv(opts.base, 'accounts', ctx)).rows
        : noteUnrecognised(ctx, `${opts.crm} accounts`, await readCrmAccounts(opts.crm as 'hubspot' | 'salesforce', current?.model, ctx));
    const combined = bestVersusBase(best.rows, base);
    if (combined.unmatched > 0) {
      ctx.stderr.write(`note: ${combined.unmatched} best customer(s) not found in the base (by account_id, domain or name): added to it\n`);
    }
    if (combined.onlyInBest.length > 0) {
      ctx.stderr.write(
        `warning: ${opts.best}: ${combined.onlyInBest.join(', ')} not in the base: not analysed (only best customers would carry ${combined.onlyInBest.length === 1 ? 'it' : 'them'}; only attributes both sides carry are compared)\n`,
      );
      ignore.push(...combined.onlyInBest);
    }
    deals = combined.deals;
    population = base;
    source = `${opts.best} against ${opts.base ?? `the ${opts.crm} base`}`;
  } else if (opts.input !== undefined) {
    deals = rowsToDeals((await readCsv(opts.input, 'deals', ctx, checked.dateOrder)).rows);
    source = opts.input;
    if (opts.base !== undefined) population = (await readCsv(opts.base, 'accounts', ctx)).rows;
  } else {
    const crm = opts.crm as 'hubspot' | 'salesforce';
    deals = rowsToDeals(noteUnrecognised(ctx, `${crm} deals`, await readCrmDeals(crm, checked.since as string, current?.model, ctx)));
    source = `${crm} deals closed since ${checked.since}`;
    if (deals.length === 0) throw new CliError(`no closed deal in ${crm} since ${checked.since}`, 1);
  }

  let result: CalibrationResult;
  try {
    result = calibrate(deals, {
      mode,
      now,
      holdoutShare: checked.holdout,
      seed: checked.seed,
      rechallengeMonths: checked.months,
      ignore,
      ...(checked.unit === undefined ? {} : { unit: checked.unit }),
      ...(opts.keepAttribute === undefined ? {} : { keep: opts.keepAttribute.split(',').map((x) => x.trim()).filter((x) => x !== '') }),
      ...(current === undefined ? {} : { current: current.model }),
      ...(population === undefined ? {} : { population: population.map((r) => r.attributes) }),
      ...(checked.tierShares === undefined ? {} : { tierShares: checked.tierShares }),
    });
  } catch (err) {
    if (err instanceof RangeError) throw usage(err.message);
    throw err;
  }

  const unknownRoles = result.roles?.unknown ?? [];
  if (unknownRoles.length > 0) {
    const shown = unknownRoles.slice(0, 8).map((u) => `${JSON.stringify(u.id)} ×${u.rows}`).join(', ');
    ctx.stderr.write(
      current?.model.roles === undefined
        ? `note: the deals carry roles but the model has no roles section: ${shown}${unknownRoles.length > 8 ? ', …' : ''} analysed, nothing suggested for them\n`
        : `warning: role id(s) not in the model's roles: ${shown}${unknownRoles.length > 8 ? `, and ${unknownRoles.length - 8} more` : ''} (analysed apart, nothing suggested for them; fix the ids or add the roles to the model)\n`,
    );
  }
  const files: { suggested?: string; report?: string } = {};
  if (opts.out !== undefined && result.suggestion === undefined && (await exists(opts.out))) {
    ctx.stderr.write(`icp-sync: ${opts.out} left as it was: no model was suggested this time, so the file still holds an earlier one\n`);
  }
  if (opts.out !== undefined && result.suggestion !== undefined) {
    const { suggestedModelYaml } = await import('./suggested-yaml.ts');
    await mkdir(dirname(resolve(opts.out)), { recursive: true });
    await writeFile(opts.out, suggestedModelYaml(result, source), 'utf8');
    files.suggested = opts.out;
  }
  if (opts.report !== undefined) {
    const dir = resolve(opts.report);
    await mkdir(dir, { recursive: true });
    await writeIcpSheet(dir, result, {
      source,
      ...(current === undefined ? {} : { modelPath: current.path }),
      ...(checked.lang === undefined ? {} : { lang: checked.lang }),
    });
    files.report = dir;
  }
  if (checked.format === 'json') ctx.stdout.write(summaryJson(result, files));
  else {
    ctx.stdout.write(
      summaryText(result, {
        source,
        ...(current === undefined ? {} : { modelPath: current.path }),
        ...(files.suggested === undefined ? {} : { suggestedPath: files.suggested }),
        ...(files.report === undefined ? {} : { reportDir: files.report }),
      }),
    );
  }
  if (result.suggestion === undefined) {
    ctx.stderr.write(`icp-sync: no suggested model: ${result.suggestionProblem ?? 'not enough data'}\n`);
    return EXIT_NO_SUGGESTION;
  }
  return 0;
}
