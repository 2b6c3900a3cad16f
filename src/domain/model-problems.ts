/**
 * Turns validation findings into the lines RevOps reads: `file: path.in.document: what is wrong`
 * (PRODUCT.md §2), e.g. `icp.yaml: criteria[2].weight: must be > 0`.
 */
import type { z } from 'zod';

export type PathSegment = string | number | symbol;

/** `["criteria", 2, "weight"]` → `criteria[2].weight`; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

export function problem(file: string, path: readonly PathSegment[], what: string): string {
  const where = formatPath(path);
  return where === '' ? `${file}: ${what}` : `${file}: ${where}: ${what}`;
}

/** Every key the model format knows, to suggest the intended one for a typo (`wieght`). */
const KNOWN_KEYS = [
  'version', 'name', 'tiers', 'excludedTier', 'criteria', 'exclusions', 'min', 'max', 'label', 'id',
  'attribute', 'weight', 'tag', 'tagAt', 'match', 'kind', 'values', 'default', 'bands', 'points',
  'ifTrue', 'ifFalse', 'reason', 'roles', 'priorityTiers', 'ignoreTitles', 'defaultPoints', 'list',
  'required', 'titles', 'hubspot', 'salesforce',
];

/** Edits between two words, a swap of neighbours counting as one (optimal string alignment). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The candidate within 2 edits of `word` (case aside), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of candidates) {
    const d = editDistance(lower, known.toLowerCase());
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
};

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `the text ${JSON.stringify(input)}`;
  return String(input);
}

/** Error map used for every parse of the model: schema-level messages still win over it. */
export const modelErrorMap: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type') {
    if (iss.input === undefined) return 'is required';
    const want = TYPE_WORDS[iss.expected] ?? iss.expected;
    return `must be ${want}, not ${describeInput(iss.input)}`;
  }
  if (iss.code === 'invalid_union' && 'discriminator' in iss && typeof iss.discriminator === 'string') {
    const options = Array.isArray(iss.options) ? iss.options.map((o) => JSON.stringify(o)).join(', ') : '';
    // The issue carries the whole object; name the discriminator's own value.
    const input = iss.input;
    const value =
      typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[iss.discriminator] : input;
    if (value === undefined) return `is required (one of ${options})`;
    const known = Array.isArray(iss.options) ? iss.options.map(String) : [];
    const hint = typeof value === 'string' ? closest(value, known) : undefined;
    return `must be one of ${options}, not ${describeInput(value)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`;
  }
  return undefined;
};

/** One line per problem; an `unrecognized_keys` issue becomes one line per unknown key. */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const hint = closest(key, KNOWN_KEYS);
        const tail = hint === undefined ? '' : ` (did you mean "${hint}"?)`;
        out.push(problem(file, iss.path, `unknown key ${JSON.stringify(key)}${tail}`));
      }
    } else {
      out.push(problem(file, iss.path, iss.message));
    }
  }
  return out;
}
