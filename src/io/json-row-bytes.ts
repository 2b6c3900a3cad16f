/**
 * The `--format json` line encoded straight to UTF-8 bytes: the same bytes as
 * `Buffer.from(new ResultJson().line(…))` (a differential property test holds it to that), without
 * building the line as text first. Keys and each criterion's `{"criterion":…,"label":…,"value":`
 * are encoded once; strings that are printable ASCII with nothing to escape are copied byte by
 * byte; anything else (an escape, a non-ASCII character, an unusual value) takes the text path for
 * that piece, through `JSON.stringify` as `ResultJson` does.
 */
import type { Reason, ScoreResult } from '../domain/types.ts';

/** The (account, role) couple of a row, as `result-formatter.ts` declares it. */
interface RowPerson {
  readonly role: string;
  readonly priority: number | null;
  readonly priorityTier: string | null;
}

const STATUS: Readonly<Record<string, string>> = {
  match: '"match"}',
  partial: '"partial"}',
  miss: '"miss"}',
  missing: '"missing"}',
};

/** Fixed parts of every line, encoded once. */
const K_ID = Buffer.from('{"id":', 'utf8');
const K_SCORE = Buffer.from(',"score":', 'utf8');
const K_TIER = Buffer.from(',"tier":', 'utf8');
const K_COMPLETENESS = Buffer.from(',"completeness":', 'utf8');
const K_TAGS = Buffer.from(',"tags":', 'utf8');
const K_REASONS = Buffer.from(',"reasons":[', 'utf8');
const K_POINTS = Buffer.from(',"points":', 'utf8');
const K_CONTRIBUTION = Buffer.from(',"contribution":', 'utf8');
const K_STATUS = Buffer.from(',"status":', 'utf8');

/** Numbers take few distinct values per model; printing a double is not cheap. */
const NUMBER_CACHE_LIMIT = 4096;
/** Up to this many bytes are copied by a loop rather than `set`. */
const SMALL_COPY = 64;
/** Fixed texts encoded at most this many: models have few criteria. */
const PIECE_CACHE_LIMIT = 4096;

export class JsonRowBytes {
  #buf: Buffer = Buffer.allocUnsafe(16 * 1024);
  #pos = 0;
  readonly #pieces = new Map<string, Uint8Array>();
  readonly #numbers = new Map<number, string>();
  /** criterion id → its encoded head, for the label last seen with it. */
  readonly #heads = new Map<string, { label: string; bytes: Uint8Array }>();

  /** The line's bytes, valid until the next call. */
  line(id: string, r: ScoreResult, p?: RowPerson): Uint8Array {
    this.#pos = 0;
    this.#put(K_ID);
    this.#string(id);
    this.#put(K_SCORE);
    this.#plain(this.#num(r.score));
    this.#put(K_TIER);
    this.#stringOrNull(r.tier);
    this.#piece(r.excluded === true ? ',"excluded":true' : r.excluded === false ? ',"excluded":false' : `,"excluded":${String(r.excluded)}`);
    this.#put(K_COMPLETENESS);
    this.#plain(this.#num(r.completeness));
    this.#put(K_TAGS);
    this.#tags(r.tags);
    this.#put(K_REASONS);
    for (let i = 0; i < r.reasons.length; i++) {
      if (i > 0) this.#byte(0x2c);
      this.#reason(r.reasons[i] as Reason);
    }
    this.#byte(0x5d);
    if (p !== undefined) {
      this.#piece(',"role":');
      this.#text(String(JSON.stringify(p.role)));
      this.#piece(',"priority":');
      this.#plain(p.priority === null ? 'null' : this.#num(p.priority));
      this.#piece(',"priorityTier":');
      this.#text(String(JSON.stringify(p.priorityTier)));
    }
    this.#byte(0x7d);
    this.#byte(0x0a);
    return this.#buf.subarray(0, this.#pos);
  }

  #num(n: number): string {
    let s = this.#numbers.get(n);
    if (s === undefined) {
      s = Number.isFinite(n) ? String(n) : 'null';
      if (this.#numbers.size < NUMBER_CACHE_LIMIT) this.#numbers.set(n, s);
    }
    return s;
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

  /** ASCII text written as is (numbers, `null`). */
  #plain(s: string): void {
    this.#ensure(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#pos++] = s.charCodeAt(i);
  }

  /** Any text, as UTF-8. */
  #text(s: string): void {
    this.#ensure(3 * s.length);
    this.#pos += this.#buf.write(s, this.#pos, 'utf8');
  }

  #piece(text: string): void {
    let bytes = this.#pieces.get(text);
    if (bytes === undefined) {
      bytes = Buffer.from(text, 'utf8');
      if (this.#pieces.size >= PIECE_CACHE_LIMIT) this.#pieces.clear();
      this.#pieces.set(text, bytes);
    }
    this.#put(bytes);
  }

  #put(bytes: Uint8Array): void {
    const n = bytes.length;
    this.#ensure(n);
    if (n > SMALL_COPY) {
      this.#buf.set(bytes, this.#pos);
      this.#pos += n;
      return;
    }
    // A loop beats the builtin call of \`set\` on a few bytes.
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < n; i++) buf[pos++] = bytes[i] as number;
    this.#pos = pos;
  }

  /** `JSON.stringify(s)` for a string. */
  #string(s: string): void {
    const n = s.length;
    this.#ensure(n + 2);
    const buf = this.#buf;
    let pos = this.#pos;
    buf[pos++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
        this.#text(JSON.stringify(s));
        return;
      }
      buf[pos++] = c;
    }
    buf[pos++] = 0x22;
    this.#pos = pos;
  }

  #stringOrNull(s: unknown): void {
    if (typeof s === 'string') this.#string(s);
    else this.#text(String(JSON.stringify(s)));
  }

  #tags(tags: readonly string[]): void {
    for (let i = 0; i < tags.length; i++) {
      if (typeof tags[i] !== 'string') {
        this.#text(JSON.stringify(tags));
        return;
      }
    }
    this.#byte(0x5b);
    for (let i = 0; i < tags.length; i++) {
      if (i > 0) this.#byte(0x2c);
      this.#string(tags[i] as string);
    }
    this.#byte(0x5d);
  }

  #reason(r: Reason): void {
    const status = STATUS[r.status];
    const v = r.value;
    // Anything unusual (a value JSON cannot show, an unknown status) goes the general way.
    if (status === undefined || typeof r.criterion !== 'string' || typeof r.label !== 'string' || (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && JSON.stringify(v) === undefined)) {
      this.#text(JSON.stringify(r));
      return;
    }
    let head = this.#heads.get(r.criterion);
    if (head === undefined || head.label !== r.label) {
      head = { label: r.label, bytes: Buffer.from(`{"criterion":${JSON.stringify(r.criterion)},"label":${JSON.stringify(r.label)},"value":`, 'utf8') };
      this.#heads.set(r.criterion, head);
    }
    this.#put(head.bytes);
    if (v === null) this.#plain('null');
    else if (typeof v === 'string') this.#string(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) this.#tags(v as string[]);
    else this.#text(JSON.stringify(v) as string);
    this.#put(K_POINTS);
    this.#plain(this.#num(r.points));
    this.#put(K_CONTRIBUTION);
    this.#plain(this.#num(r.contribution));
    this.#put(K_STATUS);
    this.#piece(status);
  }
}
