/**
 * What to ask the registry for a CRM record: a SIRET or SIREN when a mapped field holds one,
 * otherwise a name with a postal code or a département. Pure.
 */
import type { Attributes } from '../../domain/types.ts';
import { departmentOfPostalCode, nameTokens, normalizeCity, normalizeDepartment } from '../matching.ts';

export type RegistryQuery =
  | { kind: 'siret'; siret: string }
  | { kind: 'siren'; siren: string }
  | { kind: 'name'; name: string; terms: string; postalCode?: string; department?: string; city?: string };

/** Countries whose companies sit in the French registry (France and its overseas territories). */
const FRENCH = new Set(['FR', 'FRA', 'FRANCE', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF']);

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

/** Digits of an identifier as typed in a CRM (`356 000 000 00048` → `35600000000048`). */
function digits(v: unknown): string | undefined {
  const t = text(v);
  if (t === undefined || !/^[\d\s.\-\u00a0]+$/.test(t)) return undefined;
  return t.replace(/\D/g, '');
}

/**
 * Search words for a company name: accents folded, punctuation dropped, legal forms removed
 * (`"ACME S.A.S."` → `"acme"`); the registry rejects terms under 3 characters without a filter.
 */
export function searchTerms(name: string): string {
  return nameTokens(name).join(' ');
}

/** The registry query for a record, or `null` when it holds nothing the registry can use. */
export function registryQuery(known: Attributes): RegistryQuery | null {
  for (const field of ['siret', 'siren'] as const) {
    const d = digits(known[field]);
    if (d?.length === 14) return { kind: 'siret', siret: d };
    if (d?.length === 9) return { kind: 'siren', siren: d };
  }
  const country = text(known.country)?.toUpperCase();
  if (country !== undefined && !FRENCH.has(country)) return null;
  const name = text(known.name);
  if (name === undefined) return null;
  const terms = searchTerms(name);
  if (terms.replace(/\s/g, '').length < 2) return null;
  const pc = digits(known.postal_code);
  const postalCode = pc?.length === 5 && departmentOfPostalCode(pc) ? pc : undefined;
  const deptText = text(known.department) ?? text(known.state);
  const department = (postalCode ? departmentOfPostalCode(postalCode) : undefined) ?? (deptText ? normalizeDepartment(deptText) : undefined);
  // Without a place, a name alone matches homonyms all over France: no search.
  if (postalCode === undefined && department === undefined) return null;
  const city = text(known.city);
  return {
    kind: 'name',
    name,
    terms,
    ...(postalCode ? { postalCode } : {}),
    ...(department ? { department } : {}),
    ...(city ? { city } : {}),
  };
}

/** Stable cache key of a query (the threshold is part of it: a new threshold re-decides matches). */
export function registryQueryKey(q: RegistryQuery, threshold: number): string {
  if (q.kind === 'siret') return `siret:${q.siret}`;
  if (q.kind === 'siren') return `siren:${q.siren}`;
  const city = q.city ? normalizeCity(q.city) : '';
  return `name:${q.terms}|pc:${q.postalCode ?? ''}|dep:${q.department ?? ''}|city:${city}|t:${threshold}`;
}
