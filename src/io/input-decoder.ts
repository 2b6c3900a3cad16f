/**
 * Turns the input's bytes into text without ever guessing silently. UTF-8 is the default and is
 * decoded strictly. A byte order mark says UTF-16 (LE or BE) or UTF-8. Without `--encoding`, input
 * that is not valid UTF-8 and had no non-ASCII byte before is a Windows-1252 (Latin-1) export (what
 * Excel writes in France): it is decoded as such and a note says so. Input that mixes valid UTF-8
 * with invalid bytes is refused: scoring mojibake would read accented values as unknown.
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { InputError } from './input-error.ts';

export const INPUT_ENCODINGS = ['utf8', 'latin1', 'windows-1252', 'utf16le'] as const;
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

const LABELS: Readonly<Record<InputEncoding, string>> = { utf8: 'utf-8', latin1: 'windows-1252', 'windows-1252': 'windows-1252', utf16le: 'utf-16le' };

export interface InputDecoder {
  /** Text of the next bytes (a character split between calls is kept for the next one). */
  decode(bytes: Uint8Array): string;
  /** Whatever is left at the end of the input. */
  end(): string;
}

export function createInputDecoder(encoding: InputEncoding | undefined, note: (message: string) => void): InputDecoder {
  let decoder: TextDecoder | undefined;
  /** True once a non-ASCII byte went through the UTF-8 decoder: switching then would mix encodings. */
  let sawNonAscii = false;
  let offset = 0;
  const auto = encoding === undefined;

  const notUtf8 = (at: number, mixed: boolean): InputError =>
    new InputError(
      `the input is not valid UTF-8 (byte ${at}${mixed ? ', after valid UTF-8 text: the file mixes encodings' : ''}): convert it to UTF-8, or give --encoding latin1, windows-1252 or utf16le`,
    );

  function first(bytes: Uint8Array): Uint8Array {
    // A byte order mark wins over everything: it says what the file is.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      if (encoding !== undefined && encoding !== 'utf16le') throw new InputError(`the input starts with a UTF-16 byte order mark, not ${encoding}: give --encoding utf16le or leave it out`);
      decoder = new TextDecoder('utf-16le', { fatal: true });
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      if (encoding !== undefined) throw new InputError('the input is UTF-16 big-endian (byte order mark FE FF): leave --encoding out');
      decoder = new TextDecoder('utf-16be', { fatal: true });
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && (encoding === undefined || encoding === 'utf8')) {
      decoder = new TextDecoder('utf-8', { fatal: true });
      return bytes.subarray(3);
    }
    if (auto && bytes.length >= 2 && looksUtf16le(bytes)) {
      throw new InputError('the input looks like UTF-16 without a byte order mark: give --encoding utf16le');
    }
    decoder = new TextDecoder(LABELS[encoding ?? 'utf8'], { fatal: (encoding ?? 'utf8') !== 'latin1' && encoding !== 'windows-1252' });
    return bytes;
  }

  return {
    decode(input) {
      let bytes = input;
      if (decoder === undefined) {
        if (bytes.length === 0) return '';
        bytes = first(bytes);
      }
      const d = decoder as TextDecoder;
      const at = offset;
      offset += input.length;
      if (d.encoding !== 'utf-8') {
        try {
          return d.decode(bytes, { stream: true });
        } catch {
          throw new InputError(`the input is not valid ${d.encoding.toUpperCase()} (near byte ${at})`);
        }
      }
      const ascii = !sawNonAscii && isAscii(bytes);
      try {
        const text = d.decode(bytes, { stream: true });
        if (!ascii) sawNonAscii = true;
        return text;
      } catch {
        const mixed = sawNonAscii || hasUtf8Sequence(bytes);
        if (!auto || mixed) throw notUtf8(at + firstInvalidUtf8(bytes), mixed);
        // Not UTF-8, and nothing before was anything but ASCII: a Windows-1252 / Latin-1 file.
        decoder = new TextDecoder('windows-1252');
        note('the input is not UTF-8: read as Windows-1252 (Latin-1, as Excel exports it); give --encoding to say otherwise');
        return decoder.decode(bytes, { stream: true });
      }
    },
    end() {
      if (decoder === undefined) return '';
      try {
        return decoder.decode();
      } catch {
        throw notUtf8(offset, sawNonAscii);
      }
    },
  };
}

/** Index of the first byte that does not belong to well-formed UTF-8 (0 when none is found). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    if (b < 0xc2 || b > 0xf4) return i;
    const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    if (i + need >= bytes.length) return i;
    for (let k = 1; k <= need; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return 0;
}

/** True when `bytes` hold at least one well-formed multi-byte UTF-8 sequence. */
function hasUtf8Sequence(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0xc2 || b > 0xf4) continue;
    const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    let ok = i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok) return true;
  }
  return false;
}

/** Text in UTF-16LE without a mark: ASCII letters followed by zero bytes, over the first bytes. */
function looksUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length - (bytes.length % 2), 64);
  if (n < 4) return false;
  let zeros = 0;
  for (let i = 1; i < n; i += 2) if (bytes[i] === 0 && (bytes[i - 1] ?? 0) !== 0) zeros += 1;
  return zeros >= (n / 2) * 0.9;
}

/**
 * True when an input starting with `prefix` is read as UTF-8 (possibly after a UTF-8 byte order
 * mark) as long as it is valid UTF-8: no UTF-16 mark or look, no other encoding asked for.
 */
export function readsAsUtf8(prefix: Uint8Array, encoding: InputEncoding | undefined): boolean {
  if (encoding !== undefined && encoding !== 'utf8') return false;
  if ((prefix[0] === 0xff && prefix[1] === 0xfe) || (prefix[0] === 0xfe && prefix[1] === 0xff)) return false;
  return !(encoding === undefined && prefix.length >= 2 && looksUtf16le(prefix));
}
