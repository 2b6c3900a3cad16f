// Frozen copy of src/domain/normalize.ts as of commit 8402282, kept only as the oracle of
// reference-scorer.test.ts: the optimised scorer must give deep-equal results. Never edit it.
/**
 * Value normalisation shared by the matchers, the field mappings and calibration (PRODUCT.md §2).
 * Every function here is total: it never throws, whatever the input.
 */

const COMBINING_MARKS = /\p{M}/gu;
const WHITESPACE_RUNS = /\s+/g;
/** Text that `normalizeText` would return unchanged: printable ASCII, no capitals, single inner spaces. */
const NEEDS_TEXT_WORK = /[^\x20-\x7e]|[A-Z]|^ | $| {2}/;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Text as compared by `category` matchers: Unicode NFKD, combining marks removed, lower-cased,
 * trimmed, inner whitespace collapsed to one space. `"  Logiciel  Édition "` → `"logiciel edition"`.
 */
export function normalizeText(s: string): string {
  // Most CRM values are already plain ASCII: skip the costly Unicode work for them.
  if (!NEEDS_TEXT_WORK.test(s)) return s;
  const folded = NON_ASCII.test(s) ? s.normalize('NFKD').replace(COMBINING_MARKS, '') : s;
  return folded.toLowerCase().trim().replace(WHITESPACE_RUNS, ' ');
}

// Unicode dashes (‐ ‑ ‒ – — ― −) are treated like "-": codes pasted from documents carry them.
const CODE_NOISE = /[\s.\-\u2010-\u2015\u2212]/g;
const NEEDS_CODE_WORK = /[^0-9A-Z]/;

/**
 * A NAF/SIC/NACE code as compared by `prefix` matchers: upper-cased, with spaces, dots and dashes
 * removed. `"62.01z"` → `"6201Z"`, `"70 22"` → `"7022"`.
 */
export function normalizeCode(s: string): string {
  if (!NEEDS_CODE_WORK.test(s)) return s;
  return s.toUpperCase().replace(CODE_NOISE, '');
}

// `\s` covers the no-break space U+00A0, the narrow no-break space U+202F and the figure space
// U+2007 that French number formatting inserts between thousands.
const NUMBER_NOISE = /[\s_]/g;
const THOUSANDS_COMMAS = /^-?\d{1,3}(,\d{3})+$/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `parseNumber` for the usual shapes without regular expressions or allocation: at most 15 digits
 * in all (so the digits form an exact integer, and one division by an exact power of ten rounds
 * exactly like `Number("…")` does), split by spaces, `_`, commas or one dot. Returns `null` for
 * anything else, and the general rules decide.
 */
function scanNumber(s: string): number | null {
  let n = 0;
  let digits = 0;
  let negative = false;
  let commas = 0;
  let group = 0;
  let firstGroup = 0;
  let groupsOk = true;
  let dot = false;
  let fraction = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      digits++;
      group++;
      if (dot) fraction++;
    } else if (ch === 32 || ch === 95 || ch === 0xa0 || ch === 0x202f || ch === 0x2007 || (ch >= 9 && ch <= 13)) {
      // separators that are stripped
    } else if (ch === 45 && digits === 0 && !negative && commas === 0 && !dot) {
      negative = true;
    } else if (ch === 44 && digits > 0) {
      if (commas === 0) firstGroup = group;
      else if (group !== 3) groupsOk = false;
      commas++;
      group = 0;
    } else if (ch === 46 && digits > 0 && !dot) {
      dot = true;
    } else {
      return null;
    }
  }
  if (digits === 0 || digits > 15) return null;
  let scale = 0;
  if (dot) {
    // With a dot, commas are thousands separators and simply dropped.
    if (fraction === 0) return null;
    scale = fraction;
  } else if (commas > 0 && !(groupsOk && group === 3 && firstGroup <= 3)) {
    // Not the 1,234 / 12,345,678 shape: one comma is a decimal comma; more is not a number.
    if (commas > 1 || group === 0) return null;
    scale = group;
  }
  const value = scale === 0 ? n : n / (POWERS_OF_TEN[scale] as number);
  return negative ? -value : value;
}

/**
 * Reads a number the way RevOps data holds them: finite numbers as is; strings after removing
 * spaces (all kinds) and `_`; when both `,` and `.` appear the commas are thousands separators;
 * a lone `,` is a thousands separator only in the shape `1,234` / `12,345,678`, otherwise a decimal
 * comma (`12,5`, `1,20`, `1,2345`). The result must then read `-?digits(.digits)?`.
 * Anything else (booleans, objects, `NaN`, `Infinity`, `1e5`, `+3`, `.5`) gives `undefined`.
 */
export function parseNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const scanned = scanNumber(v);
  if (scanned !== null) return scanned;
  let t = v.replace(NUMBER_NOISE, '');
  if (t.includes(',')) {
    if (t.includes('.')) t = t.replaceAll(',', '');
    else if (THOUSANDS_COMMAS.test(t)) t = t.replaceAll(',', '');
    else t = t.replaceAll(',', '.');
  }
  if (!PLAIN_NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Missing per PRODUCT.md §2: `undefined`, `null`, an empty or blank string, an empty list.
 * Also missing: a non-finite number (`NaN`, `±Infinity`: no real value), and a list whose every
 * item is missing (`["", null]` tells nothing). Matcher-specific unparseable values (`range`,
 * `boolean`) are decided by the matchers, not here.
 */
export function isMissing(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (typeof v === 'number') return !Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isMissing);
  return false;
}
