/**
 * One part of a large input scored on its own, by a worker thread (`score-worker.ts`) or by the main
 * thread: a part holds whole records, as bytes, starting at a record boundary; its rows are read,
 * scored and formatted exactly as the one-thread path does, and the output bytes come back with the
 * rows skipped (line numbers relative to the part: the main thread knows where the part starts and
 * prints them in order).
 */
import { TextDecoder } from 'node:util';
import { compileModel } from '../domain/scorer.ts';
import type { IcpModel } from '../domain/types.ts';
import { createCsvRowReader } from './csv-rows.ts';
import { createJsonRowReader } from './json-rows.ts';
import { createFormatter } from './result-formatter.ts';
import type { RowSink } from './row-sink.ts';
import { createRowScoring, type RowOutput } from './score-rows.ts';
import { ScoreStats } from './score-stats.ts';

/** What every part is read with (the worker's `workerData`). */
export interface ScoreWorkerInit {
  model: IcpModel;
  inputFormat: 'csv' | 'jsonl';
  format: 'csv' | 'json';
  csvSafe: boolean;
  idColumn: string;
}

/** One part of the input. */
export interface ScorePart {
  bytes: ArrayBuffer;
  length: number;
  /** CSV: the header's fields, as the main thread read and accepted them. */
  header: readonly string[] | undefined;
  /** The last part: a record without a final line break is read too. */
  last: boolean;
}

export interface ScoredPart {
  /** The part's input buffer, given back for the next read. */
  input: ArrayBuffer;
  output: ArrayBuffer;
  length: number;
  /** Rows skipped and notes, in order, flattened: line (1-based within the part; 0 for a note), message. */
  events: (number | string)[];
  byTier: [string, number][];
  /** Line breaks the part holds: where the next part starts. */
  lines: number;
}

/** Text decoded at a time: what is alive at a young-generation collection stays small (see score-file.ts). */
const DECODE_CHUNK = 16 * 1024;

/** Output buffers written and given back; reused rather than allocated anew. */
const spare: ArrayBuffer[] = [];
const MAX_SPARE = 2;
const SIZE_STEP = 256 * 1024;

/** The output of one part, in one buffer handed over to the main thread without a copy. */
class PartOutput implements RowOutput {
  #buf: Buffer;
  #pos = 0;

  constructor(capacity: number) {
    const reused = spare.pop();
    this.#buf = reused !== undefined && reused.byteLength >= capacity ? Buffer.from(reused) : Buffer.allocUnsafeSlow(capacity);
  }

  write(text: string): void {
    this.#ensure(3 * text.length);
    this.#pos += this.#buf.write(text, this.#pos);
  }

  writeBytes(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  take(): { output: ArrayBuffer; length: number } {
    return { output: this.#buf.buffer as ArrayBuffer, length: this.#pos };
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.#buf.length, this.#pos + n));
    this.#buf.copy(bigger, 0, 0, this.#pos);
    this.#buf = bigger;
  }
}

/** An output buffer the main thread has written, for a next part. */
export function reuseOutput(buffer: ArrayBuffer): void {
  if (spare.length < MAX_SPARE) spare.push(buffer);
}

/** The scorer of parts: compiles the model once, then formats part after part. */
export function createPartScorer(init: ScoreWorkerInit): (part: ScorePart) => ScoredPart {
  const formatter = createFormatter(init.format, init.model, { csvSafe: init.csvSafe });
  const scoring = createRowScoring(compileModel(init.model), formatter);
  const options = { idColumn: init.idColumn, attributes: scoring.attributes };
  let growth = 2;
  return (part) => {
    // Sizes rounded up to 256 KiB steps with a quarter to spare: a given-back buffer fits the next part.
    const out = new PartOutput(Math.ceil((1.25 * growth * part.length) / SIZE_STEP) * SIZE_STEP);
    const stats = new ScoreStats();
    const events: (number | string)[] = [];
    const sink: RowSink = {
      row(id, attrs, line) {
        const problem = scoring.row(id, attrs, out, stats);
        if (problem !== undefined) events.push(line, problem);
      },
      skip: (line, message) => events.push(line, message),
      note: (message) => events.push(0, message),
    };
    const reader =
      init.inputFormat === 'csv'
        ? createCsvRowReader(options, sink, { atInputStart: false }, part.header)
        : createJsonRowReader('jsonl', options, sink, { atInputStart: false });
    const bytes = new Uint8Array(part.bytes, 0, part.length);
    // Valid UTF-8 (the main thread checked the whole file); a U+FEFF here is a character, not a mark.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (let at = 0; at < bytes.length; at += DECODE_CHUNK) reader.feed(decoder.decode(bytes.subarray(at, at + DECODE_CHUNK), { stream: true }));
    reader.feed(decoder.decode());
    if (part.last) reader.end();
    const taken = out.take();
    // Output bytes per input byte (about 2 for csv, more for json): the next buffer fits at once.
    if (part.length > 0) growth = Math.max(growth, (1.05 * taken.length) / part.length);
    return { input: part.bytes, ...taken, events, byTier: [...stats.byTier], lines: reader.nextLine() - 1 };
  };
}
