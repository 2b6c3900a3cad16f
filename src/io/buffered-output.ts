/**
 * Collects output text and writes it in large chunks, waiting for `drain` whenever the stream says
 * its buffer is full, so a fast reader never piles a million rows up in memory behind a slow pipe.
 * A reader that went away (`icp-sync score … | head`) is not an error: `closed` turns true.
 */
import { once } from 'node:events';

/** Writing the results failed (disk full, permission…). */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** UTF-16 units gathered before a write: one write per few hundred rows keeps the per-row cost low. */
const DEFAULT_CHUNK = 64 * 1024;

export class BufferedOutput {
  readonly #stream: NodeJS.WritableStream;
  readonly #chunk: number;
  #text = '';
  #error: Error | undefined;
  #closed = false;

  constructor(stream: NodeJS.WritableStream, chunk = DEFAULT_CHUNK) {
    this.#stream = stream;
    this.#chunk = chunk;
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
    this.#text += text;
  }

  /** Writes what was gathered once it is a full chunk, waiting for the stream when it is busy. */
  async maybeFlush(): Promise<void> {
    if (this.#text.length >= this.#chunk) await this.flush();
  }

  async flush(): Promise<void> {
    this.#check();
    if (this.#text.length === 0 || this.#closed) return;
    const text = this.#text;
    this.#text = '';
    if (!this.#stream.write(text)) await this.#drain();
    this.#check();
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
