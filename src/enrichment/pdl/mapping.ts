/**
 * People Data Labs company → our attributes. Pure; the clock is passed in.
 * Canonical values: `size` (`1-10` … `10001+`), `inferred_revenue` (`$0-$1M` … `$10B+`, USD).
 */
import type { PdlCompany } from './schema.ts';

/** Representative headcount of a PDL `size` band: rounded midpoint, lower bound for `10001+`. */
export const PDL_SIZE_EMPLOYEES: Readonly<Record<string, number>> = {
  '1-10': 6,
  '11-50': 31,
  '51-200': 126,
  '201-500': 351,
  '501-1000': 751,
  '1001-5000': 3001,
  '5001-10000': 7501,
  '10001+': 10001,
};

/** Representative revenue (USD) of a PDL `inferred_revenue` range: midpoint, lower bound for `$10B+`. */
export const PDL_REVENUE_USD: Readonly<Record<string, number>> = {
  '$0-$1M': 500_000,
  '$1M-$10M': 5_500_000,
  '$10M-$25M': 17_500_000,
  '$25M-$50M': 37_500_000,
  '$50M-$100M': 75_000_000,
  '$100M-$250M': 175_000_000,
  '$250M-$500M': 375_000_000,
  '$500M-$1B': 750_000_000,
  '$1B-$10B': 5_500_000_000,
  '$10B+': 10_000_000_000,
};

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

export function mapPdlCompany(c: PdlCompany, now: Date): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  if (present(c.industry)) a.industry = c.industry;
  if (present(c.size)) a.employees_band = c.size;
  if (typeof c.employee_count === 'number') a.employees = c.employee_count;
  else if (present(c.size) && PDL_SIZE_EMPLOYEES[c.size] !== undefined) a.employees = PDL_SIZE_EMPLOYEES[c.size];
  if (present(c.inferred_revenue)) {
    a.revenue_range = c.inferred_revenue;
    const usd = PDL_REVENUE_USD[c.inferred_revenue];
    if (usd !== undefined) a.annual_revenue = usd;
  }
  if (typeof c.founded === 'number' && Number.isInteger(c.founded)) {
    a.founded_year = c.founded;
    const age = now.getUTCFullYear() - c.founded;
    if (age >= 0) a.company_age_years = age;
  }
  if (c.tags && c.tags.length > 0) a.tags = c.tags;
  const naics = (c.naics ?? []).map((n) => n.naics_code).filter(present);
  if (naics.length > 0) a.naics = naics;
  const sic = (c.sic ?? []).map((s) => s.sic_code).filter(present);
  if (sic.length > 0) a.sic = sic;
  if (present(c.website)) a.domain = c.website;
  if (present(c.type)) a.company_type = c.type;
  return a;
}
