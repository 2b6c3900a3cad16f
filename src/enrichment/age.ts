/**
 * `company_age_years` depends on the day it is read, so it is never cached: the cache keeps the
 * creation date (`founded_on`, `YYYY-MM-DD`, from the registry) or year (`founded_year`, from
 * PDL) and the age is computed from it whenever an answer is read.
 */
import type { Attributes } from '../domain/types.ts';
import type { EnrichedAttributes } from './port.ts';

export const AGE = 'company_age_years';

/** Whole years from an ISO date (`YYYY-MM-DD`) to `now`; undefined for a bad or future date. */
export function yearsSince(isoDate: string, now: Date): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = now.getUTCFullYear() - y;
  const beforeAnniversary = now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d);
  if (beforeAnniversary) age--;
  return age >= 0 ? age : undefined;
}

/** The age at `now`: whole years from `founded_on`, else calendar years from `founded_year`. */
export function companyAge(attributes: Attributes, now: Date): number | undefined {
  const on = attributes['founded_on'];
  if (typeof on === 'string') return yearsSince(on, now);
  const year = attributes['founded_year'];
  if (typeof year === 'number' && Number.isInteger(year)) {
    const age = now.getUTCFullYear() - year;
    return age >= 0 ? age : undefined;
  }
  return undefined;
}

/** The answer without its age (what the cache stores). */
export function withoutAge(v: EnrichedAttributes): EnrichedAttributes {
  if (!(AGE in v.attributes) && !(AGE in v.provenance)) return v;
  const { [AGE]: _a, ...attributes } = v.attributes;
  const { [AGE]: _p, ...provenance } = v.provenance;
  return { ...v, attributes, provenance };
}

/** The answer with its age computed at `now`, with the provenance of the date it comes from. */
export function withAge(v: EnrichedAttributes, now: Date): EnrichedAttributes {
  const age = companyAge(v.attributes, now);
  const base = withoutAge(v);
  if (age === undefined) return base;
  const from = v.provenance['founded_on'] ?? v.provenance['founded_year'];
  return { ...base, attributes: { ...base.attributes, [AGE]: age }, provenance: from ? { ...base.provenance, [AGE]: from } : base.provenance };
}
