/**
 * Deterministic synthetic companies for the sandbox: French and European firms with the default
 * HubSpot company properties filled the way a real portal holds them (industry as HubSpot's
 * internal enumeration value, numbers as strings, some fields left empty).
 */
import { mulberry32 } from '../../domain/prng.ts';

/** A few options of HubSpot's default `industry` enumeration: internal value → display label. */
export const INDUSTRY_LABELS = {
  COMPUTER_SOFTWARE: 'Computer Software',
  INFORMATION_TECHNOLOGY_AND_SERVICES: 'Information Technology and Services',
  FINANCIAL_SERVICES: 'Financial Services',
  MARKETING_AND_ADVERTISING: 'Marketing and Advertising',
  HOSPITAL_HEALTH_CARE: 'Hospital & Health Care',
  RETAIL: 'Retail',
  MECHANICAL_OR_INDUSTRIAL_ENGINEERING: 'Mechanical or Industrial Engineering',
  LOGISTICS_AND_SUPPLY_CHAIN: 'Logistics and Supply Chain',
  MANAGEMENT_CONSULTING: 'Management Consulting',
  FOOD_BEVERAGES: 'Food & Beverages',
  CONSTRUCTION: 'Construction',
  E_LEARNING: 'E-Learning',
  INTERNET: 'Internet',
  TELECOMMUNICATIONS: 'Telecommunications',
} as const;

/** HubSpot's internal values for the default `industry` enumeration (the sandbox's options). */
export const INDUSTRIES = Object.keys(INDUSTRY_LABELS) as Array<keyof typeof INDUSTRY_LABELS>;

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

const FIRST_NAMES = [
  'Hélène', 'Jérôme', 'François', 'Anaïs', 'Zoé', 'Léa', 'Mathis', 'Camille', 'Nicolas', 'Sophie', 'Thomas', 'Chloé',
  'Benoît', 'Maëlle', 'Gaël', 'Inès', 'Julien', 'Émilie', 'Karim', 'Fatou', 'Olivia', 'James', 'Emma', 'Lukas', 'Sofía', 'Noah',
];
const LAST_NAMES = [
  'Dupont', 'Lefèvre', 'Martin', 'Bernard', 'Moreau', 'Girard', 'Benali', 'Nguyen', 'Da Silva', 'Le Goff', 'Rousseau',
  "O'Brien", 'Smith', 'Müller', 'García', 'Rossi', 'Janssens', 'Van Dijk', 'Faure', 'Chevalier', 'Diallo', 'Perrin',
];

/**
 * Job titles as people type them in a CRM: French and English, accents, abbreviations (DG, DAF, DSI,
 * CTO), "Head of …", assistants and interns (whom a model usually ignores), and some odd spacing.
 */
export const JOB_TITLES = [
  'Directeur Général', 'Directrice Générale', 'DG', 'DG adjoint', 'CEO', 'Président', 'Fondateur & CEO', 'Co-founder',
  'DAF', 'Directrice administrative et financière', 'CFO', 'Responsable achats', 'Acheteuse', 'Head of Procurement',
  'DSI', "Directeur des systèmes d'information", 'CTO', 'Head of Engineering', 'Head of Sales', 'VP Sales',
  'Développeur', 'Développeuse full-stack', 'Ingénieur logiciel', 'Software Engineer', 'Architecte SI', 'Lead dev',
  'Assistante de direction', 'Assistant commercial', 'Stagiaire marketing', 'Intern', 'Alternant développeur',
  'Office manager', 'Responsable RH', 'Chef de projet', 'Comptable', '  responsable   achats ',
] as const;

/** HubSpot's internal `hs_buying_role` values (see `BUYING_ROLES` in properties.ts). */
const ROLE_VALUES = ['BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'LEGAL_AND_COMPLIANCE', 'BLOCKER', 'OTHER'];

const PERSONAL_DOMAINS = ['gmail.com', 'outlook.fr', 'orange.fr', 'proton.me'];

export interface SyntheticContact {
  properties: Record<string, string | null>;
  /** Companies to associate, the first one being the primary when `primary`. Empty: no company. */
  companyIds: string[];
  primary: boolean;
}

/**
 * About `perCompany` contacts per company (1 to 2·perCompany−1 each, deterministic for a seed): 8% without
 * a job title, about a quarter with one or two `hs_buying_role` values, 5% also linked to a second company
 * (the first stays primary, whichever id is lower), 8% linked without a primary label, and 3% more
 * contacts with no company at all.
 */
export function syntheticContacts(companies: ReadonlyArray<{ id: string; domain: string | null }>, perCompany = 3, seed = 42): SyntheticContact[] {
  const rand = mulberry32(seed ^ 0x5eed);
  const out: SyntheticContact[] = [];
  const person = (domain: string | null): Record<string, string | null> => {
    const first = pick(rand, FIRST_NAMES);
    const last = pick(rand, LAST_NAMES);
    const roles = rand() < 0.25 ? [...new Set([pick(rand, ROLE_VALUES), ...(rand() < 0.3 ? [pick(rand, ROLE_VALUES)] : [])])] : [];
    return {
      firstname: first,
      lastname: last,
      email: `${slug(first)}.${slug(last)}${out.length}@${domain ?? pick(rand, PERSONAL_DOMAINS)}`,
      jobtitle: rand() < 0.08 ? null : pick(rand, JOB_TITLES),
      hs_buying_role: roles.length > 0 ? roles.join(';') : null,
    };
  };
  const span = Math.max(1, 2 * perCompany - 1);
  for (const company of companies) {
    const n = 1 + Math.floor(rand() * span);
    for (let k = 0; k < n; k += 1) {
      const properties = person(company.domain);
      const companyIds = [company.id];
      if (companies.length > 1 && rand() < 0.05) {
        const other = pick(rand, companies).id;
        if (other !== company.id) companyIds.push(other);
      }
      out.push({ properties, companyIds, primary: rand() >= 0.08 });
    }
  }
  const loners = Math.max(companies.length > 0 ? 1 : 0, Math.round(out.length * 0.03));
  for (let i = 0; i < loners; i += 1) out.push({ properties: person(null), companyIds: [], primary: false });
  return out;
}
