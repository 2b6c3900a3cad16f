/**
 * Encodes output text straight into large byte buffers and writes them as whole chunks, waiting for
 * `drain` whenever the stream says its buffer is full, so a fast reader never piles a million rows
 * up in memory behind a slow pipe. Each piece of text is UTF-8-encoded as it comes (no concatenated
 * string to flatten and convert at write time: that conversion was a third of `score`'s CPU).
 * A reader that went away (`icp-sync score … | head`) is not an error: `closed` turns true.
 */
import { once } from 'node:events';

/** Writing the results failed (disk full, permission…). */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Bytes gathered before a write: one write per few hundred rows keeps the per-row cost low. */
const DEFAULT_CHUNK = 64 * 1024;
/** UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

export class BufferedOutput {
  readonly #stream: NodeJS.WritableStream;
  readonly #chunk: number;
  /** The buffer being filled; handed to the stream once full, never written into again after. */
  #buf: Buffer;
  #pos = 0;
  /** Full chunks not yet handed to the stream. */
  #ready: Uint8Array[] = [];
  /** Callbacks of owned chunks, called when the stream has written them. */
  readonly #written = new Map<Uint8Array, () => void>();
  #error: Error | undefined;
  #closed = false;

  constructor(stream: NodeJS.WritableStream, chunk = DEFAULT_CHUNK) {
    this.#stream = stream;
    this.#chunk = chunk;
    this.#buf = Buffer.allocUnsafe(chunk);
    stream.on('error', (err: Error) => {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') this.#closed = true;
      else this.#error ??= err;
    });
  }

  /** True once the reading end has gone away; further text is dropped. */
  get closed(): boolean {
    return this.#closed;
  }

  write(text: string): void {
    const worst = text.length * MAX_BYTES_PER_UNIT;
    if (worst > this.#buf.length - this.#pos) {
      // Exact size only when it might not fit: the common row is far below the room left.
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > this.#buf.length - this.#pos) this.#seal(bytes);
    }
    this.#pos += this.#buf.write(text, this.#pos);
  }

  /** Copies `bytes` (already encoded) into the buffer. */
  writeBytes(bytes: Uint8Array): void {
    if (bytes.length > this.#buf.length - this.#pos) this.#seal(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /**
   * Queues `bytes` as they are, without a copy: the caller gives them up (a worker's whole part)
   * until `written` is called, once the stream is done with them (never when the reader went away).
   */
  writeOwned(bytes: Uint8Array, written?: () => void): void {
    if (bytes.length === 0) {
      written?.();
      return;
    }
    if (this.#pos > 0) this.#seal(0);
    this.#ready.push(bytes);
    if (written !== undefined) this.#written.set(bytes, written);
  }

  /** Writes what was gathered once it is a full chunk, waiting for the stream when it is busy. */
  async maybeFlush(): Promise<void> {
    if (this.#ready.length > 0 || this.#pos >= this.#chunk) await this.flush();
  }

  async flush(): Promise<void> {
    this.#check();
    if (this.#pos > 0) this.#seal(0);
    if (this.#ready.length === 0) return;
    const chunks = this.#ready;
    this.#ready = [];
    if (this.#closed) return;
    for (const chunk of chunks) {
      const written = this.#written.get(chunk);
      if (written !== undefined) this.#written.delete(chunk);
      const more = written === undefined ? this.#stream.write(chunk) : this.#stream.write(chunk, () => written());
      if (!more) await this.#drain();
      this.#check();
      if (this.#closed) return;
    }
  }

  /** Flushes; when `end` is true also ends the stream and waits until everything is on disk. */
  async close(end: boolean): Promise<void> {
    await this.flush();
    if (!end || this.#closed) return;
    this.#stream.end();
    try {
      await once(this.#stream, 'finish');
    } catch (err) {
      this.#error ??= err as Error;
    }
    this.#check();
  }

  /** Queues the filled part of the buffer and starts a new one with room for at least `need` bytes. */
  #seal(need: number): void {
    if (this.#pos > 0) this.#ready.push(this.#buf.subarray(0, this.#pos));
    this.#buf = Buffer.allocUnsafe(Math.max(this.#chunk, need));
    this.#pos = 0;
  }

  async #drain(): Promise<void> {
    try {
      await once(this.#stream, 'drain');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') this.#closed = true;
      else this.#error ??= err as Error;
    }
  }

  #check(): void {
    if (this.#error !== undefined) throw new OutputError(`cannot write the results: ${this.#error.message}`, { cause: this.#error });
  }
}
