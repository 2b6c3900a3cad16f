/** Deterministic, realistic Accounts and Leads for the sandbox (same seed, same records). */
import { mulberry32 } from '../../domain/prng.ts';

// Salesforce's standard Industry picklist values.
const INDUSTRIES = [
  'Technology', 'Finance', 'Banking', 'Manufacturing', 'Retail', 'Healthcare', 'Consulting', 'Education',
  'Telecommunications', 'Energy', 'Transportation', 'Media', 'Insurance', 'Construction', null,
] as const;

const PLACES: ReadonlyArray<{ country: string; code: string; state: string | null; city: string }> = [
  { country: 'France', code: 'FR', state: null, city: 'Paris' },
  { country: 'France', code: 'FR', state: null, city: 'Lyon' },
  { country: 'France', code: 'FR', state: null, city: 'Nantes' },
  { country: 'United States', code: 'US', state: 'CA', city: 'San Francisco' },
  { country: 'United States', code: 'US', state: 'NY', city: 'New York' },
  { country: 'Germany', code: 'DE', state: null, city: 'Berlin' },
  { country: 'United Kingdom', code: 'GB', state: null, city: 'London' },
  { country: 'Spain', code: 'ES', state: null, city: 'Madrid' },
  { country: 'Belgium', code: 'BE', state: null, city: 'Brussels' },
  { country: 'Canada', code: 'CA', state: 'QC', city: 'Montreal' },
];

const NAME_A = ['Nova', 'Blue', 'Atlas', 'Lumen', 'Cobalt', 'Vertex', 'Alto', 'Kappa', 'Orbit', 'Sable', 'Tessera', 'Helio'];
const NAME_B = ['Soft', 'Data', 'Logic', 'Works', 'Labs', 'Systems', 'Cloud', 'Metrics', 'Stack', 'Flow', 'Bridge', 'Grid'];
const SUFFIX = ['SAS', 'SA', 'Inc.', 'GmbH', 'Ltd', 'SARL'];

export interface SeedAccount {
  Name: string;
  Website: string | null;
  Industry: string | null;
  NumberOfEmployees: number | null;
  AnnualRevenue: number | null;
  BillingCountry: string | null;
  BillingCountryCode: string | null;
  BillingState: string | null;
  BillingCity: string | null;
  YearStarted: string | null;
}

export interface SeedLead {
  LastName: string;
  Company: string;
  Website: string | null;
  Industry: string | null;
  NumberOfEmployees: number | null;
  AnnualRevenue: number | null;
  Country: string | null;
  CountryCode: string | null;
  State: string | null;
  City: string | null;
  Status: string;
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function company(rnd: () => number, i: number) {
  const name = `${pick(rnd, NAME_A)}${pick(rnd, NAME_B)} ${i} ${pick(rnd, SUFFIX)}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const employees = rnd() < 0.08 ? null : Math.max(1, Math.round(Math.exp(rnd() * 9)));
  const place = pick(rnd, PLACES);
  return {
    name,
    website: rnd() < 0.1 ? null : `https://www.${slug}.example`,
    industry: pick(rnd, INDUSTRIES),
    employees,
    revenue: employees === null || rnd() < 0.15 ? null : Math.round(employees * (60_000 + rnd() * 140_000)),
    place: rnd() < 0.05 ? null : place,
  };
}

export function seedAccounts(n: number, seed: number): SeedAccount[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const c = company(rnd, i + 1);
    return {
      Name: c.name,
      Website: c.website,
      Industry: c.industry,
      NumberOfEmployees: c.employees,
      AnnualRevenue: c.revenue,
      BillingCountry: c.place?.country ?? null,
      BillingCountryCode: c.place?.code ?? null,
      BillingState: c.place?.state ?? null,
      BillingCity: c.place?.city ?? null,
      YearStarted: rnd() < 0.3 ? null : String(1950 + Math.floor(rnd() * 75)),
    };
  });
}

export function seedLeads(n: number, seed: number): SeedLead[] {
  const rnd = mulberry32(seed ^ 0x5f3759df);
  return Array.from({ length: n }, (_, i) => {
    const c = company(rnd, i + 1);
    return {
      LastName: `Lead ${String(i + 1).padStart(5, '0')}`,
      Company: c.name,
      Website: c.website,
      Industry: c.industry,
      NumberOfEmployees: c.employees,
      AnnualRevenue: c.revenue,
      Country: c.place?.country ?? null,
      CountryCode: c.place?.code ?? null,
      State: c.place?.state ?? null,
      City: c.place?.city ?? null,
      Status: pick(rnd, ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted']),
    };
  });
}
