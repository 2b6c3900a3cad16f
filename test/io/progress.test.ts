import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../../src/io/progress.ts';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString('utf8')));
  return { stream, text: () => text };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Progress', () => {
  it('redraws one line at most every 250 ms and erases it at the end', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const out = capture();
    const p = new Progress(out.stream, true);
    vi.setSystemTime(1000);
    p.tick(50_000);
    vi.setSystemTime(1100);
    p.tick(60_000);
    vi.setSystemTime(2000);
    p.tick(200_000);
    p.clear();
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe('\r\x1b[K50,000 rows · 50,000 rows/s\r\x1b[K200,000 rows · 100,000 rows/s\r\x1b[K');
  });

  it('prints nothing when off (stderr is not a terminal)', async () => {
    const out = capture();
    const p = new Progress(out.stream, false);
    p.tick(1);
    p.clear();
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe('');
  });
});
