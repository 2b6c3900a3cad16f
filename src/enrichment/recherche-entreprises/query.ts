/**
 * What to ask the registry for a CRM record: a SIRET or SIREN when a mapped field holds one
 * (`siret`, `siren`, or a French `vat_number`), otherwise a name with a postal code or a
 * département. Pure.
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

/** The Luhn check INSEE numbers (SIREN, SIRET) carry. */
export function luhnValid(d: string): boolean {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}

const FR_VAT = /^FR\s*[0-9A-Z]{2}\s*((?:\d\s*){9})$/i;

/**
 * A SIREN or SIRET as typed in a CRM: digits with spaces, dots or dashes; a French VAT number
 * (`FR 12 812345672` holds the SIREN); or a number that lost its leading zero in a spreadsheet
 * (8 or 13 digits, restored only when the Luhn check then passes).
 */
export function companyIdentifier(v: unknown): Extract<RegistryQuery, { kind: 'siren' | 'siret' }> | undefined {
  const t = text(v);
  if (t === undefined) return undefined;
  const vat = FR_VAT.exec(t.replace(/[.\-\u00a0]/g, ' ').trim());
  if (vat?.[1]) return { kind: 'siren', siren: vat[1].replace(/\D/g, '') };
  let d = digits(t);
  if (d === undefined) return undefined;
  if ((d.length === 8 || d.length === 13) && luhnValid(`0${d}`)) d = `0${d}`;
  if (d.length === 14) return { kind: 'siret', siret: d };
  if (d.length === 9) return { kind: 'siren', siren: d };
  return undefined;
}

/** The registry query for a record, or `null` when it holds nothing the registry can use. */
export function registryQuery(known: Attributes): RegistryQuery | null {
  for (const field of ['siret', 'siren', 'vat_number'] as const) {
    const id = companyIdentifier(known[field]);
    if (id) return id;
  }
  const country = text(known.country)?.toUpperCase();
  if (country !== undefined && !FRENCH.has(country)) return null;
  const name = text(known.name);
  if (name === undefined) return null;
  const terms = searchTerms(name);
  if (terms.replace(/\s/g, '').length < 2) return null;
  const pcDigits = digits(known.postal_code);
  // Spreadsheets drop the leading zero of 01000–09999.
  const pc = pcDigits?.length === 4 ? `0${pcDigits}` : pcDigits;
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
