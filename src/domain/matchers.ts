/**
 * The four matchers of PRODUCT.md §2, compiled once per model. `pointsOf` gives points in [0, 1]
 * or `MISSING`; it allocates nothing beyond what normalising a value needs.
 *
 * Decisions where PRODUCT.md is silent (each has a test in test/domain/matchers.test.ts):
 * - A list gives the max over its items for every kind (also `range` and `boolean`); items that are
 *   missing or unparseable are skipped; a list with no usable item is missing.
 * - `category`: a boolean is compared as the text "true"/"false"; a number as JavaScript's decimal
 *   string (12.50 → "12.5"). `default` applies to present values that are not listed, never to
 *   missing ones. Objects are missing.
 * - `prefix`: a number is read as its decimal string then normalised (62.01 → "6201"); a boolean or
 *   an object is missing. A present code matching no prefix gets `default` (0 if absent).
 * - `range`: a number outside every band gets `default` (0 if absent).
 * - `boolean`: the numbers 1 and 0 only (2 is missing); strings are normalised like category text,
 *   so " OUI " is true.
 * - `NaN` and `±Infinity` are missing everywhere.
 */
import { normalizeCode, normalizeText, parseNumber } from './normalize.ts';
import type { Matcher } from './types.ts';

/** Returned by `pointsOf` when the value is missing; never a valid point value. */
export const MISSING = -1;

/**
 * Text attributes repeat a lot (a few hundred industries, countries, NAF codes): points already
 * computed for a raw string are kept, up to this many per matcher, to skip normalising it again.
 * The memo is emptied when full, so memory stays bounded whatever the data.
 */
const MEMO_LIMIT = 4096;
/** Longer texts (free-text notes mapped by mistake) are not kept: they rarely repeat. */
const MEMO_KEY_MAX_LENGTH = 200;

/**
 * Every compiled matcher has the same fields, in the same order, whatever its kind: the scorer's
 * call sites then see one object shape and V8 keeps them monomorphic (measurably faster than four
 * shapes). Fields a kind does not use hold shared empty values.
 */
export interface CompiledMatcher {
  readonly kind: Matcher['kind'];
  /** category: normalised text → points. */
  readonly table: ReadonlyMap<string, number>;
  /** prefix: normalised prefixes, longest first, so that the first hit is the longest match. */
  readonly prefixes: readonly string[];
  readonly prefixPoints: readonly number[];
  /** range: band bounds (±Infinity when open) and points, in model order. */
  readonly mins: Float64Array;
  readonly maxs: Float64Array;
  readonly bandPoints: Float64Array;
  /** category, prefix, range: points of a present value that nothing lists. */
  readonly fallback: number;
  readonly ifTrue: number;
  readonly ifFalse: number;
  /** category, prefix: raw string → points already computed. */
  readonly memo: Map<string, number>;
}

const NO_TABLE: ReadonlyMap<string, number> = new Map();
const NO_STRINGS: readonly string[] = [];
const NO_NUMBERS: readonly number[] = [];
const NO_BANDS = new Float64Array(0);

function compiled(kind: Matcher['kind'], parts: Partial<CompiledMatcher>): CompiledMatcher {
  return {
    kind,
    table: parts.table ?? NO_TABLE,
    prefixes: parts.prefixes ?? NO_STRINGS,
    prefixPoints: parts.prefixPoints ?? NO_NUMBERS,
    mins: parts.mins ?? NO_BANDS,
    maxs: parts.maxs ?? NO_BANDS,
    bandPoints: parts.bandPoints ?? NO_BANDS,
    fallback: parts.fallback ?? 0,
    ifTrue: parts.ifTrue ?? 1,
    ifFalse: parts.ifFalse ?? 0,
    memo: new Map(),
  };
}

const TRUE_WORDS = new Set(['true', 'yes', 'oui', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'non', '0']);

export function compileMatcher(m: Matcher): CompiledMatcher {
  switch (m.kind) {
    case 'category': {
      const table = new Map<string, number>();
      for (const [key, pts] of Object.entries(m.values)) table.set(normalizeText(key), pts);
      return compiled('category', { table, fallback: m.default ?? 0 });
    }
    case 'prefix': {
      const entries = Object.entries(m.values)
        .map(([key, pts]) => [normalizeCode(key), pts] as const)
        .sort((a, b) => b[0].length - a[0].length);
      return compiled('prefix', {
        prefixes: entries.map((e) => e[0]),
        prefixPoints: entries.map((e) => e[1]),
        fallback: m.default ?? 0,
      });
    }
    case 'range':
      return compiled('range', {
        mins: Float64Array.from(m.bands, (b) => b.min ?? -Infinity),
        maxs: Float64Array.from(m.bands, (b) => b.max ?? Infinity),
        bandPoints: Float64Array.from(m.bands, (b) => b.points),
        fallback: m.default ?? 0,
      });
    case 'boolean':
      return compiled('boolean', { ifTrue: m.ifTrue ?? 1, ifFalse: m.ifFalse ?? 0 });
  }
}

function remember(memo: Map<string, number>, key: string, pts: number): number {
  if (key.length > MEMO_KEY_MAX_LENGTH) return pts;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, pts);
  return pts;
}

function categoryTextPoints(m: CompiledMatcher, v: string): number {
  const norm = normalizeText(v);
  if (norm === '') return MISSING;
  const pts = m.table.get(norm);
  return pts === undefined ? m.fallback : pts;
}

function categoryPoints(m: CompiledMatcher, v: unknown): number {
  if (typeof v === 'string') {
    const known = m.memo.get(v);
    return known === undefined ? remember(m.memo, v, categoryTextPoints(m, v)) : known;
  }
  let key: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return MISSING;
    key = String(v);
  } else if (typeof v === 'boolean') {
    key = v ? 'true' : 'false';
  } else {
    return MISSING;
  }
  const pts = m.table.get(key);
  return pts === undefined ? m.fallback : pts;
}

function codePoints(m: CompiledMatcher, raw: string): number {
  if (raw.trim() === '') return MISSING;
  const code = normalizeCode(raw);
  const { prefixes, prefixPoints: pts } = m;
  for (let i = 0; i < prefixes.length; i++) {
    if (code.startsWith(prefixes[i] as string)) return pts[i] as number;
  }
  return m.fallback;
}

function prefixPoints(m: CompiledMatcher, v: unknown): number {
  if (typeof v === 'string') {
    const known = m.memo.get(v);
    return known === undefined ? remember(m.memo, v, codePoints(m, v)) : known;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return codePoints(m, String(v));
  return MISSING;
}

function rangePoints(m: CompiledMatcher, v: unknown): number {
  const x = parseNumber(v);
  if (x === undefined) return MISSING;
  const { mins, maxs, bandPoints } = m;
  for (let i = 0; i < mins.length; i++) {
    if (x >= (mins[i] as number) && x <= (maxs[i] as number)) return bandPoints[i] as number;
  }
  return m.fallback;
}

function booleanPoints(m: CompiledMatcher, v: unknown): number {
  if (v === true || v === 1) return m.ifTrue;
  if (v === false || v === 0) return m.ifFalse;
  if (typeof v !== 'string') return MISSING;
  // The usual spellings are already normalised: skip normalizeText for them.
  if (TRUE_WORDS.has(v)) return m.ifTrue;
  if (FALSE_WORDS.has(v)) return m.ifFalse;
  const word = normalizeText(v);
  if (TRUE_WORDS.has(word)) return m.ifTrue;
  if (FALSE_WORDS.has(word)) return m.ifFalse;
  return MISSING;
}

function scalarPoints(m: CompiledMatcher, v: unknown): number {
  switch (m.kind) {
    case 'category':
      return categoryPoints(m, v);
    case 'prefix':
      return prefixPoints(m, v);
    case 'range':
      return rangePoints(m, v);
    case 'boolean':
      return booleanPoints(m, v);
  }
}

/** Points in [0, 1] for one attribute value, or `MISSING`. */
export function pointsOf(m: CompiledMatcher, v: unknown): number {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return scalarPoints(m, v);
  if (v === undefined || v === null) return MISSING;
  if (!Array.isArray(v)) return scalarPoints(m, v);
  let best = MISSING;
  for (const item of v) {
    const p = Array.isArray(item) ? pointsOf(m, item) : scalarPoints(m, item);
    if (p > best) best = p;
  }
  return best;
}
