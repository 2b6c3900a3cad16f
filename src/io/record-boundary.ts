/**
 * Where the last complete record of a block of input bytes ends, so that a large file can be cut
 * into parts that are read on their own (in worker threads) and give the same records as one read
 * from start to end. A block always starts at a record boundary.
 *
 * CSV follows `CsvParser` exactly: a `"` opens a quoted field only at the start of a field (at the
 * start of the block, or after a `,` or a line feed); inside it `""` is a quote and line feeds
 * belong to the field; any other `"` is a character of an unquoted field. Counting quotes alone
 * would cut inside a field after a stray quote (`5" screen`). The scan jumps from quote to quote
 * with `indexOf`, so a block without quotes costs one search.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;

/** Index just past the line feed that ends the last complete CSV record of `bytes`; 0 when none does. */
export function csvRecordsEnd(bytes: Buffer): number {
  const n = bytes.length;
  // Quoted fields found, as (opening quote, closing quote) pairs; a line feed inside one ends nothing.
  let spans = new Int32Array(256);
  let count = 0;
  let end = n;
  let pos = 0;
  for (;;) {
    const q = bytes.indexOf(QUOTE, pos);
    if (q === -1) break;
    const before = q === 0 ? LF : bytes[q - 1];
    if (before !== COMMA && before !== LF) {
      pos = q + 1;
      continue;
    }
    let close = -1;
    for (let j = q + 1; ; ) {
      const k = bytes.indexOf(QUOTE, j);
      if (k === -1) break;
      if (k + 1 < n && bytes[k + 1] === QUOTE) {
        j = k + 2;
        continue;
      }
      close = k;
      break;
    }
    if (close === -1) {
      // A quoted field still open at the end of the block: no record ends after its quote.
      end = q;
      break;
    }
    if (2 * count + 2 > spans.length) {
      const bigger = new Int32Array(spans.length * 2);
      bigger.set(spans);
      spans = bigger;
    }
    spans[2 * count] = q;
    spans[2 * count + 1] = close;
    count += 1;
    pos = close + 1;
  }
  // The last line feed outside every quoted field.
  let k = count - 1;
  let nl = end > 0 ? bytes.lastIndexOf(LF, end - 1) : -1;
  while (nl !== -1) {
    while (k >= 0 && (spans[2 * k] as number) > nl) k -= 1;
    if (k < 0 || (spans[2 * k + 1] as number) < nl) return nl + 1;
    const open = spans[2 * k] as number;
    nl = open > 0 ? bytes.lastIndexOf(LF, open - 1) : -1;
  }
  return 0;
}

/** Index just past the last line feed of `bytes` (JSON Lines: one record per line); 0 when none. */
export function linesEnd(bytes: Buffer): number {
  return bytes.length === 0 ? 0 : bytes.lastIndexOf(LF, bytes.length - 1) + 1;
}
