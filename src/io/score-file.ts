/**
 * Scores every row of a CSV, JSON-array or JSON Lines input and prints the results, streaming:
 * input is read in 64 KiB blocks and parsed 16 KiB at a time, output written in 64 KiB chunks with
 * backpressure, so memory stays flat whatever the file size. Rows that cannot be scored are reported on stderr with their line
 * number and skipped; only a problem with the input as a whole stops the run.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseNumber } from '../domain/normalize.ts';
import { compileRoles, personInput, type CompiledRoles } from '../domain/roles.ts';
import type { Attributes, IcpModel, ScoreResult } from '../domain/types.ts';
import { BufferedOutput, OutputError } from './buffered-output.ts';
import { createCsvRowReader } from './csv-rows.ts';
import { attributePrep } from './file-attributes.ts';
import { formatFromPath, sniffFormat, type InputFormat } from './input-format.ts';
import { createInputDecoder, type InputEncoding } from './input-decoder.ts';
import { InputError } from './input-error.ts';
import { createJsonRowReader } from './json-rows.ts';
import { Progress } from './progress.ts';
import { createFormatter, type OutputFormat, type RowPerson } from './result-formatter.ts';
import type { ChunkReader, RowSink } from './row-sink.ts';
import { ScoreStats } from './score-stats.ts';
import { terminalSafe } from './terminal-text.ts';

/** What scoring a file needs from the compiled model (the scoring core's `Scorer` fits). */
export interface RowScorer {
  readonly model: IcpModel;
  score(attrs: Attributes): ScoreResult;
}

export interface ScoreFileOptions {
  /** A file path, or `-` for stdin. */
  input: string;
  /** Overrides the format implied by the extension; stdin and unknown extensions are sniffed. */
  inputFormat?: InputFormat;
  format: OutputFormat;
  /** Column (CSV) or key (JSON) holding each row's id. */
  idColumn: string;
  /** Write results to this file instead of stdout. */
  output?: string;
  /** Input text encoding; undefined: UTF-8, with detection of a BOM and of Windows-1252 exports. */
  encoding?: InputEncoding;
  /** CSV output: cells that would start a spreadsheet formula get a leading `'`. */
  csvSafe?: boolean;
}

export interface ScoreFileIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Skipped rows listed one by one on stderr; beyond this they are only counted. */
const MAX_LISTED_SKIPS = 1000;
/** Input read size (bytes): few system calls. */
const READ_CHUNK = 64 * 1024;
/**
 * Bytes decoded and parsed at a time. What is alive when V8 collects its young generation (the
 * text being parsed and everything made from it) is copied, and V8 grows the young generation as
 * copies pile up — to 128 MiB of RSS on a long run with 64 KiB strings. 16 KiB keeps that small.
 */
const DECODE_CHUNK = 16 * 1024;

export async function scoreFile(scorer: RowScorer, options: ScoreFileOptions, io: ScoreFileIo): Promise<ScoreStats> {
  if (options.output !== undefined && options.input !== '-') await refuseSameFile(options.input, options.output);
  const input = await openInput(options.input, io.stdin);
  if (options.output === undefined) return scoreStream(scorer, options, io, input, io.stdout);
  // Results go to a temporary file next to the target, renamed over it only once the run
  // succeeded: a failed run leaves an existing file as it was.
  const target = options.output;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  // Like the report folders: `--output out/scores.csv` makes `out/` (kept out of Git) when missing.
  await mkdir(dirname(target), { recursive: true }).catch(() => undefined);
  const outStream = await openOutput(temp, target);
  try {
    const stats = await scoreStream(scorer, options, io, input, outStream);
    const mode = await stat(target).then((st) => st.mode & 0o777, () => undefined);
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target).catch((err: unknown) => {
      throw new OutputError(`cannot write ${target}: ${(err as Error).message}`, { cause: err });
    });
    return stats;
  } catch (err) {
    outStream.destroy();
    await rm(temp, { force: true });
    throw err;
  }
}

async function scoreStream(
  scorer: RowScorer,
  options: ScoreFileOptions,
  io: ScoreFileIo,
  input: { stream: AsyncIterable<unknown>; format: InputFormat | undefined },
  outStream: NodeJS.WritableStream,
): Promise<ScoreStats> {
  const out = new BufferedOutput(outStream);
  const progress = new Progress(io.stderr, io.stderr.isTTY === true && (options.output !== undefined || io.stdout.isTTY !== true));
  const toTerminal = outStream === io.stdout && io.stdout.isTTY === true;
  const formatter = createFormatter(options.format, scorer.model, {
    ...(toTerminal && io.stdout.columns !== undefined ? { width: io.stdout.columns } : {}),
    csvSafe: options.csvSafe === true,
  });
  const rowBytes = formatter.rowBytes?.bind(formatter);
  const stats = new ScoreStats();
  const roles = compileRoles(scorer.model);
  const rowRole = roles === null ? undefined : roleOfRow(roles);
  // People rows: with roles, the role columns are read too (job_title, buying_role, account_score, account_excluded).
  const attributes = [...[...scorer.model.criteria, ...scorer.model.exclusions].map((c) => c.attribute), ...(roles === null ? [] : PEOPLE_COLUMNS)];
  const prep = attributePrep(attributes);

  const sink: RowSink = {
    row(id, attrs, line) {
      let result: ScoreResult;
      let person: RowPerson | undefined;
      try {
        prep?.(attrs as Record<string, unknown>);
        result = scorer.score(attrs);
        if (roles !== null && rowRole !== undefined) person = rowPerson(roles, rowRole, attrs, result);
      } catch (err) {
        sink.skip(line, `cannot be scored (${err instanceof Error ? err.message : String(err)}) — skipped`);
        return;
      }
      stats.count(result.tier);
      if (rowBytes !== undefined) out.writeBytes(rowBytes(id, result, person));
      else out.write(formatter.row(id, result, person));
    },
    skip(line, message) {
      stats.skipped += 1;
      if (stats.skipped > MAX_LISTED_SKIPS) return;
      progress.clear();
      io.stderr.write(`line ${line}: ${terminalSafe(message)}\n`);
      if (stats.skipped === MAX_LISTED_SKIPS) {
        io.stderr.write(`(more skipped rows are counted but not listed)\n`);
      }
    },
    note(message) {
      progress.clear();
      io.stderr.write(`note: ${terminalSafe(message)}\n`);
    },
  };

  let reader: ChunkReader | undefined;
  let head = '';
  const known = options.inputFormat ?? input.format;
  const feed = (text: string): void => {
    if (reader === undefined) {
      // Sniffing needs a first non-blank character; a pipe may deliver a lone line break first.
      head += text;
      if (known === undefined && head.trim() === '') return;
      reader = createReader(known ?? sniffFormat(head), options.idColumn, attributes, sink);
      text = head;
      head = '';
    }
    reader.feed(text);
  };

  out.write(formatter.start());
  // TextDecoder in stream mode keeps a character split between blocks; it is several times faster
  // than StringDecoder. Text that is not in the expected encoding is decoded as what it is
  // (detected) or refused, never read as mojibake.
  const decoder = createInputDecoder(options.encoding, (message) => sink.note(message));
  try {
    reading: for await (const chunk of input.stream) {
      if (typeof chunk === 'string') {
        feed(chunk);
        await out.maybeFlush();
        if (out.closed) break;
        continue;
      }
      const bytes = chunk as Buffer;
      for (let at = 0; at < bytes.length; at += DECODE_CHUNK) {
        feed(decoder.decode(bytes.subarray(at, at + DECODE_CHUNK)));
        await out.maybeFlush();
        if (out.closed) break reading;
      }
      progress.tick(stats.scored + stats.skipped);
    }
    if (!out.closed) {
      feed(decoder.end());
      reader ??= createReader(known ?? sniffFormat(head), options.idColumn, attributes, sink);
      reader.end();
      out.write(formatter.finish(stats));
    }
  } catch (err) {
    throw asInputError(err, options.input);
  }
  progress.clear();
  await out.close(options.output !== undefined);
  return stats;
}

/** Columns of a people row (PRODUCT.md §2, buying roles), read only when the model has roles. */
export const PEOPLE_COLUMNS: readonly string[] = ['job_title', 'buying_role', 'account_score', 'account_excluded'];

const TRUE_WORDS = new Set(['true', 'yes', 'oui', '1', 'vrai', 'x']);

/** A row's role and its points. */
type RowRole = (attrs: Attributes) => { readonly role: string; readonly points: number };

/** Distinct job titles whose role is remembered; people files repeat titles a lot. */
const TITLE_MEMO_LIMIT = 4096;

/**
 * The role of a row from `job_title` and `buying_role` (values of either CRM's lists). Resolving is
 * pure, so a row without a CRM role gets its title's remembered role: a company file (no title at
 * all) resolves once instead of twice per row.
 */
function roleOfRow(roles: CompiledRoles): RowRole {
  const resolve = (attrs: Attributes): { role: string; points: number } => {
    const input = personInput(attrs);
    const byHubSpot = roles.resolve(input, 'hubspot');
    // Not a HubSpot value: a Salesforce one, else the title decides (the same for both CRMs).
    const chosen = byHubSpot.source === 'crm' ? byHubSpot : roles.resolve(input, 'salesforce');
    return { role: chosen.role, points: chosen.points };
  };
  let untitled: { role: string; points: number } | undefined;
  const byTitle = new Map<string, { role: string; points: number }>();
  return (attrs) => {
    const buyingRole = attrs['buying_role'];
    if (buyingRole !== undefined && buyingRole !== null && buyingRole !== '') return resolve(attrs);
    const title = attrs['job_title'];
    if (title === undefined || title === null) return (untitled ??= resolve(attrs));
    if (typeof title !== 'string') return resolve(attrs);
    let known = byTitle.get(title);
    if (known === undefined) {
      known = resolve(attrs);
      if (byTitle.size >= TITLE_MEMO_LIMIT) byTitle.clear();
      byTitle.set(title, known);
    }
    return known;
  };
}

/**
 * The couple of one row: its role (see `roleOfRow`), and a priority from `account_score` (0–100)
 * and `account_excluded`; without `account_score` the row's own fit stands for its account's, as
 * for a Salesforce Lead.
 */
function rowPerson(roles: CompiledRoles, roleOf: RowRole, attrs: Attributes, result: ScoreResult): RowPerson {
  const chosen = roleOf(attrs);
  const raw = attrs['account_score'];
  let score = result.score;
  let excluded = result.excluded;
  if (raw !== undefined && raw !== null && String(raw).trim() !== '') {
    const n = typeof raw === 'number' ? raw : parseNumber(raw);
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 100) throw new Error(`account_score ${JSON.stringify(raw)} is not a whole number from 0 to 100`);
    score = n;
    excluded = TRUE_WORDS.has(String(attrs['account_excluded'] ?? '').trim().toLowerCase());
  }
  const p = roles.priority(score, chosen.points, excluded);
  return { role: chosen.role, priority: p.priority, priorityTier: p.tier };
}

function createReader(format: InputFormat, idColumn: string, attributes: string[], sink: RowSink): ChunkReader {
  const options = { idColumn, attributes };
  return format === 'csv' ? createCsvRowReader(options, sink) : createJsonRowReader(format, options, sink);
}

async function openInput(
  path: string,
  stdin: NodeJS.ReadableStream,
): Promise<{ stream: AsyncIterable<unknown>; format: InputFormat | undefined }> {
  if (path === '-') {
    return { stream: stdin, format: undefined };
  }
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw asInputError(err, path);
  }
  const stream = handle.createReadStream({ highWaterMark: READ_CHUNK });
  return { stream, format: formatFromPath(path) };
}

/** Opening the output truncates it: writing over the input would destroy the rows being read. */
async function refuseSameFile(input: string, output: string): Promise<void> {
  const [a, b] = await Promise.all([stat(input).catch(() => undefined), stat(output).catch(() => undefined)]);
  if (a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino) {
    throw new OutputError(`--output ${output} is the input file: choose another file`);
  }
}

/** Opens `path` (a new temporary file) for the results meant for `target`. */
async function openOutput(path: string, target: string): Promise<NodeJS.WritableStream & { destroy(): void }> {
  // A deep buffer lets the next rows be scored while the last chunk is on its way to disk.
  const stream = createWriteStream(path, { highWaterMark: 1024 * 1024, flags: 'wx' });
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new OutputError(`cannot write ${target}: ${(err as Error).message.replace(path, target)}`, { cause: err });
  }
  return stream;
}

function asInputError(err: unknown, path: string): unknown {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new InputError(`cannot read ${path}: no such file`);
  if (code === 'EISDIR') return new InputError(`cannot read ${path}: it is a directory`);
  if (code === 'EACCES') return new InputError(`cannot read ${path}: permission denied`);
  if (typeof code === 'string') return new InputError(`cannot read ${path}: ${(err as Error).message}`);
  return err;
}
