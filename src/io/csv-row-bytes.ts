/**
 * The `--format csv` row encoded straight to UTF-8 bytes: the same bytes as
 * `Buffer.from(csvFormatter.row(…))` (a differential property test holds it to that), without
 * building the reasons text, testing it for quotes and converting it to bytes afterwards. The
 * model's fixed parts (labels, exclusion reasons, tags, tiers) are encoded once; values that are
 * plain ASCII are copied byte by byte, anything else takes the string path for that piece.
 * A row holding a `"` anywhere in its reasons is rare: it is built as text, the general way.
 */
import { reasonsText } from '../domain/reasons-text.ts';
import type { Reason, ScoreResult } from '../domain/types.ts';
import { csvField } from './csv-field.ts';
/** The (account, role) couple of a row, as `result-formatter.ts` declares it. */
interface RowPerson {
  readonly role: string;
  readonly priority: number | null;
  readonly priorityTier: string | null;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEEDS_QUOTES = /[",\r\n]/;
/** ` · ` in UTF-8. */
const SEPARATOR = [0x20, 0xc2, 0xb7, 0x20] as const;
const MAX_VALUE_LENGTH = 40;
const ELLIPSIS = '…';
/** Up to this many bytes are copied by a loop rather than `set`. */
const SMALL_COPY = 64;
/** Fixed texts encoded at most this many: models have few labels, tags and tiers. */
const PIECE_CACHE_LIMIT = 4096;

/** Bytes of a fixed text and whether a CSV field holding it must be quoted (or has a `"`). */
interface Piece {
  readonly bytes: Uint8Array;
  /** 0: plain; 1: holds `,`, CR or LF; 2: holds `"`. */
  readonly special: number;
}

function specialOf(text: string): number {
  if (text.includes('"')) return 2;
  return NEEDS_QUOTES.test(text) ? 1 : 0;
}

/** `reasonsText`'s value text: strings folded, lists joined with `, `, booleans as oui/non, clipped. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v.trim().replace(/\s+/g, ' ');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v) {
      const text = valueText(item);
      if (text !== '') out = out === '' ? text : `${out}, ${text}`;
    }
    return out;
  }
  if (v === null || v === undefined) return '';
  return JSON.stringify(v) ?? '';
}

function clip(s: string): string {
  return s.length <= MAX_VALUE_LENGTH ? s : `${s.slice(0, MAX_VALUE_LENGTH - 1).trimEnd()}${ELLIPSIS}`;
}

export class CsvRowBytes {
  #buf: Buffer = Buffer.allocUnsafe(16 * 1024);
  #pos = 0;
  /** Bit 1: the current field holds `,`, CR or LF; bit 2: it holds `"`. */
  #special = 0;
  readonly #pieces = new Map<string, Piece>();
  /**
   * A criterion's three heads (`? label: inconnu`, ` label: `, `0 label: `) and an exclusion's
   * text, by the label or reason string itself: a lookup by a string the model holds needs no
   * new string per row (building and hashing `? ${label}…` each time cost ~9 % of a row).
   */
  readonly #heads = new Map<string, Piece[]>();
  readonly #people: boolean;

  /** `people`: the model has roles, each row ends with `role,priority,priority_tier`. */
  constructor(people: boolean) {
    this.#people = people;
  }

  /**
   * The row's bytes, valid until the next call. Same bytes as the text formatter's row for this
   * result (and person, with roles).
   */
  row(id: string, r: ScoreResult, p?: RowPerson): Uint8Array {
    this.#pos = 0;
    this.#field(id);
    this.#byte(COMMA);
    this.#plain(String(r.score));
    this.#byte(COMMA);
    this.#field(r.tier);
    this.#byte(COMMA);
    this.#plain(r.excluded ? 'true' : 'false');
    this.#byte(COMMA);
    this.#plain(String(r.completeness));
    this.#byte(COMMA);
    this.#tags(r.tags);
    this.#byte(COMMA);
    if (!this.#reasons(r)) {
      // A `"` somewhere: the general way for this field.
      this.#text(csvField(reasonsText(r)));
    }
    if (this.#people) {
      this.#byte(COMMA);
      this.#field(p?.role ?? '');
      this.#byte(COMMA);
      this.#plain(p?.priority == null ? '' : String(p.priority));
      this.#byte(COMMA);
      this.#field(p?.priorityTier ?? '');
    }
    this.#byte(0x0a);
    return this.#buf.subarray(0, this.#pos);
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(bigger, 0, 0, this.#pos);
    this.#buf = bigger;
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
  }

  /** Text known to need no quoting (numbers, booleans). */
  #plain(s: string): void {
    this.#ensure(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#pos++] = s.charCodeAt(i);
  }

  /** Any text, as UTF-8, noting in `#special` what it holds. */
  #text(s: string): void {
    const n = s.length;
    this.#ensure(3 * n);
    const buf = this.#buf;
    const start = this.#pos;
    let pos = start;
    let special = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.#pos = start + buf.write(s, start, 'utf8');
        this.#special |= specialOf(s);
        return;
      }
      if (c === QUOTE) special |= 2;
      else if (c === COMMA || c === 0x0a || c === 0x0d) special |= 1;
      buf[pos++] = c;
    }
    this.#pos = pos;
    this.#special |= special;
  }

  #piece(text: string): Piece {
    let piece = this.#pieces.get(text);
    if (piece === undefined) {
      piece = { bytes: Buffer.from(text, 'utf8'), special: specialOf(text) };
      if (this.#pieces.size >= PIECE_CACHE_LIMIT) this.#pieces.clear();
      this.#pieces.set(text, piece);
    }
    return piece;
  }

  /** `before + text + after` as a piece, remembered under `text` in slot `kind`. */
  #head(text: string, kind: number, before: string, after: string): Piece {
    let heads = this.#heads.get(text);
    if (heads === undefined) {
      if (this.#heads.size >= PIECE_CACHE_LIMIT) this.#heads.clear();
      heads = [];
      this.#heads.set(text, heads);
    }
    return (heads[kind] ??= this.#piece(`${before}${text}${after}`));
  }

  #put(piece: Piece): void {
    const { bytes } = piece;
    const n = bytes.length;
    this.#ensure(n);
    if (n > SMALL_COPY) {
      this.#buf.set(bytes, this.#pos);
      this.#pos += n;
    } else {
      // A loop beats the builtin call of \`set\` on a few bytes.
      const buf = this.#buf;
      let pos = this.#pos;
      for (let i = 0; i < n; i++) buf[pos++] = bytes[i] as number;
      this.#pos = pos;
    }
    this.#special |= piece.special;
  }

  /** One CSV field: quoted (with `""` for a quote) only when it holds `,`, `"`, CR or LF. */
  #field(s: string): void {
    const start = this.#pos;
    this.#special = 0;
    this.#text(s);
    if (this.#special === 0) return;
    this.#pos = start;
    this.#text(csvField(s));
  }

  /** Wraps what was written since `start` in quotes (it holds no `"`). */
  #quoteFrom(start: number): void {
    this.#ensure(2);
    this.#buf.copyWithin(start + 1, start, this.#pos);
    this.#buf[start] = QUOTE;
    this.#pos += 1;
    this.#buf[this.#pos++] = QUOTE;
  }

  #tags(tags: readonly string[]): void {
    const start = this.#pos;
    this.#special = 0;
    for (let i = 0; i < tags.length; i++) {
      if (i > 0) this.#byte(0x3b);
      this.#put(this.#piece(tags[i] as string));
    }
    if (this.#special === 0) return;
    this.#pos = start;
    this.#text(csvField(tags.join(';')));
  }

  /** The reasons text as a CSV field; false (nothing written) when it holds a `"`. */
  #reasons(r: ScoreResult): boolean {
    const start = this.#pos;
    this.#special = 0;
    let first = true;
    for (const e of r.exclusions) {
      if (!first) this.#separator();
      first = false;
      this.#put(this.#head(e.reason, 0, '✖ ', ''));
    }
    for (let k = 0; k < r.reasons.length; k++) {
      if (!first) this.#separator();
      first = false;
      this.#reason(r.reasons[k] as Reason);
    }
    if (this.#special === 0) return true;
    if ((this.#special & 2) !== 0) {
      this.#pos = start;
      return false;
    }
    this.#quoteFrom(start);
    return true;
  }

  #separator(): void {
    this.#ensure(4);
    const buf = this.#buf;
    buf[this.#pos] = SEPARATOR[0];
    buf[this.#pos + 1] = SEPARATOR[1];
    buf[this.#pos + 2] = SEPARATOR[2];
    buf[this.#pos + 3] = SEPARATOR[3];
    this.#pos += 4;
  }

  #reason(r: Reason): void {
    if (r.status === 'missing') {
      this.#put(this.#head(r.label, 1, '? ', ': inconnu'));
      return;
    }
    if (r.points > 0) {
      this.#byte(0x2b);
      this.#plain(String(Math.round(r.contribution)));
      this.#put(this.#head(r.label, 2, ' ', ': '));
    } else {
      this.#put(this.#head(r.label, 3, '0 ', ': '));
    }
    const v = r.value;
    if (typeof v !== 'string' || !this.#plainValue(v)) this.#text(clip(valueText(v)));
  }

  /**
   * A string value that is printable ASCII, already folded (no leading, trailing or double space)
   * and short enough not to be clipped, written as is; false (nothing written) otherwise.
   */
  #plainValue(s: string): boolean {
    const n = s.length;
    if (n > MAX_VALUE_LENGTH) return false;
    this.#ensure(n);
    const buf = this.#buf;
    let pos = this.#pos;
    let special = 0;
    let previousSpace = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f) return false;
      if (c === 0x20) {
        if (previousSpace) return false;
        previousSpace = true;
      } else {
        previousSpace = false;
        if (c === QUOTE) special |= 2;
        else if (c === COMMA) special |= 1;
      }
      buf[pos++] = c;
    }
    if (previousSpace && n > 0) return false;
    this.#pos = pos;
    this.#special |= special;
    return true;
  }
}
