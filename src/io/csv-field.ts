/**
 * One CSV field as RFC 4180 writes it: quoted (with `""` for a quote) only when it holds a comma,
 * a quote or a line break, so that any CSV reader gets the exact text back.
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** What spreadsheets read as the start of a formula (OWASP "CSV injection"): = + - @, tab, carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV field safe to open in a spreadsheet: a cell that would start a formula gets a leading
 * apostrophe (Excel, LibreOffice and Google Sheets then show it as text).
 */
export function csvSafeField(value: string): string {
  return csvField(FORMULA_START.test(value) ? `'${value}` : value);
}
