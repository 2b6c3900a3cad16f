/**
 * Scores every row of a CSV, JSON-array or JSON Lines input and prints the results, streaming:
 * input is read in 64 KiB blocks and parsed 16 KiB at a time, output written in 64 KiB chunks with
 * backpressure, so memory stays flat whatever the file size. Rows that cannot be scored are reported on stderr with their line
 * number and skipped; only a problem with the input as a whole stops the run.
 */
import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { TextDecoder } from 'node:util';
import { BufferedOutput, OutputError } from './buffered-output.ts';
import { createCsvRowReader, type RowReaderOptions } from './csv-rows.ts';
import { formatFromPath, sniffFormat, type InputFormat } from './input-format.ts';
import { createInputDecoder, type InputDecoder, type InputEncoding } from './input-decoder.ts';
import { InputError } from './input-error.ts';
import { createJsonRowReader } from './json-rows.ts';
import { scoreInParallel, wantsWorkers, type ParallelOptions } from './parallel-score.ts';
import { Progress } from './progress.ts';
import { createFormatter, type OutputFormat } from './result-formatter.ts';
import type { ChunkReader, RowSink } from './row-sink.ts';
import { createRowScoring, type RowScorer } from './score-rows.ts';
import { ScoreStats } from './score-stats.ts';
import { terminalSafe } from './terminal-text.ts';

export type { RowScorer } from './score-rows.ts';

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
  /**
   * A large CSV or JSON Lines file with csv or json output is scored on several threads, which
   * compile `scorer.model` with the scoring core's `compileModel` (so `scorer` must be that model's
   * compiled scorer). `threads: 1` reads on one thread.
   */
  parallel?: ParallelOptions;
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
  const existing = await stat(options.output).catch(() => undefined);
  if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
    // A device or a pipe (`--output /dev/null`, a FIFO) is written in place: renaming a file over
    // it would replace it (as root, /dev/null itself) with a regular file.
    const outStream = await openOutput(options.output, options.output, 'w');
    try {
      return await scoreStream(scorer, options, io, input, outStream);
    } catch (err) {
      outStream.destroy();
      throw err;
    }
  }
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
  input: Input,
  outStream: NodeJS.WritableStream,
): Promise<ScoreStats> {
  const out = new BufferedOutput(outStream);
  const progress = new Progress(io.stderr, io.stderr.isTTY === true && (options.output !== undefined || io.stdout.isTTY !== true));
  const toTerminal = outStream === io.stdout && io.stdout.isTTY === true;
  const formatter = createFormatter(options.format, scorer.model, {
    ...(toTerminal && io.stdout.columns !== undefined ? { width: io.stdout.columns } : {}),
    csvSafe: options.csvSafe === true,
  });
  const stats = new ScoreStats();
  const scoring = createRowScoring(scorer, formatter);
  const attributes = scoring.attributes;

  const sink: RowSink = {
    row(id, attrs, line) {
      const problem = scoring.row(id, attrs, out, stats);
      if (problem !== undefined) sink.skip(line, problem);
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

  let reader: AnyReader | undefined;
  let head = '';
  const known = options.inputFormat ?? input.format;
  const readerOptions = { idColumn: options.idColumn, attributes };
  const feed = (text: string): void => {
    if (reader === undefined) {
      // Sniffing needs a first non-blank character; a pipe may deliver a lone line break first.
      head += text;
      if (known === undefined && head.trim() === '') return;
      reader = createReader(known ?? sniffFormat(head), readerOptions, sink);
      text = head;
      head = '';
    }
    reader.feed(text);
  };

  out.write(formatter.start());
  // TextDecoder in stream mode keeps a character split between blocks; it is several times faster
  // than StringDecoder. Text that is not in the expected encoding is decoded as what it is
  // (detected) or refused, never read as mojibake.
  let decoder: InputDecoder = createInputDecoder(options.encoding, (message) => sink.note(message));
  /** Decodes and reads `bytes`, found at `offset` (from where decode blocks are counted). */
  const readBytes = async (bytes: Uint8Array, offset: number): Promise<boolean> => {
    for (let at = 0; at < bytes.length; ) {
      const next = Math.min(bytes.length, at + DECODE_CHUNK - ((offset + at) % DECODE_CHUNK));
      feed(decoder.decode(bytes.subarray(at, next)));
      at = next;
      await out.maybeFlush();
      if (out.closed) return false;
    }
    return true;
  };
  const parallel = { threads: defaultThreads(), ...options.parallel };
  try {
    let done = false;
    if (input.file !== undefined && (known === 'csv' || known === 'jsonl') && options.format !== 'table' && wantsWorkers(input.file.size, parallel)) {
      const inputFormat = known;
      done = await scoreInParallel({
        handle: input.file.handle,
        size: input.file.size,
        encoding: options.encoding,
        init: { model: scorer.model, inputFormat, format: options.format, csvSafe: options.csvSafe === true, idColumn: options.idColumn },
        main: {
          read: readBytes,
          header: () => reader?.header?.(),
          nextLine: () => reader?.nextLine?.() ?? 1,
          restartAt(line, header) {
            reader = createReader(inputFormat, readerOptions, sink, { firstLine: line, atInputStart: false }, header);
            // The file is valid UTF-8 (checked) and the restart is at a record boundary.
            const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
            decoder = { decode: (bytes) => utf8.decode(bytes, { stream: true }), end: () => utf8.decode() };
          },
        },
        sink,
        stats,
        out,
        reusableOutput: outStream instanceof WriteStream || outStream === process.stdout,
        progress,
        options: parallel,
      });
    }
    if (!done) {
      for await (const chunk of input.stream()) {
        if (typeof chunk === 'string') feed(chunk);
        else if (!(await readBytes(chunk as Buffer, 0))) break;
        await out.maybeFlush();
        if (out.closed) break;
        progress.tick(stats.scored + stats.skipped);
      }
    }
    if (!out.closed) {
      feed(decoder.end());
      reader ??= createReader(known ?? sniffFormat(head), readerOptions, sink);
      reader.end();
      out.write(formatter.finish(stats));
    }
  } catch (err) {
    throw asInputError(err, options.input);
  } finally {
    await input.file?.close();
  }
  progress.clear();
  await out.close(options.output !== undefined);
  return stats;
}

/** A reader of any format; CSV and JSON Lines readers also say where they are. */
type AnyReader = ChunkReader & { header?(): readonly string[] | undefined; nextLine?(): number };

function createReader(
  format: InputFormat,
  options: RowReaderOptions,
  sink: RowSink,
  at?: { firstLine: number; atInputStart: false },
  header?: readonly string[],
): AnyReader {
  if (format === 'csv') return createCsvRowReader(options, sink, at ?? {}, header);
  return format === 'jsonl' ? createJsonRowReader(format, options, sink, at ?? {}) : createJsonRowReader(format, options, sink);
}

/** Scoring threads by default: one per core, at most 2 (each more costs ~50 MB; see docs/cli-score.md). */
function defaultThreads(): number {
  return Math.min(availableParallelism(), 2);
}

interface Input {
  /** A file: its handle and size, for the parallel read; closed once read. */
  file?: { handle: FileHandle; size: number; close(): Promise<void> };
  /** The input from its start, in blocks (a file: 64 KiB). */
  stream(): AsyncIterable<unknown>;
  format: InputFormat | undefined;
}

async function openInput(path: string, stdin: NodeJS.ReadableStream): Promise<Input> {
  if (path === '-') {
    return { stream: () => stdin, format: undefined };
  }
  let handle: FileHandle;
  let size: number;
  try {
    handle = await open(path, 'r');
    size = (await handle.stat()).size;
  } catch (err) {
    throw asInputError(err, path);
  }
  let streamed = false;
  return {
    file: {
      handle,
      size,
      // A stream closes the handle itself when it ends.
      close: async () => (streamed ? undefined : handle.close()),
    },
    stream: () => {
      streamed = true;
      return handle.createReadStream({ highWaterMark: READ_CHUNK, start: 0 });
    },
    format: formatFromPath(path),
  };
}

/** Opening the output truncates it: writing over the input would destroy the rows being read. */
async function refuseSameFile(input: string, output: string): Promise<void> {
  const [a, b] = await Promise.all([stat(input).catch(() => undefined), stat(output).catch(() => undefined)]);
  if (a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino) {
    throw new OutputError(`--output ${output} is the input file: choose another file`);
  }
}

/** Opens `path` (a new temporary file, or the device or pipe that `target` is) for the results meant for `target`. */
async function openOutput(path: string, target: string, flags = 'wx'): Promise<NodeJS.WritableStream & { destroy(): void }> {
  // A deep buffer lets the next rows be scored while the last chunk is on its way to disk.
  const stream = createWriteStream(path, { highWaterMark: 1024 * 1024, flags });
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
