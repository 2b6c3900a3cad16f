/**
 * Deterministic synthetic companies for the sandbox: French and European firms with the default
 * HubSpot company properties filled the way a real portal holds them (industry as HubSpot's
 * internal enumeration value, numbers as strings, some fields left empty), and what the French
 * company registry knows of the French ones (for the demo's registry stand-in).
 */
import { mulberry32 } from '../../domain/prng.ts';
import type { RegistryFacts } from '../registry/directory.ts';

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

/** Where companies sit: French places with their postal code (for registry matches), then abroad. */
const FRENCH_PLACES: ReadonlyArray<readonly [city: string, state: string, zip: string]> = [
  ['Paris', 'Île-de-France', '75008'],
  ['Lyon', 'Auvergne-Rhône-Alpes', '69002'],
  ['Nantes', 'Pays de la Loire', '44000'],
  ['Bordeaux', 'Nouvelle-Aquitaine', '33000'],
  ['Lille', 'Hauts-de-France', '59000'],
  ['Toulouse', 'Occitanie', '31000'],
  ['Marseille', "Provence-Alpes-Côte d'Azur", '13001'],
  ['Rennes', 'Bretagne', '35000'],
];
const FOREIGN_PLACES: ReadonlyArray<readonly [country: string, city: string, state: string, zip: string]> = [
  ['Belgium', 'Bruxelles', 'Bruxelles-Capitale', '1000'],
  ['Switzerland', 'Genève', 'Genève', '1201'],
  ['Germany', 'Berlin', 'Berlin', '10115'],
  ['Spain', 'Madrid', 'Madrid', '28001'],
  ['Italy', 'Milano', 'Lombardia', '20121'],
  ['Netherlands', 'Amsterdam', 'Noord-Holland', '1012 AB'],
  ['United Kingdom', 'London', 'England', 'EC1A 1BB'],
  ['United States', 'Boston', 'Massachusetts', '02108'],
];

/**
 * Market segments, each with its HubSpot industries and the NAF code the French registry holds for
 * them: tech firms (the example model's core target), neighbouring services, and the rest.
 */
type Segment = 'tech' | 'services' | 'other';
const SECTORS: Readonly<Record<Segment, ReadonlyArray<readonly [industry: keyof typeof INDUSTRY_LABELS, naf: string]>>> = {
  tech: [
    ['COMPUTER_SOFTWARE', '58.29C'],
    ['COMPUTER_SOFTWARE', '62.01Z'],
    ['INFORMATION_TECHNOLOGY_AND_SERVICES', '62.02A'],
    ['INTERNET', '63.12Z'],
  ],
  services: [
    ['MARKETING_AND_ADVERTISING', '73.11Z'],
    ['MANAGEMENT_CONSULTING', '70.22Z'],
    ['FINANCIAL_SERVICES', '64.19Z'],
    ['E_LEARNING', '85.59A'],
    ['TELECOMMUNICATIONS', '61.10Z'],
  ],
  other: [
    ['HOSPITAL_HEALTH_CARE', '86.10Z'],
    ['RETAIL', '47.19B'],
    ['MECHANICAL_OR_INDUSTRIAL_ENGINEERING', '28.29B'],
    ['LOGISTICS_AND_SUPPLY_CHAIN', '52.29A'],
    ['FOOD_BEVERAGES', '10.89Z'],
    ['CONSTRUCTION', '41.20A'],
  ],
};

const PREFIXES = ['Atelier', 'Groupe', 'Studio', 'Maison', 'Lab', 'Cap', 'Nova', 'Hexa', 'Alpha', 'Les Ateliers', 'Bureau', 'Agence'];
const ROOTS = ['Lumière', 'Horizon', 'Azur', 'Boréal', 'Cobalt', 'Tilleul', 'Ventoux', 'Garonne', 'Vauban', 'Iroise', 'Sirius', 'Orion', 'Mistral', 'Cévennes', 'Belledonne', 'Arverne', 'Loire', 'Rhône', 'Sequana', 'Opale'];
const SUFFIXES: Readonly<Record<Segment, readonly string[]>> = {
  tech: ['Logiciels', 'Systèmes', 'Data', 'Digital', 'Technologies', 'Solutions', 'Cloud'],
  services: ['Conseil', 'Services', 'Finance', 'Solutions', 'Formation', 'Média'],
  other: ['Industrie', 'Santé', 'Distribution', 'SAS', 'SA', 'Services', 'Bâtiment', 'Logistique'],
};

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

/** Headcounts: tech firms are mostly SMEs of 50 to 250; the rest follow a long tail of small firms. */
function employees(rand: () => number, segment: Segment): number {
  const r = rand();
  if (segment === 'tech') {
    if (r < 0.6) return 50 + Math.floor(rand() * 200);
    if (r < 0.78) return 250 + Math.floor(rand() * 600);
    if (r < 0.94) return 20 + Math.floor(rand() * 30);
    return 5 + Math.floor(rand() * 15);
  }
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

export interface SyntheticCompany {
  /** The company's HubSpot properties, as a portal holds them (some empty). */
  properties: Record<string, string | null>;
  /** A French company: what the national company registry knows of it (absent abroad). */
  registry?: RegistryFacts;
}

/**
 * `count` synthetic companies with what the French registry knows of the French ones (deterministic for a
 * seed). About 55 % are French, each with its postal code; a third are tech firms. About 8 % lack an
 * industry, 6 % an employee count, 10 % a revenue and 20 % a founding year, as real portals do; the
 * registry knows every French company's NAF code, headcount band and creation date, and that about 3 %
 * of them have ceased trading.
 */
export function syntheticFirms(count: number, seed = 42): SyntheticCompany[] {
  const rand = mulberry32(seed);
  const out: SyntheticCompany[] = [];
  const usedDomains = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const r = rand();
    const segment: Segment = r < 0.27 ? 'tech' : r < 0.57 ? 'services' : 'other';
    const french = rand() < 0.55;
    const [country, city, state, zip] = french ? ['France', ...pick(rand, FRENCH_PLACES)] : pick(rand, FOREIGN_PLACES);
    const name = `${pick(rand, PREFIXES)} ${pick(rand, ROOTS)} ${pick(rand, SUFFIXES[segment])}`;
    let domain = `${slug(name)}.${TLD[country] ?? 'eu'}`;
    if (usedDomains.has(domain)) domain = `${slug(name)}-${i}.${TLD[country] ?? 'eu'}`;
    usedDomains.add(domain);
    const [industry, naf] = pick(rand, SECTORS[segment]);
    const staff = employees(rand, segment);
    const revenuePerHead = 60_000 + Math.floor(rand() * 140_000);
    const revenue = Math.round((staff * revenuePerHead) / 1000) * 1000;
    const founded = segment === 'tech' ? 1996 + Math.floor(rand() * 26) : 1950 + Math.floor(rand() * 74);
    const createdOn = `${founded}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const closed = rand() < 0.03;
    const properties: Record<string, string | null> = {
      name,
      domain,
      industry: rand() < 0.08 ? null : industry,
      numberofemployees: rand() < 0.06 ? null : String(staff),
      annualrevenue: rand() < 0.1 ? null : String(revenue),
      country,
      city,
      state,
      zip: rand() < 0.05 ? null : zip,
      founded_year: rand() < 0.2 ? null : String(founded),
    };
    out.push({
      properties,
      ...(french
        ? {
            registry: {
              legalName: name,
              postalCode: zip,
              city,
              naf,
              employees: staff,
              createdOn,
              ...(closed ? { closedOn: '2025-06-30' } : {}),
              ...(rand() < 0.6 ? { revenue: { amount: revenue, year: 2024 } } : {}),
            },
          }
        : {}),
    });
  }
  return out;
}

/** The properties of `count` synthetic companies (no ids); see {@link syntheticFirms}. */
export function syntheticCompanies(count: number, seed = 42): Array<Record<string, string | null>> {
  return syntheticFirms(count, seed).map((c) => c.properties);
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

/** The `hs_buying_role` value a rep would give a job title of {@link JOB_TITLES}, when the title says one. */
export function roleOfTitle(title: string): string | undefined {
  const t = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (/assistant|stagiaire|intern|alternant|office|rh|comptable/.test(t)) return 'OTHER';
  if (/directeur general|directrice generale|\bdg\b|ceo|president|founder|fondateur/.test(t)) return 'DECISION_MAKER';
  if (/\bdaf\b|financ|cfo|achat|acheteu|procurement/.test(t)) return 'BUDGET_HOLDER';
  if (/\bdsi\b|systemes d.information|cto|engineering|architecte/.test(t)) return 'INFLUENCER';
  if (/sales/.test(t)) return 'CHAMPION';
  if (/developpeu|ingenieur|engineer|lead dev|chef de projet/.test(t)) return 'END_USER';
  return undefined;
}

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
    const drawn = rand() < 0.25 ? [...new Set([pick(rand, ROLE_VALUES), ...(rand() < 0.3 ? [pick(rand, ROLE_VALUES)] : [])])] : [];
    const email = `${slug(first)}.${slug(last)}${out.length}@${domain ?? pick(rand, PERSONAL_DOMAINS)}`;
    const jobtitle = rand() < 0.08 ? null : pick(rand, JOB_TITLES);
    // A rep who fills the buying role fills it in line with the title; the drawn values stand only
    // where the title says nothing.
    const natural = jobtitle === null ? undefined : roleOfTitle(jobtitle);
    const roles = drawn.length > 0 && natural !== undefined ? [natural] : drawn;
    return { firstname: first, lastname: last, email, jobtitle, hs_buying_role: roles.length > 0 ? roles.join(';') : null };
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
