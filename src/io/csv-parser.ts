/**
 * A streaming RFC 4180 CSV parser: comma-separated, `"`-quoted fields with `""` as an escaped quote,
 * LF or CRLF line ends, line breaks allowed inside quoted fields. Text is fed in chunks of any size;
 * complete records go to a sink as soon as they are known, so memory stays bounded by the longest
 * record rather than the file.
 *
 * Lenient where the intent is plain: a `"` inside an unquoted field is kept as a literal character.
 * Malformed records (text after a closing quote, an unterminated quote at the end of input) are
 * reported with their line number and dropped.
 */
import { InputError } from './input-error.ts';

export interface CsvRecordSink {
  /** A complete record and the 1-based line on which it starts. Blank lines are not records. */
  record(fields: string[], line: number): void;
  /** A record that could not be parsed; it was dropped. */
  malformed(line: number, message: string): void;
}

export interface CsvParserOptions {
  /**
   * Largest record accepted, in UTF-16 code units (default 8 Mi). A longer one almost always means
   * an unbalanced quote swallowing the rest of the file, so parsing stops with an `InputError`.
   */
  maxRecordLength?: number;
  /** Line number of the first character fed (default 1): a part of a file read on its own. */
  firstLine?: number;
  /**
   * False when the text fed starts in the middle of the input (at a record boundary): a leading
   * U+FEFF is then a character of the record, not a byte order mark to drop. Default true.
   */
  atInputStart?: boolean;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Outcome of parsing one quoted-path record: the index after it, or -1 when more input is needed. */
const NEED_MORE = -1;

export class CsvParser {
  readonly #sink: CsvRecordSink;
  readonly #maxRecordLength: number;
  #pending = '';
  /** Line number of the first character of `#pending`. */
  #line = 1;
  #started = false;
  /** Inside an unquoted line over the limit: its text is dropped up to the next line break. */
  #skipping = false;
  /** Columns whose text is wanted; `undefined` means all. */
  #wanted: readonly boolean[] | undefined;

  constructor(sink: CsvRecordSink, options: CsvParserOptions = {}) {
    this.#sink = sink;
    this.#maxRecordLength = options.maxRecordLength ?? 8 * 1024 * 1024;
    this.#line = options.firstLine ?? 1;
    this.#started = options.atInputStart === false;
  }

  /** Line number of the next record's first character (of the unparsed text). */
  get line(): number {
    return this.#line;
  }

  /**
   * From now on, unquoted records carry text only in the wanted columns (others are `''`); the
   * number of fields is still exact. Cutting out only what is read halves the parsing cost.
   */
  keepOnly(wanted: readonly boolean[]): void {
    this.#wanted = wanted;
  }

  /** Parses as much of `chunk` (appended to any unfinished record) as is complete. */
  feed(chunk: string): void {
    let text = this.#pending.length === 0 ? chunk : this.#pending + chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      // Spreadsheet exports often start with a UTF-8 byte order mark.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) return;
      this.#skipping = false;
      this.#line += 1;
      text = text.slice(nl + 1);
    }
    const used = this.#parse(text, false);
    this.#pending = used >= text.length ? '' : text.slice(used);
    if (this.#pending.length > this.#maxRecordLength && !this.#pending.includes('"')) {
      // One line with no quote, too long to be a real record: skipped and reported, the rest read on.
      this.#sink.malformed(this.#line, `record longer than ${this.#maxRecordLength} characters`);
      this.#pending = '';
      this.#skipping = true;
    }
    if (this.#pending.length > this.#maxRecordLength) {
      throw new InputError(
        `a record is longer than ${this.#maxRecordLength} characters (an unbalanced quote?)`,
        this.#line,
      );
    }
  }

  /** Parses whatever is left once the input has ended (a last line without a line break). */
  end(): void {
    if (this.#pending.length > 0 && !this.#skipping) this.#parse(this.#pending, true);
    this.#pending = '';
  }

  #parse(text: string, final: boolean): number {
    const n = text.length;
    let pos = 0;
    let quote = text.indexOf('"');
    while (pos < n) {
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      let nl = text.indexOf('\n', pos);
      if (quote === -1 || (nl !== -1 && quote > nl)) {
        // Fast path: a record with no quote is one line split on commas.
        if (nl === -1) {
          if (!final) break;
          nl = n;
        }
        const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        if (end - pos > this.#maxRecordLength) {
          this.#sink.malformed(this.#line, `record longer than ${this.#maxRecordLength} characters`);
          this.#line += 1;
          pos = nl + 1;
          continue;
        }
        const fields = this.#wanted === undefined ? text.slice(pos, end).split(',') : splitWanted(text, pos, end, this.#wanted);
        if (fields.length > 1 || (fields[0] ?? '').trim() !== '') this.#sink.record(fields, this.#line);
        this.#line += 1;
        pos = nl + 1;
      } else {
        const next = this.#parseQuoted(text, pos, final);
        if (next === NEED_MORE) break;
        pos = next;
      }
    }
    return pos;
  }

  /** Parses one record that contains a quote, char by char. */
  #parseQuoted(text: string, start: number, final: boolean): number {
    const n = text.length;
    const fields: string[] = [];
    let extraLines = 0;
    let problem: string | undefined;
    let i = start;
    // The next line feed at or after `i`, kept so that no field rescans the line for it.
    let nl = text.indexOf('\n', start);
    const fieldEnd = (from: number): number => {
      if (nl !== -1 && nl < from) nl = text.indexOf('\n', from);
      const comma = text.indexOf(',', from);
      return comma === -1 || (nl !== -1 && nl < comma) ? nl : comma;
    };
    for (;;) {
      let value: string;
      if (i < n && text.charCodeAt(i) === QUOTE) {
        value = '';
        let j = i + 1;
        for (;;) {
          const k = text.indexOf('"', j);
          if (k === -1) {
            if (!final) return NEED_MORE;
            for (; nl !== -1; nl = text.indexOf('\n', nl + 1)) extraLines += 1;
            this.#sink.malformed(this.#line, `unterminated quoted field ${fields.length + 1} at the end of the input`);
            this.#line += extraLines + 1;
            return n;
          }
          if (k + 1 >= n && !final) return NEED_MORE;
          for (; nl !== -1 && nl < k; nl = text.indexOf('\n', nl + 1)) extraLines += 1;
          value += text.slice(j, k);
          if (text.charCodeAt(k + 1) === QUOTE) {
            value += '"';
            j = k + 2;
            continue;
          }
          i = k + 1;
          break;
        }
        const after = i < n ? text.charCodeAt(i) : -1;
        const atEnd =
          after === -1 ||
          after === COMMA ||
          after === LF ||
          (after === CR && (text.charCodeAt(i + 1) === LF || (final && i + 1 >= n)));
        if (!atEnd) {
          if (after === CR && i + 1 >= n && !final) return NEED_MORE;
          problem ??= `unexpected character after the closing quote of field ${fields.length + 1}`;
          const stop = fieldEnd(i);
          if (stop === -1 && !final) return NEED_MORE;
          value += text.slice(i, stop === -1 ? n : stop);
          i = stop === -1 ? n : stop;
        }
      } else {
        const stop = fieldEnd(i);
        if (stop === -1 && !final) return NEED_MORE;
        const end = stop === -1 ? n : stop;
        value = text.slice(i, end > i && text.charCodeAt(end - 1) === CR && text.charCodeAt(end) === LF ? end - 1 : end);
        i = end;
      }
      fields.push(value);
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === COMMA) {
        i += 1;
        continue;
      }
      // End of record: LF, CRLF or end of input.
      if (c === CR) i += 1;
      if (i < n) i += 1;
      if (problem === undefined) this.#sink.record(fields, this.#line);
      else this.#sink.malformed(this.#line, problem);
      this.#line += extraLines + 1;
      return i;
    }
  }
}

/** The comma-separated fields of `text[start, end)`, with text only in the wanted columns. */
function splitWanted(text: string, start: number, end: number, wanted: readonly boolean[]): string[] {
  const fields: string[] = [];
  let from = start;
  for (;;) {
    let comma = text.indexOf(',', from);
    if (comma === -1 || comma > end) comma = end;
    fields.push(wanted[fields.length] === false ? '' : text.slice(from, comma));
    if (comma >= end) return fields;
    from = comma + 1;
  }
}
