/**
 * A large file scored on several cores. The main thread cuts the input into parts of whole records
 * (`record-boundary.ts`); worker threads (`score-worker.ts`) read, score and format them, and so
 * does the main thread whenever each worker has two parts queued (`score-part.ts`: the same code),
 * so two cores need one worker thread, not two (each costs ~50 MB). The main thread writes the
 * output strictly in input order, printing each part's skipped rows with their absolute line
 * numbers. Every byte out is the same as one thread reading from start to end:
 *
 * - the start of the file (header, byte order mark, notes about the header) is read on the main
 *   thread by the one-thread reader itself, while the workers start;
 * - the workers get only input that is valid UTF-8 from end to end (checked first, a few tens of
 *   milliseconds for 100 MB); anything else (another encoding, Windows-1252 detection, UTF-16) is
 *   read on one thread from the start;
 * - a record too long for a part (a runaway quote, a line of several MB) sends the rest of the file
 *   to the one-thread reader, from that record on, so its limits and messages stay the same.
 *
 * Parts in flight are bounded (a few per thread), so memory stays flat whatever the file size.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { Worker } from 'node:worker_threads';
import type { BufferedOutput } from './buffered-output.ts';
import { readsAsUtf8, type InputEncoding } from './input-decoder.ts';
import type { Progress } from './progress.ts';
import { csvRecordsEnd, linesEnd } from './record-boundary.ts';
import type { RowSink } from './row-sink.ts';
import type { ScoreStats } from './score-stats.ts';
import { createPartScorer, reuseOutput, type ScoredPart, type ScorePart, type ScoreWorkerInit } from './score-part.ts';

/** Tuning of the parallel read; the defaults suit any machine. Tests use tiny parts. */
export interface ParallelOptions {
  /**
   * Threads that score, the main thread included (it scores a part whenever the workers have
   * enough queued); below 2 the file is read on one thread. The CLI's default: one per core, at most 2.
   */
  threads?: number;
  /** Bytes read per part (default 256 KiB): about 2,000 rows of a typical company file. */
  partBytes?: number;
  /** Smaller files are read on one thread: starting workers costs more than it saves (default 4 MiB). */
  minBytes?: number;
  /**
   * A record that has not ended after this many bytes sends the rest of the file to the one-thread
   * reader (default 4 MiB, below the 8 Mi-character record limit so the limit's handling stays its own).
   */
  maxPartBytes?: number;
}

/** The one-thread reading, used for the start of the file and for what workers cannot take. */
export interface MainReading {
  /** Decodes and reads bytes found at `offset` in the file; false once the output has gone away. */
  read(bytes: Uint8Array, offset: number): Promise<boolean>;
  /** CSV: the header read so far (undefined before it). */
  header(): readonly string[] | undefined;
  /** Line number of the next record. */
  nextLine(): number;
  /** From here on, reads with a fresh reader that starts at a record boundary on `line`. */
  restartAt(line: number, header: readonly string[] | undefined): void;
}

export interface ParallelRun {
  handle: FileHandle;
  size: number;
  encoding: InputEncoding | undefined;
  init: ScoreWorkerInit;
  main: MainReading;
  sink: RowSink;
  stats: ScoreStats;
  out: BufferedOutput;
  /**
   * The output stream is done with a chunk once its write has called back (a file, a pipe), so the
   * chunk's buffer can go back to a worker. Not so for any stream: a consumer may keep the chunks.
   */
  reusableOutput: boolean;
  progress: Progress;
  options: ParallelOptions;
}

const DEFAULT_PART = 256 * 1024;
const DEFAULT_MIN = 4 * 1024 * 1024;
const DEFAULT_MAX_PART = 4 * 1024 * 1024;
/** Block size of the UTF-8 check and of the one-thread reading after a fallback (as the file stream reads). */
const CHECK_BLOCK = 4 * 1024 * 1024;
const READ_BLOCK = 64 * 1024;
/** Young generation of a worker's heap (V8's default grows it to tens of MB per thread). */
const WORKER_YOUNG_MB = 8;

/** True when a file of this size and these options is worth reading with workers. */
export function wantsWorkers(size: number, options: ParallelOptions): boolean {
  return (options.threads ?? 0) >= 2 && size >= (options.minBytes ?? DEFAULT_MIN);
}

/**
 * Scores the whole file with workers. Returns false, having read nothing, when the input is not
 * one the workers can take (not UTF-8): the caller then reads it on one thread.
 */
export async function scoreInParallel(run: ParallelRun): Promise<boolean> {
  const { options } = run;
  const workers = Array.from({ length: Math.max(1, (options.threads ?? 2) - 1) }, () => startWorker(run.init));
  try {
    if (!checkUtf8(run.handle, run.size, run.encoding)) return false;
    await readParts(run, workers, localScorer(run.init), options.partBytes ?? DEFAULT_PART, options.maxPartBytes ?? DEFAULT_MAX_PART);
    return true;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

interface PartWorker {
  score(part: ScorePart): Promise<ScoredPart>;
  /** Parts sent and not yet back. */
  readonly queued: number;
  /** Gives an output buffer back once written, for the worker's next part. */
  recycle(buffer: ArrayBuffer): void;
  stop(): Promise<void>;
}

function startWorker(init: ScoreWorkerInit): PartWorker {
  const worker = new Worker(new URL('./score-worker.ts', import.meta.url), {
    workerData: init,
    // A part is read 16 KiB at a time, so little is alive at each collection: a small young
    // generation keeps the worker's memory low (V8 grows it to tens of MB otherwise). 8 MB: the
    // worker spent 27 % of its time collecting at 4 MB, 8 % at 8 MB, for the same peak RSS.
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
  });
  // Parts come back in the order they were sent.
  const waiting: { resolve: (p: ScoredPart) => void; reject: (e: unknown) => void }[] = [];
  let failed: unknown;
  let stopped = false;
  worker.on('message', (scored: ScoredPart) => waiting.shift()?.resolve(scored));
  const fail = (err: unknown): void => {
    failed ??= err;
    for (const w of waiting.splice(0)) w.reject(failed);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a scoring worker stopped (exit code ${code})`)));
  return {
    get queued() {
      return waiting.length;
    },
    score(part) {
      if (failed !== undefined) return Promise.reject(failed instanceof Error ? failed : new Error(String(failed)));
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(part, [part.bytes]);
      });
    },
    recycle(buffer) {
      if (failed === undefined && !stopped) worker.postMessage({ spare: buffer }, [buffer]);
    },
    stop: async () => {
      stopped = true;
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** The main thread as a scorer of parts: a part is scored at once, when it is given. */
function localScorer(init: ScoreWorkerInit): PartWorker {
  const score = createPartScorer(init);
  return {
    queued: 0,
    score: (part) => {
      try {
        return Promise.resolve(score(part));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    recycle: reuseOutput,
    stop: () => Promise.resolve(),
  };
}

/** Whole-file check, on this thread while the workers start: is every byte UTF-8 read as UTF-8? */
function checkUtf8(handle: FileHandle, size: number, encoding: InputEncoding | undefined): boolean {
  const block = Buffer.allocUnsafeSlow(Math.min(CHECK_BLOCK, size) + 4);
  let carry = 0;
  for (let position = 0; position < size; ) {
    const n = readSync(handle.fd, block, carry, block.length - carry, position);
    if (n === 0) break;
    if (position === 0 && !readsAsUtf8(block.subarray(0, Math.min(n, 64)), encoding)) return false;
    position += n;
    const end = carry + n;
    // Keep a character cut by the block's end for the next block.
    let cut = end;
    if (position < size) {
      let k = end - 1;
      while (k > 0 && end - k < 4 && ((block[k] as number) & 0xc0) === 0x80) k -= 1;
      cut = (block[k] as number) >= 0xc0 ? k : end;
    }
    if (!isUtf8(block.subarray(0, cut))) return false;
    block.copy(block, 0, cut, end);
    carry = end - cut;
  }
  return carry === 0;
}

/** Parts queued on a worker before the main thread scores one itself: the worker never waits. */
const QUEUED_PER_WORKER = 2;

async function readParts(run: ParallelRun, workers: readonly PartWorker[], local: PartWorker, partBytes: number, maxPartBytes: number): Promise<void> {
  const { handle, main, out } = run;
  const csv = run.init.inputFormat === 'csv';
  const recordsEnd = csv ? csvRecordsEnd : linesEnd;
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0);
  let eof = false;
  /** Part buffers the workers gave back, for the next reads: no allocation per part. */
  const spareInputs: ArrayBuffer[] = [];

  /** The next block of the file after what is carried over. */
  const readMore = async (size: number): Promise<Buffer> => {
    const need = carry.length + size;
    const reused = spareInputs.pop();
    const buf = Buffer.from(reused !== undefined && reused.byteLength >= need ? reused : new ArrayBuffer(need + 64 * 1024));
    carry.copy(buf);
    const { bytesRead } = await handle.read(buf, carry.length, size, offset + carry.length);
    if (bytesRead === 0) eof = true;
    return buf.subarray(0, carry.length + bytesRead);
  };

  /** The rest of the file, from `offset`, on this thread. */
  const readRestOnMain = async (): Promise<void> => {
    let position = offset;
    if (carry.length > 0 && !(await main.read(carry, position))) return;
    position += carry.length;
    const block = Buffer.allocUnsafe(READ_BLOCK);
    for (;;) {
      // Blocks end at multiples of the file stream's block size, as a one-thread read sees them.
      const { bytesRead } = await handle.read(block, 0, READ_BLOCK - (position % READ_BLOCK), position);
      if (bytesRead === 0) return;
      if (!(await main.read(block.subarray(0, bytesRead), position))) return;
      position += bytesRead;
    }
  };

  // The start, header included, on this thread.
  let first = await readMore(partBytes);
  let firstEnd = recordsEnd(first);
  while (firstEnd === 0 && !eof && first.length <= maxPartBytes) {
    carry = first;
    first = await readMore(partBytes);
    firstEnd = recordsEnd(first);
  }
  if (firstEnd === 0) {
    // No record ends in the first part: all on this thread.
    carry = first;
    return readRestOnMain();
  }
  if (!(await main.read(first.subarray(0, firstEnd), 0))) return;
  offset = firstEnd;
  carry = Buffer.from(first.subarray(firstEnd));
  const header = main.header();
  if (csv && header === undefined) return readRestOnMain();
  if (eof && carry.length === 0) return;

  /** Parts in input order, scored or being scored, and who scores each. */
  const inFlight: { scored: Promise<ScoredPart>; by: PartWorker }[] = [];
  // The main thread's own parts wait here behind a worker's until it is back: room for a few.
  const maxInFlight = (QUEUED_PER_WORKER + 2) * workers.length + 2;
  let line = main.nextLine();
  const writeOldest = async (): Promise<void> => {
    const oldest = inFlight.shift() as { scored: Promise<ScoredPart>; by: PartWorker };
    const scored = await oldest.scored;
    const events = scored.events;
    for (let i = 0; i < events.length; i += 2) {
      const at = events[i] as number;
      if (at === 0) run.sink.note(events[i + 1] as string);
      else run.sink.skip(line + at - 1, events[i + 1] as string);
    }
    run.stats.add(scored.byTier);
    line += scored.lines;
    if (spareInputs.length < 4) spareInputs.push(scored.input);
    const bytes = new Uint8Array(scored.output, 0, scored.length);
    if (run.reusableOutput) out.writeOwned(bytes, () => oldest.by.recycle(scored.output));
    else out.writeOwned(bytes);
    run.progress.tick(run.stats.scored + run.stats.skipped);
    await out.maybeFlush();
  };
  const send = (bytes: Buffer, last: boolean): void => {
    let by = local;
    for (const w of workers) if (w.queued < QUEUED_PER_WORKER && w.queued < (by === local ? Infinity : by.queued)) by = w;
    const part: ScorePart = { bytes: bytes.buffer as ArrayBuffer, length: bytes.length, header, last };
    const scored = by.score(part);
    // Awaited in order by writeOldest; a failure is thrown there, not reported as unhandled here.
    scored.catch(() => undefined);
    inFlight.push({ scored, by });
  };

  while (!out.closed) {
    const buf = await readMore(partBytes);
    if (eof && buf.length === 0) break;
    const end = eof ? buf.length : recordsEnd(buf);
    if (end === 0) {
      if (buf.length > maxPartBytes) {
        // One record longer than a part: the one-thread reader, from that record on.
        carry = buf;
        while (inFlight.length > 0 && !out.closed) await writeOldest();
        if (out.closed) return;
        main.restartAt(line, header);
        return readRestOnMain();
      }
      carry = buf;
      continue;
    }
    // The part's bytes go to the worker; what follows its last record starts the next part.
    carry = Buffer.from(buf.subarray(end));
    offset += end;
    if (buf.byteOffset !== 0) throw new Error('a part must own its whole buffer');
    send(buf.subarray(0, end), eof);
    if (inFlight.length >= maxInFlight) await writeOldest();
    if (eof) break;
  }
  while (inFlight.length > 0 && !out.closed) await writeOldest();
}
