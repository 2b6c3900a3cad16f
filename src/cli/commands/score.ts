/**
 * `icp-sync score --input FILE`: scores every row of a CSV, JSON array or JSON Lines file with the
 * ICP model, streaming. Exit codes: 0 every row scored, 2 some rows skipped (each reported on
 * stderr with its line number), 1 nothing usable (invalid model, unreadable input, bad options).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CliError, type CliContext } from '../context.ts';

/** Exit code when the run finished but at least one row was skipped. */
export const EXIT_ROWS_SKIPPED = 2;

interface ScoreOptions {
  input: string;
  inputFormat?: 'csv' | 'json' | 'jsonl';
  model?: string;
  format: 'table' | 'json' | 'csv';
  idColumn: string;
  output?: string;
  csvSafe: boolean;
  encoding?: 'utf8' | 'latin1' | 'windows-1252' | 'utf16le';
  threads?: number;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('score')
    .description('score the rows of a CSV, JSON or JSONL file with the ICP model (streams; exit 2 when rows were skipped)')
    .requiredOption('--input <file>', 'input file: .csv (header row, ";" separates list items in a cell), .json (an array of objects), .jsonl/.ndjson, or "-" for stdin')
    .addOption(
      new Option('--input-format <format>', 'input format when the extension does not say (stdin is sniffed: "[" JSON, "{" JSONL, else CSV)').choices([
        'csv',
        'json',
        'jsonl',
      ]),
    )
    .addOption(
      new Option(
        '--encoding <encoding>',
        'input text encoding (default: UTF-8; a UTF-16 byte order mark, and a Windows-1252/Latin-1 file as Excel exports it, are detected)',
      ).choices(['utf8', 'latin1', 'windows-1252', 'utf16le']),
    )
    .option('--model <path>', 'ICP model file (default: $ICP_MODEL_PATH, else config/icp.yaml, else config/icp.example.yaml)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--id-column <name>', 'column (CSV) or key (JSON) holding each row id', 'id')
    .option('--output <file>', 'write the results to this file instead of stdout (replaced only when the run succeeds)')
    .option(
      '--threads <n>',
      'threads that score a large CSV or JSON Lines file with --format csv or json (default: one per core, at most 2; 1: no worker thread)',
      (value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
        return n;
      },
    )
    .option('--csv-safe', 'with --format csv: cells starting with = + - @ (or a tab or carriage return) get a leading \' so that spreadsheets show them as text, not formulas', false)
    .addHelpText(
      'after',
      `
Rows that cannot be scored (no id, wrong number of CSV fields, invalid JSON, not an object) are
reported on stderr with their line number and skipped.
Exit codes: 0 every row scored, ${EXIT_ROWS_SKIPPED} some rows skipped, 1 error (invalid model, unreadable input, bad options).

Example: icp-sync score --input examples/companies.csv --format csv --output scores.csv`,
    )
    .action(async (opts: ScoreOptions) => {
      const [{ loadModel }, { scoreFile }, { InputError }, { OutputError }] = await Promise.all([
        import('../../config/model-loader.ts'),
        import('../../io/score-file.ts'),
        import('../../io/input-error.ts'),
        import('../../io/buffered-output.ts'),
      ]);
      if (opts.idColumn.trim() === '') throw new CliError('--id-column must name a column');
      if (opts.csvSafe && opts.format !== 'csv') throw new CliError('--csv-safe applies to --format csv only', 1);
      const { scorer } = await loadModel(opts.model);
      let stats;
      try {
        const { threads, ...rest } = opts;
        const options = { ...rest, idColumn: opts.idColumn.trim(), ...(threads === undefined ? {} : { parallel: { threads } }) };
        stats = await scoreFile(scorer, options, { stdin: process.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
      } catch (err) {
        if (err instanceof InputError || err instanceof OutputError) throw new CliError(err.message, 1);
        throw err;
      }
      if (opts.format !== 'table' && (stats.skipped > 0 || ctx.stderr.isTTY === true)) {
        ctx.stderr.write(`${stats.scored} row(s) scored, ${stats.skipped} skipped\n`);
      }
      ctx.exitCode = stats.skipped > 0 ? EXIT_ROWS_SKIPPED : 0;
    });
}
