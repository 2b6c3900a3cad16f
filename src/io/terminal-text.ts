/**
 * Text from input files or CRMs made safe to show on a terminal: control characters (ESC sequences
 * that could move the cursor, rewrite the title or hide text), C1 controls and bidirectional
 * overrides become visible symbols instead of acting. Line breaks and tabs are kept only when asked.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function symbol(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␛ for ESC, ␀ for NUL…
  if (code === 0x7f) return '\u2421'; // ␡
  return '\ufffd';
}

/** `text` with every control character shown as a symbol (line breaks and tabs too). */
export function terminalSafe(text: string): string {
  // Fast path: almost every value is clean.
  if (!UNSAFE.test(text) && !/[\n\t]/.test(text)) return text;
  return text.replace(UNSAFE_ALL, symbol);
}

/** `text` with control characters shown as symbols, keeping line breaks and tabs (multi-line output). */
export function terminalSafeLines(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_KEEP_LINES, symbol) : text;
}
