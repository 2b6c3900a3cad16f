import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BufferedOutput, OutputError } from '../../src/io/buffered-output.ts';

/** A sink that takes one chunk per event-loop turn, recording how much ever sat in its buffer. */
function slowSink(): { stream: Writable; received: () => string; maxBuffered: () => number } {
  let text = '';
  let max = 0;
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      max = Math.max(max, stream.writableLength);
      text += chunk.toString('utf8');
      setImmediate(done);
    },
  });
  return { stream, received: () => text, maxBuffered: () => max };
}

describe('BufferedOutput', () => {
  it('writes in chunks and waits for drain, so the stream never holds more than one chunk', async () => {
    const sink = slowSink();
    const out = new BufferedOutput(sink.stream, 4096);
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      const line = `row ${i} — é\n`;
      expected += line;
      out.write(line);
      await out.maybeFlush();
    }
    await out.close(true);
    expect(sink.received()).toBe(expected);
    expect(sink.maxBuffered()).toBeLessThanOrEqual(4096 * 3);
  });

  it('keeps text until a full chunk is gathered', async () => {
    const sink = slowSink();
    const out = new BufferedOutput(sink.stream, 100);
    out.write('short');
    await out.maybeFlush();
    expect(sink.received()).toBe('');
    await out.flush();
    await new Promise((r) => setImmediate(r));
    expect(sink.received()).toBe('short');
  });

  it('treats a reader that went away (EPIPE) as the end, not an error', async () => {
    const stream = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const out = new BufferedOutput(stream, 1);
    out.write('a');
    await out.flush();
    await new Promise((r) => setImmediate(r));
    expect(out.closed).toBe(true);
    out.write('b');
    await expect(out.close(false)).resolves.toBeUndefined();
  });

  it('turns any other write failure into an OutputError', async () => {
    const stream = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      },
    });
    const out = new BufferedOutput(stream, 1);
    out.write('a');
    await out.flush().catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    out.write('b');
    await expect(out.flush()).rejects.toBeInstanceOf(OutputError);
  });

  it('hands the stream UTF-8 bytes encoded as written, byte-identical to the text, across chunk ends', async () => {
    const chunks: Buffer[] = [];
    let strings = 0;
    const stream = new Writable({
      decodeStrings: false,
      write(chunk: unknown, _enc, done) {
        // A string would mean a concatenated text converted at write time.
        if (Buffer.isBuffer(chunk)) chunks.push(chunk);
        else strings += 1;
        done();
      },
    });
    const out = new BufferedOutput(stream, 64);
    const pieces = ['a', '✖ Concurrent · é', '😀'.repeat(40), 'x'.repeat(200), '', 'end\n'];
    let expected = '';
    for (let i = 0; i < 50; i++) {
      for (const p of pieces) {
        out.write(p);
        expected += p;
      }
      await out.maybeFlush();
    }
    await out.close(true);
    expect(strings).toBe(0);
    expect(Buffer.concat(chunks).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    // Text longer than a chunk goes out whole; no chunk is split inside a character.
    for (const c of chunks) expect(c.toString('utf8')).not.toContain('\uFFFD');
  });
});
