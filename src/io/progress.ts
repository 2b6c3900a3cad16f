/**
 * A one-line progress counter on a terminal (rows and rows/s), redrawn at most every 250 ms.
 * Off when stderr is not a TTY, so logs and pipes never see it.
 */
const INTERVAL_MS = 250;

export class Progress {
  readonly #stream: NodeJS.WritableStream;
  readonly #enabled: boolean;
  readonly #startedAt = Date.now();
  #lastDraw = 0;
  #shown = false;

  constructor(stream: NodeJS.WritableStream, enabled: boolean) {
    this.#stream = stream;
    this.#enabled = enabled;
  }

  tick(rows: number): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#lastDraw < INTERVAL_MS) return;
    this.#lastDraw = now;
    const seconds = (now - this.#startedAt) / 1000;
    const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
    this.#stream.write(`\r\x1b[K${rows.toLocaleString('en-US')} rows · ${rate.toLocaleString('en-US')} rows/s`);
    this.#shown = true;
  }

  /** Erases the counter line (before another message, or at the end). */
  clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
