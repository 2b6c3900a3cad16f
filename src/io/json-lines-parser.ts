/**
 * A streaming JSON Lines (NDJSON) reader: one JSON value per line, blank lines ignored. A line that
 * is not valid JSON is reported with its line number and dropped; the next line is read as usual.
 */
import type { JsonValueSink } from './json-array-parser.ts';

export interface JsonLinesParserOptions {
  /** Longest line accepted, in UTF-16 code units (default 8 Mi). */
  maxLineLength?: number;
  /** Line number of the first character fed (default 1): a part of a file read on its own. */
  firstLine?: number;
  /** False when the text fed starts in the middle of the input: a leading U+FEFF is then kept. */
  atInputStart?: boolean;
}

export class JsonLinesParser {
  readonly #sink: JsonValueSink;
  readonly #maxLineLength: number;
  #pending = '';
  #line = 1;
  #started = false;
  /** Inside a line over the limit: its text is dropped up to the next line break. */
  #skipping = false;

  constructor(sink: JsonValueSink, options: JsonLinesParserOptions = {}) {
    this.#sink = sink;
    this.#maxLineLength = options.maxLineLength ?? 8 * 1024 * 1024;
    this.#line = options.firstLine ?? 1;
    this.#started = options.atInputStart === false;
  }

  /** Line number of the next line to parse. */
  get line(): number {
    return this.#line;
  }

  feed(chunk: string): void {
    let text = this.#pending.length === 0 ? chunk : this.#pending + chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let pos = 0;
    if (this.#skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) return;
      this.#skipping = false;
      this.#line += 1;
      pos = nl + 1;
    }
    for (let nl = text.indexOf('\n', pos); nl !== -1; nl = text.indexOf('\n', pos)) {
      this.#parseLine(text.slice(pos, nl));
      pos = nl + 1;
    }
    this.#pending = text.slice(pos);
    if (this.#pending.length > this.#maxLineLength) {
      // One line too long to be a real record is skipped and reported; the rest is read on.
      this.#sink.malformed(this.#line, `line longer than ${this.#maxLineLength} characters`);
      this.#pending = '';
      this.#skipping = true;
    }
  }

  end(): void {
    if (this.#pending.length > 0 && !this.#skipping) this.#parseLine(this.#pending);
    this.#pending = '';
  }

  #parseLine(line: string): void {
    const lineNo = this.#line;
    this.#line += 1;
    if (line.trim() === '') return;
    if (line.length > this.#maxLineLength) {
      this.#sink.malformed(lineNo, `line longer than ${this.#maxLineLength} characters`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.#sink.malformed(lineNo, 'not valid JSON');
      return;
    }
    this.#sink.value(value, lineNo);
  }
}
