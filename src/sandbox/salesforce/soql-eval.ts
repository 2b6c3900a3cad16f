/** Evaluates parsed SOQL (see `soql.ts`) over plain rows: WHERE conditions and ORDER BY. */
import { LITERAL_MARK, type Condition, type Literal, type OrderBy } from './soql.ts';

type Row = Readonly<Record<string, unknown>>;

function fieldValue(row: Row, field: string): unknown {
  const key = Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase());
  return key === undefined ? null : (row[key] ?? null);
}

/** Comparable form: datetimes as ms, numbers as numbers, the rest as strings. */
function comparable(v: unknown, like: Literal): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (like !== null && typeof like === 'object') return typeof v === 'string' ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number(v);
  if (typeof like === 'number') return Number(v);
  if (typeof like === 'boolean') return v === true || v === 'true';
  return String(v);
}

function litValue(l: Literal): number | string | boolean | null {
  if (l !== null && typeof l === 'object') return l.datetime;
  return l;
}

export function matches(row: Row, cond: Condition | undefined): boolean {
  if (!cond) return true;
  switch (cond.kind) {
    case 'and':
      return cond.parts.every((p) => matches(row, p));
    case 'or':
      return cond.parts.some((p) => matches(row, p));
    case 'not':
      return !matches(row, cond.inner);
    case 'cmp': {
      const a = comparable(fieldValue(row, cond.field), cond.value);
      const b = litValue(cond.value);
      if (cond.op === '=') return a === b;
      if (cond.op === '!=') return a !== b;
      if (a === null || b === null) return false;
      if (cond.op === '<') return a < b;
      if (cond.op === '<=') return a <= b;
      if (cond.op === '>') return a > b;
      return a >= b;
    }
    case 'in': {
      const hit = cond.values.some((v) => comparable(fieldValue(row, cond.field), v) === litValue(v));
      return cond.negate ? !hit : hit;
    }
    case 'like': {
      const v = fieldValue(row, cond.field);
      if (v === null) return false;
      return likePattern(cond.pattern).test(String(v));
    }
    case 'includes': {
      const have = new Set(String(fieldValue(row, cond.field) ?? '').split(';').filter(Boolean));
      const hit = cond.values.some((spec) => spec.split(';').every((s) => have.has(s)));
      return cond.negate ? !hit : hit;
    }
  }
}

/** A LIKE pattern as a regular expression: `%` any run, `_` one character, an escaped one itself; case-insensitive. */
export function likePattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === LITERAL_MARK && i + 1 < pattern.length) {
      i += 1;
      out += escapeRegExp(pattern.charAt(i));
    } else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, 'i');
}

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function compareRows(a: Row, b: Row, orderBy: readonly OrderBy[]): number {
  for (const o of orderBy) {
    const va = fieldValue(a, o.field);
    const vb = fieldValue(b, o.field);
    if (va === vb) continue;
    if (va === null) return o.nullsLast ? 1 : -1;
    if (vb === null) return o.nullsLast ? -1 : 1;
    const na = typeof va === 'number' ? va : String(va);
    const nb = typeof vb === 'number' ? vb : String(vb);
    if (na === nb) continue;
    const r = na < nb ? -1 : 1;
    return o.desc ? -r : r;
  }
  return 0;
}
