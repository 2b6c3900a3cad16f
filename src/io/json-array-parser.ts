/**
 * A streaming reader for one top-level JSON array: `[ {…}, {…}, … ]`. It finds where each element
 * starts and ends (tracking strings, escapes and nesting) and hands each element's text to
 * `JSON.parse` on its own, so a 1 GB array never sits in memory — only the element being read.
 *
 * An element that is not valid JSON is reported and dropped; a broken array structure (no `[`,
 * a missing `,`, an unclosed array) stops the read with an `InputError`.
 */
import { InputError } from './input-error.ts';

export interface JsonValueSink {
  /** One parsed element, the 1-based line on which it starts and (arrays) its 1-based element number. */
  value(value: unknown, line: number, element?: number): void;
  /** An element that is not valid JSON; it was dropped. */
  malformed(line: number, message: string, element?: number): void;
}

export interface JsonArrayParserOptions {
  /** Largest element accepted, in UTF-16 code units (default 8 Mi). */
  maxElementLength?: number;
}

type State = 'start' | 'first' | 'after' | 'next' | 'element' | 'done';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const LF = 10;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(c: number): boolean {
  return c === 32 || c === LF || c === 13 || c === 9;
}

export class JsonArrayParser {
  readonly #sink: JsonValueSink;
  readonly #maxElementLength: number;
  #state: State = 'start';
  #line = 1;
  #pending = '';
  /** Where scanning resumes in `#pending` (an element's text is kept from its first character). */
  #scan = 0;
  #elementLine = 0;
  #depth = 0;
  #inString = false;
  /** The element is a bare number or literal (`true`, `null`…), which ends at `,`, `]` or space. */
  #bare = false;
  #started = false;
  /** Inside an element over the limit: it is scanned to its end but its text is not kept. */
  #discarding = false;
  /** Elements seen so far: a one-line array's problems are told apart by element number. */
  #elements = 0;

  constructor(sink: JsonValueSink, options: JsonArrayParserOptions = {}) {
    this.#sink = sink;
    this.#maxElementLength = options.maxElementLength ?? 8 * 1024 * 1024;
  }

  feed(chunk: string): void {
    let text = this.#pending.length === 0 ? chunk : this.#pending + chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let keepFrom = this.#run(text);
    if (this.#state === 'element' && (this.#discarding || text.length - keepFrom > this.#maxElementLength)) {
      // An element too long to be a real record: it is scanned to its end and skipped, keeping
      // only a short tail (a backslash at the cut must still escape the next quote).
      this.#discarding = true;
      keepFrom = Math.max(keepFrom, text.length - 16);
    }
    this.#pending = keepFrom >= text.length ? '' : text.slice(keepFrom);
    this.#scan -= keepFrom;
  }

  end(): void {
    if (this.#state === 'element' && this.#bare && !this.#inString) {
      this.#run(`${this.#pending} `);
      this.#pending = '';
    }
    if (this.#state === 'start') throw new InputError('the input is empty: expected a JSON array', this.#line);
    if (this.#state !== 'done') {
      throw new InputError('unexpected end of input: the JSON array is not closed with "]"', this.#line);
    }
  }

  /** Scans `text` from `#scan`; returns the index from which text must be kept for the next chunk. */
  #run(text: string): number {
    const n = text.length;
    let i = this.#scan;
    let elementStart = this.#state === 'element' ? 0 : -1;
    while (i < n) {
      if (this.#state === 'element') {
        if (this.#inString) {
          const close = closingQuote(text, i);
          if (close === -1) {
            i = n;
            break;
          }
          i = close + 1;
          this.#inString = false;
          if (this.#depth === 0) this.#emit(text, elementStart, i);
          continue;
        }
        const c = text.charCodeAt(i);
        if (this.#bare) {
          if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) {
            this.#emit(text, elementStart, i);
            continue;
          }
          i += 1;
          continue;
        }
        i += 1;
        if (c === QUOTE) this.#inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#depth += 1;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          this.#depth -= 1;
          if (this.#depth === 0) this.#emit(text, elementStart, i);
        } else if (c === LF) this.#line += 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        if (c === LF) this.#line += 1;
        i += 1;
        continue;
      }
      switch (this.#state) {
        case 'start':
          if (c !== OPEN_BRACKET) {
            throw new InputError('expected a JSON array ("[") — one object per line is JSONL: use a .jsonl file or --input-format jsonl', this.#line);
          }
          this.#state = 'first';
          i += 1;
          break;
        case 'after':
          if (c === COMMA) this.#state = 'next';
          else if (c === CLOSE_BRACKET) this.#state = 'done';
          else throw new InputError('expected "," or "]" after an array element', this.#line);
          i += 1;
          break;
        case 'first':
        case 'next':
          if (c === CLOSE_BRACKET) {
            this.#state = 'done';
            i += 1;
            break;
          }
          if (c === COMMA) throw new InputError('unexpected "," in the JSON array', this.#line);
          this.#state = 'element';
          elementStart = i;
          this.#elementLine = this.#line;
          this.#depth = c === OPEN_BRACE || c === OPEN_BRACKET ? 1 : 0;
          this.#inString = c === QUOTE;
          this.#bare = this.#depth === 0 && !this.#inString;
          i += 1;
          break;
        case 'done':
          throw new InputError('unexpected text after the closing "]" of the JSON array', this.#line);
      }
    }
    this.#scan = i;
    return this.#state === 'element' ? elementStart : n;
  }

  #emit(text: string, start: number, end: number): void {
    this.#state = 'after';
    this.#bare = false;
    this.#elements += 1;
    if (this.#discarding || end - start > this.#maxElementLength) {
      this.#discarding = false;
      this.#sink.malformed(this.#elementLine, `array element ${this.#elements} is longer than ${this.#maxElementLength} characters`, this.#elements);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch {
      this.#sink.malformed(this.#elementLine, `array element ${this.#elements} is not valid JSON`, this.#elements);
      return;
    }
    this.#sink.value(value, this.#elementLine, this.#elements);
  }
}

/** Index of the `"` closing a JSON string that is open at `from`, or -1 when the text ends first. */
function closingQuote(text: string, from: number): number {
  for (let k = text.indexOf('"', from); k !== -1; k = text.indexOf('"', k + 1)) {
    let slashes = 0;
    // Scan back past `from`: a chunk may have ended between a backslash and the quote it escapes.
    for (let b = k - 1; b >= 0 && text.charCodeAt(b) === BACKSLASH; b -= 1) slashes += 1;
    if (slashes % 2 === 0) return k;
  }
  return -1;
}
