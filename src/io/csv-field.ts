/**
 * One CSV field as RFC 4180 writes it: quoted (with `""` for a quote) only when it holds a comma,
 * a quote or a line break, so that any CSV reader gets the exact text back.
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
