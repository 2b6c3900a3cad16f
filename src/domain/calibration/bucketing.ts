/**
 * Cuts an attribute's values into readable segments: numeric bands from rounded quantiles (merged
 * when too small), the most frequent categories plus "other", code prefixes (NAF/SIC divisions),
 * true/false. Missing values always form their own segment. Each kind maps one-to-one onto a
 * matcher of the model format, so a suggested model scores exactly the segments analysed here.
 */
import { compileMatcher, MISSING, pointsOf } from '../matchers.ts';
import { isMissing, normalizeCode, normalizeText, parseNumber } from '../normalize.ts';
import type { Matcher } from '../types.ts';
import { quantileSorted, roundSignificant } from './statistics.ts';

export const MISSING_SEGMENT = '(missing)';
export const OTHER_SEGMENT = '(other)';

/** Bands (-∞, c1], (c1, c2], …, (ck, ∞): the inclusive, first-wins bands of a `range` matcher. */
export interface NumericSpec {
  kind: 'numeric';
  cuts: number[];
  /** Every value seen was a whole number: labels read `51–200` rather than `50–200`. */
  integer: boolean;
}
export interface CategorySpec {
  kind: 'category';
  /** Normalised values kept as their own segment; the rest is "other". */
  values: string[];
  /** Most frequent spelling of each kept value as found in the data (`BE` for `be`), for display. */
  labels?: Readonly<Record<string, string>>;
}
export interface PrefixSpec {
  kind: 'prefix';
  length: number;
  values: string[];
}
export interface BooleanSpec {
  kind: 'boolean';
}
export type SegmentSpec = NumericSpec | CategorySpec | PrefixSpec | BooleanSpec;

export interface SegmentDef {
  key: string;
  label: string;
}

export interface InferOptions {
  /** The matcher kind the current model uses for this attribute, if any. */
  hint?: Matcher['kind'];
  /**
   * Number of quantile bands to start from (default: 5, quintiles, plus one per 300 values beyond
   * 1,500, up to 10: large data sets can afford finer bands).
   */
  bands?: number;
  /** Smallest numeric band kept before merging with a neighbour (default 30). */
  minBand?: number;
  /** Most categories kept as their own segment (default 12). */
  maxCategories?: number;
  /** Fewest deals for a category to get its own segment (default 5). */
  minCategory?: number;
}

const BOOLEAN = compileMatcher({ kind: 'boolean', ifTrue: 1, ifFalse: 0 });
const NAF_DIVISION = 2;

function firstItem(v: unknown): unknown {
  return Array.isArray(v) ? v.find((x) => !isMissing(x)) : v;
}

/** The text a `category` matcher compares: booleans and numbers as their string form. */
export function categoryText(v: unknown): string | undefined {
  const x = firstItem(v);
  if (typeof x === 'string') return isMissing(x) ? undefined : normalizeText(x);
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : undefined;
  if (typeof x === 'boolean') return String(x);
  return undefined;
}

function codeText(v: unknown, length: number): string | undefined {
  const x = firstItem(v);
  if (typeof x !== 'string' && typeof x !== 'number') return undefined;
  const code = normalizeCode(String(x));
  return code === '' ? undefined : code.slice(0, length);
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** The segment a value falls in. */
export function segmentOf(spec: SegmentSpec, value: unknown): string {
  if (isMissing(value)) return MISSING_SEGMENT;
  switch (spec.kind) {
    case 'numeric': {
      const n = parseNumber(firstItem(value));
      if (n === undefined) return MISSING_SEGMENT;
      let i = 0;
      while (i < spec.cuts.length && n > (spec.cuts[i] as number)) i++;
      return `band${i}`;
    }
    case 'boolean': {
      const p = pointsOf(BOOLEAN, value);
      return p === MISSING ? MISSING_SEGMENT : p === 1 ? 'true' : 'false';
    }
    case 'category': {
      const t = categoryText(value);
      if (t === undefined) return MISSING_SEGMENT;
      return spec.values.includes(t) ? t : OTHER_SEGMENT;
    }
    case 'prefix': {
      const t = codeText(value, spec.length);
      if (t === undefined) return MISSING_SEGMENT;
      return spec.values.includes(t) ? t : OTHER_SEGMENT;
    }
  }
}

/** Every segment of a spec, in display order; "other" and "(missing)" come last. */
export function segmentsOf(spec: SegmentSpec): SegmentDef[] {
  const missing = { key: MISSING_SEGMENT, label: 'missing' };
  switch (spec.kind) {
    case 'numeric': {
      const { cuts, integer } = spec;
      if (cuts.length === 0) return [{ key: 'band0', label: 'any value' }, missing];
      const out: SegmentDef[] = [];
      for (let i = 0; i <= cuts.length; i++) {
        const lo = cuts[i - 1];
        const hi = cuts[i];
        let label: string;
        if (lo === undefined) label = `≤ ${formatNumber(hi as number)}`;
        else if (hi === undefined) label = `> ${formatNumber(lo)}`;
        else label = `${formatNumber(integer ? lo + 1 : lo)}–${formatNumber(hi)}`;
        out.push({ key: `band${i}`, label });
      }
      return [...out, missing];
    }
    case 'boolean':
      return [{ key: 'true', label: 'yes' }, { key: 'false', label: 'no' }, missing];
    case 'category':
    case 'prefix':
      return [
        ...spec.values.map((v) => ({ key: v, label: spec.kind === 'prefix' ? `${v}…` : (spec.labels?.[v] ?? v) })),
        { key: OTHER_SEGMENT, label: 'other' },
        missing,
      ];
  }
}

/** Inclusive [min, max] of numeric band `index`, as `range` matcher bounds (first band wins). */
export function bandBounds(spec: NumericSpec, index: number): { min?: number; max?: number } {
  const lo = spec.cuts[index - 1];
  const hi = spec.cuts[index];
  return { ...(lo === undefined ? {} : { min: lo }), ...(hi === undefined ? {} : { max: hi }) };
}

function numericCuts(sorted: number[], bands: number, minBand: number, integer: boolean): number[] {
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  const cuts: number[] = [];
  for (let k = 1; k < bands; k++) {
    let c = roundSignificant(quantileSorted(sorted, k / bands) as number, 2);
    if (integer) c = Math.round(c);
    if (c >= min && c < max && !cuts.includes(c)) cuts.push(c);
  }
  cuts.sort((a, b) => a - b);
  // Merge the smallest band into its smaller neighbour until every band is large enough.
  for (;;) {
    const counts = new Array<number>(cuts.length + 1).fill(0);
    let i = 0;
    for (const x of sorted) {
      while (i < cuts.length && x > (cuts[i] as number)) i++;
      counts[i] = (counts[i] as number) + 1;
    }
    if (cuts.length === 0) return cuts;
    let smallest = 0;
    for (let b = 1; b < counts.length; b++) if ((counts[b] as number) < (counts[smallest] as number)) smallest = b;
    if ((counts[smallest] as number) >= minBand) return cuts;
    const left = smallest > 0 ? (counts[smallest - 1] as number) : Infinity;
    const right = smallest < cuts.length ? (counts[smallest + 1] as number) : Infinity;
    cuts.splice(left <= right ? smallest - 1 : smallest, 1);
  }
}

function frequent(texts: readonly string[], maxCategories: number, minCategory: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, c]) => c >= minCategory)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxCategories)
    .map(([t]) => t);
}

/** The most frequent original spelling (trimmed) of each normalised value in `keep`. */
function spellings(present: readonly unknown[], keep: ReadonlySet<string>): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const v of present) {
    const x = firstItem(v);
    const key = categoryText(x);
    if (key === undefined || !keep.has(key)) continue;
    const raw = typeof x === 'string' ? x.trim().replace(/\s+/g, ' ') : String(x);
    const m = counts.get(key) ?? new Map<string, number>();
    m.set(raw, (m.get(raw) ?? 0) + 1);
    counts.set(key, m);
  }
  const out: Record<string, string> = {};
  for (const [key, m] of counts) {
    out[key] = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? key;
  }
  return out;
}

export type InferResult = { ok: true; spec: SegmentSpec } | { ok: false; reason: string };

/**
 * Chooses how to segment an attribute from its values. Refuses attributes that cannot teach
 * anything: every value missing, or identifier-like text (more than half the values distinct).
 */
export function inferSegments(values: readonly unknown[], options: InferOptions = {}): InferResult {
  const present = values.filter((v) => !isMissing(v));
  if (present.length === 0) return { ok: false, reason: 'every value is missing' };
  const maxCategories = options.maxCategories ?? 12;
  const minCategory = options.minCategory ?? 5;
  const hint = options.hint;
  if (hint === 'boolean' || (hint === undefined && present.every((v) => pointsOf(BOOLEAN, v) !== MISSING))) {
    return { ok: true, spec: { kind: 'boolean' } };
  }
  const numbers = present.map((v) => parseNumber(firstItem(v))).filter((n): n is number => n !== undefined);
  const distinctNumbers = new Set(numbers).size;
  if (
    hint === 'range' ||
    (hint === undefined && numbers.length >= 0.95 * present.length && distinctNumbers > maxCategories)
  ) {
    if (numbers.length === 0) return { ok: false, reason: 'no value reads as a number' };
    const sorted = numbers.sort((a, b) => a - b);
    const integer = sorted.every((n) => Number.isInteger(n));
    const bands = options.bands ?? Math.min(10, Math.max(5, Math.floor(sorted.length / 300)));
    const cuts = numericCuts(sorted, bands, options.minBand ?? 30, integer);
    return { ok: true, spec: { kind: 'numeric', cuts, integer } };
  }
  if (hint === 'prefix') {
    const codes = present.map((v) => codeText(v, NAF_DIVISION)).filter((t): t is string => t !== undefined);
    return { ok: true, spec: { kind: 'prefix', length: NAF_DIVISION, values: frequent(codes, maxCategories, minCategory) } };
  }
  const texts = present.map(categoryText).filter((t): t is string => t !== undefined);
  const distinct = new Set(texts).size;
  if (texts.length >= 20 && distinct > texts.length / 2) {
    return { ok: false, reason: `identifier-like: ${distinct} distinct values in ${texts.length}` };
  }
  const kept = frequent(texts, maxCategories, minCategory);
  return { ok: true, spec: { kind: 'category', values: kept, labels: spellings(present, new Set(kept)) } };
}
