/**
 * Checks of the ICP model that span several values (uniqueness, a tier at 0, band bounds, keys that
 * collide once normalised). They read the raw document defensively so that they report alongside
 * the shape errors: the user sees every problem in one run.
 */
import { normalizeCode, normalizeText } from './normalize.ts';
import { type PathSegment, problem } from './model-problems.ts';
import { asArray, asRecord, checkUniqueIds } from './raw-document.ts';
import { checkRoles } from './role-checks.ts';

function checkTiers(file: string, doc: Record<string, unknown>, key: 'tiers' | 'priorityTiers', out: string[]): void {
  const tiers = asArray(doc[key]);
  checkUniqueIds(file, tiers, [key], 'name', 'tier name', out);
  const mins = new Map<number, number>();
  let hasZero = false;
  tiers.forEach((tier, i) => {
    const min = asRecord(tier)?.['min'];
    if (typeof min !== 'number') return;
    if (min === 0) hasZero = true;
    const first = mins.get(min);
    if (first === undefined) mins.set(min, i);
    else out.push(problem(file, [key, i, 'min'], `min ${min} is already used by ${key}[${first}]`));
  });
  if (tiers.length > 0 && !hasZero) {
    const what = key === 'tiers' ? 'every score gets a tier' : 'every priority gets a tier';
    out.push(problem(file, [key], `one tier must have min 0, so that ${what}`));
  }
  const excluded = doc['excludedTier'] ?? 'X';
  if (typeof excluded === 'string' && tiers.some((t) => asRecord(t)?.['name'] === excluded)) {
    const where = doc['excludedTier'] === undefined ? [key] : ['excludedTier'];
    const name = key === 'tiers' ? 'a tier name' : 'a priority tier name (excluded accounts give that priority tier)';
    out.push(problem(file, where, `excluded tier ${JSON.stringify(excluded)} is also ${name}; rename one of them`));
  }
}

function checkKeys(
  file: string,
  path: readonly PathSegment[],
  values: Record<string, unknown>,
  normalise: (s: string) => string,
  out: string[],
): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(values)) {
    const norm = normalise(key);
    if (norm === '') {
      out.push(problem(file, [...path, key], 'key is empty once normalised'));
      continue;
    }
    const first = seen.get(norm);
    if (first === undefined) seen.set(norm, key);
    else out.push(problem(file, [...path, key], `same as ${JSON.stringify(first)} once normalised (${JSON.stringify(norm)})`));
  }
}

function checkMatcher(file: string, path: readonly PathSegment[], match: unknown, out: string[]): void {
  const m = asRecord(match);
  if (m === undefined) return;
  const values = asRecord(m['values']);
  if (m['kind'] === 'category' && values !== undefined) checkKeys(file, [...path, 'values'], values, normalizeText, out);
  if (m['kind'] === 'prefix' && values !== undefined) checkKeys(file, [...path, 'values'], values, normalizeCode, out);
  if (m['kind'] === 'range') {
    asArray(m['bands']).forEach((b, i) => {
      const band = asRecord(b);
      if (band === undefined) return;
      const { min, max } = band;
      const bandPath = [...path, 'bands', i];
      if (min === undefined && max === undefined) {
        out.push(problem(file, bandPath, 'needs min or max (or both); use default for values in no band'));
      } else if (typeof min === 'number' && typeof max === 'number' && min > max) {
        out.push(problem(file, bandPath, `min (${min}) must be ≤ max (${max})`));
      }
    });
  }
}

/** Cross-value problems of a raw model document, already formatted. */
export function checkModelSemantics(file: string, raw: unknown): string[] {
  const doc = asRecord(raw);
  if (doc === undefined) return [];
  const out: string[] = [];
  checkTiers(file, doc, 'tiers', out);
  checkTiers(file, doc, 'priorityTiers', out);
  out.push(...checkRoles(file, doc));
  const criteria = asArray(doc['criteria']);
  checkUniqueIds(file, criteria, ['criteria'], 'id', 'criterion id', out);
  criteria.forEach((c, i) => checkMatcher(file, ['criteria', i, 'match'], asRecord(c)?.['match'], out));
  const exclusions = asArray(doc['exclusions']);
  checkUniqueIds(file, exclusions, ['exclusions'], 'id', 'exclusion id', out);
  exclusions.forEach((e, i) => checkMatcher(file, ['exclusions', i, 'match'], asRecord(e)?.['match'], out));
  return out;
}
