/**
 * Deterministic synthetic companies for the sandbox: French and European firms with the default
 * HubSpot company properties filled the way a real portal holds them (industry as HubSpot's
 * internal enumeration value, numbers as strings, some fields left empty).
 */
import { mulberry32 } from '../../domain/prng.ts';

/** A few of HubSpot's internal values for the default `industry` enumeration. */
export const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'FINANCIAL_SERVICES',
  'MARKETING_AND_ADVERTISING',
  'HOSPITAL_HEALTH_CARE',
  'RETAIL',
  'MECHANICAL_OR_INDUSTRIAL_ENGINEERING',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'MANAGEMENT_CONSULTING',
  'FOOD_BEVERAGES',
  'CONSTRUCTION',
  'E_LEARNING',
  'INTERNET',
  'TELECOMMUNICATIONS',
] as const;

const PLACES: ReadonlyArray<readonly [country: string, city: string, state: string]> = [
  ['France', 'Paris', 'Île-de-France'],
  ['France', 'Lyon', 'Auvergne-Rhône-Alpes'],
  ['France', 'Nantes', 'Pays de la Loire'],
  ['France', 'Bordeaux', 'Nouvelle-Aquitaine'],
  ['France', 'Lille', 'Hauts-de-France'],
  ['France', 'Toulouse', 'Occitanie'],
  ['France', 'Marseille', "Provence-Alpes-Côte d'Azur"],
  ['France', 'Rennes', 'Bretagne'],
  ['Belgium', 'Bruxelles', 'Bruxelles-Capitale'],
  ['Switzerland', 'Genève', 'Genève'],
  ['Germany', 'Berlin', 'Berlin'],
  ['Spain', 'Madrid', 'Madrid'],
  ['Italy', 'Milano', 'Lombardia'],
  ['Netherlands', 'Amsterdam', 'Noord-Holland'],
  ['United Kingdom', 'London', 'England'],
  ['United States', 'Boston', 'Massachusetts'],
];

const PREFIXES = ['Atelier', 'Groupe', 'Studio', 'Maison', 'Lab', 'Cap', 'Nova', 'Hexa', 'Alpha', 'Les Ateliers', 'Bureau', 'Agence'];
const ROOTS = ['Lumière', 'Horizon', 'Azur', 'Boréal', 'Cobalt', 'Tilleul', 'Ventoux', 'Garonne', 'Vauban', 'Iroise', 'Sirius', 'Orion', 'Mistral', 'Cévennes', 'Belledonne', 'Arverne', 'Loire', 'Rhône', 'Sequana', 'Opale'];
const SUFFIXES = ['Conseil', 'Logiciels', 'Systèmes', 'Data', 'Industrie', 'Services', 'Solutions', 'Digital', 'Santé', 'Finance', 'SAS', 'SA', 'Technologies', 'Distribution'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Employee counts follow a long tail: many small firms, few large ones. */
function employees(rand: () => number): number {
  const r = rand();
  if (r < 0.35) return 2 + Math.floor(rand() * 18);
  if (r < 0.7) return 20 + Math.floor(rand() * 180);
  if (r < 0.92) return 200 + Math.floor(rand() * 1800);
  return 2000 + Math.floor(rand() * 48000);
}

const TLD: Record<string, string> = {
  France: 'fr',
  Belgium: 'be',
  Switzerland: 'ch',
  Germany: 'de',
  Spain: 'es',
  Italy: 'it',
  Netherlands: 'nl',
  'United Kingdom': 'co.uk',
  'United States': 'com',
};

/**
 * `count` synthetic companies' properties (no ids). About 8% lack an industry, 6% lack an employee
 * count and 10% lack a revenue, as real portals do.
 */
export function syntheticCompanies(count: number, seed = 42): Array<Record<string, string | null>> {
  const rand = mulberry32(seed);
  const out: Array<Record<string, string | null>> = [];
  const usedDomains = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const name = `${pick(rand, PREFIXES)} ${pick(rand, ROOTS)} ${pick(rand, SUFFIXES)}`;
    const [country, city, state] = pick(rand, PLACES);
    let domain = `${slug(name)}.${TLD[country] ?? 'eu'}`;
    if (usedDomains.has(domain)) domain = `${slug(name)}-${i}.${TLD[country] ?? 'eu'}`;
    usedDomains.add(domain);
    const staff = employees(rand);
    const revenuePerHead = 60_000 + Math.floor(rand() * 140_000);
    out.push({
      name,
      domain,
      industry: rand() < 0.08 ? null : pick(rand, INDUSTRIES),
      numberofemployees: rand() < 0.06 ? null : String(staff),
      annualrevenue: rand() < 0.1 ? null : String(Math.round((staff * revenuePerHead) / 1000) * 1000),
      country,
      city,
      state,
      founded_year: rand() < 0.2 ? null : String(1950 + Math.floor(rand() * 74)),
    });
  }
  return out;
}
