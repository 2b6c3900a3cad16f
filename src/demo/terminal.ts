/**
 * What the demo prints: short status lines, a progress bar redrawn in place on a TTY (one line per
 * step elsewhere, so logs and CI output stay readable), and a tier histogram.
 */
export interface DemoOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class DemoTerminal {
  private readonly out: DemoOutput;
  private progressShown = false;
  private lastPlainPercent = -1;

  constructor(out: DemoOutput) {
    this.out = out;
  }

  line(text = ''): void {
    this.endProgress();
    this.out.write(`${text}\n`);
  }

  step(text: string): void {
    this.line(`  ✓ ${text}`);
  }

  heading(text: string): void {
    this.line();
    this.line(text);
  }

  /** A progress bar; on a non-TTY only every 25 % is printed. */
  progress(label: string, done: number, total: number): void {
    if (total <= 0) return;
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const percent = Math.floor(ratio * 100);
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      this.out.write(`\r  ${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`);
      this.progressShown = true;
      return;
    }
    const bucket = Math.floor(percent / 25) * 25;
    if (bucket > this.lastPlainPercent) {
      this.lastPlainPercent = bucket;
      this.out.write(`  ${label} ${done}/${total} (${bucket} %)\n`);
    }
  }

  endProgress(): void {
    if (this.progressShown) this.out.write('\n');
    this.progressShown = false;
    this.lastPlainPercent = -1;
  }

  /** One bar per tier, in model order, scaled to the largest count. */
  histogram(rows: ReadonlyArray<{ name: string; label?: string; count: number }>, total: number): void {
    const max = Math.max(1, ...rows.map((r) => r.count));
    const labelWidth = Math.max(...rows.map((r) => (r.label ?? '').length), 0);
    for (const r of rows) {
      const bar = '█'.repeat(Math.round((r.count / max) * 40));
      const pct = total > 0 ? ((100 * r.count) / total).toFixed(0) : '0';
      this.line(`  ${r.name.padEnd(2)} ${(r.label ?? '').padEnd(labelWidth)}  ${bar} ${r.count} (${pct} %)`);
    }
  }
}
