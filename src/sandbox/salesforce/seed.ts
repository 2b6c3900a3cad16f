/**
 * Deterministic, realistic Accounts, Leads (with job titles), Contacts, Opportunities and contact roles for
 * the sandbox (same seed, same records). Titles mix French and English as written in real CRMs: accents,
 * abbreviations (DG, DAF, DSI, CTO), "Head of …", assistants and interns.
 */
import { mulberry32 } from '../../domain/prng.ts';
import type { RegistryFacts } from '../registry/directory.ts';

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
  BillingPostalCode: string | null;
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
  Title: string | null;
}

/** Job titles as found in French and international B2B CRMs (some empty: the field is often blank). */
export const TITLES: readonly string[] = [
  'Directeur Général', 'DG', 'Président', 'CEO', 'Fondateur & CEO', 'Co-founder', 'Gérante', 'DG adjoint',
  'DAF', 'Directrice Administrative et Financière', 'CFO', 'Responsable achats', 'Acheteuse', 'Head of Procurement',
  'DSI', 'Directeur des Systèmes d’Information', 'CTO', 'VP Engineering', 'Head of Data', 'Head of IT',
  'Architecte logiciel', 'Développeur', 'Développeuse Full-Stack', 'Software Engineer', 'Ingénieur DevOps',
  'Lead Developer', 'Chef de projet', 'Product Manager', 'Responsable marketing', 'Sales Manager',
  'Assistante de direction', 'Office Manager', 'Stagiaire', 'Intern', 'Alternant développeur', 'Consultant',
];

const FIRST_NAMES = ['Camille', 'Julien', 'Léa', 'Thomas', 'Chloé', 'Nicolas', 'Manon', 'Hugo', 'Inès', 'Antoine', 'Sarah', 'James', 'Emily', 'Lukas', 'Sofía', 'Zoé', 'Maël', 'Noémie'];
const LAST_NAMES = ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Roux', 'Fournier', 'Smith', 'Johnson', 'Müller', 'García', 'Nguyen', 'Da Silva', 'Benali', 'Le Gall', 'Château'];

function title(rnd: () => number): string | null {
  return rnd() < 0.08 ? null : pick(rnd, TITLES);
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

/** Account places: French cities with a postal code (for registry matches), then abroad. */
const ACCOUNT_PLACES: ReadonlyArray<{ country: string; code: string; state: string | null; city: string; zip: string }> = [
  { country: 'France', code: 'FR', state: null, city: 'Paris', zip: '75009' },
  { country: 'France', code: 'FR', state: null, city: 'Lyon', zip: '69003' },
  { country: 'France', code: 'FR', state: null, city: 'Nantes', zip: '44000' },
  { country: 'France', code: 'FR', state: null, city: 'Lille', zip: '59000' },
  { country: 'France', code: 'FR', state: null, city: 'Bordeaux', zip: '33000' },
  { country: 'United States', code: 'US', state: 'CA', city: 'San Francisco', zip: '94105' },
  { country: 'United States', code: 'US', state: 'NY', city: 'New York', zip: '10001' },
  { country: 'Germany', code: 'DE', state: null, city: 'Berlin', zip: '10115' },
  { country: 'United Kingdom', code: 'GB', state: null, city: 'London', zip: 'EC1A 1BB' },
  { country: 'Spain', code: 'ES', state: null, city: 'Madrid', zip: '28001' },
  { country: 'Belgium', code: 'BE', state: null, city: 'Brussels', zip: '1000' },
  { country: 'Canada', code: 'CA', state: 'QC', city: 'Montreal', zip: 'H2Y 1C6' },
];

/** Market segments: Salesforce Industry values with the NAF code the French registry holds for them. */
type Segment = 'tech' | 'services' | 'other';
const SECTORS: Readonly<Record<Segment, ReadonlyArray<readonly [industry: string, naf: string]>>> = {
  tech: [['Technology', '58.29C'], ['Technology', '62.01Z'], ['Technology', '62.02A'], ['Technology', '63.11Z']],
  services: [['Consulting', '70.22Z'], ['Finance', '64.19Z'], ['Media', '73.11Z'], ['Education', '85.59A'], ['Telecommunications', '61.10Z']],
  other: [
    ['Manufacturing', '28.29B'], ['Retail', '47.19B'], ['Healthcare', '86.10Z'], ['Construction', '41.20A'],
    ['Transportation', '52.29A'], ['Energy', '35.11Z'], ['Banking', '64.19Z'], ['Insurance', '65.12Z'],
  ],
};

function accountEmployees(rnd: () => number, segment: Segment): number {
  const r = rnd();
  if (segment === 'tech') {
    if (r < 0.6) return 50 + Math.floor(rnd() * 200);
    if (r < 0.78) return 250 + Math.floor(rnd() * 600);
    if (r < 0.94) return 20 + Math.floor(rnd() * 30);
    return 5 + Math.floor(rnd() * 15);
  }
  return Math.max(1, Math.round(Math.exp(rnd() * 9)));
}

export interface SeedAccountFirm {
  account: SeedAccount;
  /** A French Account: what the national company registry knows of it (absent abroad). */
  registry?: RegistryFacts;
}

/**
 * `n` Accounts (deterministic for a seed) and what the French registry knows of the French ones: about half
 * are French with a postal code, a third are tech firms (Industry `Technology`), mostly SMEs. About 8 % lack
 * an employee count, 15 % a revenue, 30 % a founding year; the registry knows every French Account's NAF
 * code, headcount band and creation date, and that about 3 % have ceased trading.
 */
export function seedAccountFirms(n: number, seed: number): SeedAccountFirm[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const r = rnd();
    const segment: Segment = r < 0.27 ? 'tech' : r < 0.57 ? 'services' : 'other';
    const french = rnd() < 0.5;
    const place = french ? pick(rnd, ACCOUNT_PLACES.slice(0, 5)) : pick(rnd, ACCOUNT_PLACES.slice(5));
    const name = `${pick(rnd, NAME_A)}${pick(rnd, NAME_B)} ${i + 1} ${french ? pick(rnd, ['SAS', 'SA', 'SARL']) : pick(rnd, SUFFIX)}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const [industry, naf] = pick(rnd, SECTORS[segment]);
    const staff = accountEmployees(rnd, segment);
    const revenue = Math.round(staff * (60_000 + rnd() * 140_000));
    const founded = segment === 'tech' ? 1996 + Math.floor(rnd() * 26) : 1950 + Math.floor(rnd() * 75);
    const createdOn = `${founded}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const closed = rnd() < 0.03;
    const account: SeedAccount = {
      Name: name,
      Website: rnd() < 0.1 ? null : `https://www.${slug}.example`,
      Industry: rnd() < 0.08 ? null : industry,
      NumberOfEmployees: rnd() < 0.08 ? null : staff,
      AnnualRevenue: rnd() < 0.15 ? null : revenue,
      BillingCountry: place.country,
      BillingCountryCode: place.code,
      BillingState: place.state,
      BillingCity: place.city,
      BillingPostalCode: rnd() < 0.05 ? null : place.zip,
      YearStarted: rnd() < 0.3 ? null : String(founded),
    };
    const registry: RegistryFacts | undefined = french
      ? { legalName: name, postalCode: place.zip, city: place.city, naf, employees: staff, createdOn, ...(closed ? { closedOn: '2025-06-30' } : {}), ...(rnd() < 0.6 ? { revenue: { amount: revenue, year: 2024 } } : {}) }
      : undefined;
    return { account, ...(registry ? { registry } : {}) };
  });
}

export function seedAccounts(n: number, seed: number): SeedAccount[] {
  return seedAccountFirms(n, seed).map((f) => f.account);
}

export function seedLeads(n: number, seed: number): SeedLead[] {
  const rnd = mulberry32(seed ^ 0x5f3759df);
  // Titles from their own stream, so the other Lead fields of a seed stay what they always were.
  const titles = mulberry32(seed ^ 0x1ead71);
  return Array.from({ length: n }, (_, i) => {
    const c = company(rnd, i + 1);
    return {
      Title: title(titles),
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

export interface SeedContact {
  /** Index of the Account in the seeded list, or null (a Contact without Account). */
  account: number | null;
  FirstName: string;
  LastName: string;
  Title: string | null;
}

export interface SeedOpportunity {
  account: number;
  Name: string;
  StageName: string;
  CloseDate: string;
  Amount: number | null;
}

export interface SeedContactRole {
  contact: number;
  opportunity: number;
  Role: string | null;
  IsPrimary: boolean;
}

/** The OpportunityContactRole `Role` a rep would give a job title of {@link TITLES}, when the title says one. */
export function contactRoleOfTitle(title: string): string | undefined {
  const t = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (/assistant|stagiaire|intern|alternant|office|consultant/.test(t)) return 'Other';
  if (/directeur general|\bdg\b|ceo|president|founder|fondateur|gerant/.test(t)) return 'Decision Maker';
  if (/\bdaf\b|financ|cfo|achat|acheteu|procurement/.test(t)) return 'Economic Buyer';
  if (/\bdsi\b|systemes d.information|cto|vp engineering|head of (data|it)|architecte/.test(t)) return 'Technical Buyer';
  if (/developpeu|developer|engineer|ingenieur|chef de projet|product manager/.test(t)) return 'Business User';
  if (/marketing|sales/.test(t)) return 'Influencer';
  return undefined;
}

const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
const ROLES = ['Decision Maker', 'Economic Buyer', 'Technical Buyer', 'Evaluator', 'Influencer', 'Business User', 'Executive Sponsor', 'Economic Decision Maker', 'Other'];

/**
 * People of `accounts` seeded Accounts: 1 to 5 Contacts each (3 on average), one Contact in 25 without
 * Account, and on about a third of the Accounts an Opportunity whose Contacts have roles (some without Role).
 */
export function seedPeople(accounts: number, seed: number): { contacts: SeedContact[]; opportunities: SeedOpportunity[]; contactRoles: SeedContactRole[] } {
  const rnd = mulberry32(seed ^ 0xc0ffee);
  const contacts: SeedContact[] = [];
  const opportunities: SeedOpportunity[] = [];
  const contactRoles: SeedContactRole[] = [];
  const person = (account: number | null): SeedContact => ({
    account,
    FirstName: pick(rnd, FIRST_NAMES),
    LastName: pick(rnd, LAST_NAMES),
    Title: title(rnd),
  });
  for (let a = 0; a < accounts; a += 1) {
    const first = contacts.length;
    const n = 1 + Math.floor(rnd() * 5);
    for (let k = 0; k < n; k += 1) contacts.push(person(a));
    if (rnd() < 1 / 25) contacts.push(person(null));
    if (rnd() < 0.35) {
      const opp = opportunities.length;
      const day = 1 + Math.floor(rnd() * 28);
      opportunities.push({
        account: a,
        Name: `Opportunité ${a + 1}`,
        StageName: pick(rnd, STAGES),
        CloseDate: `2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        Amount: rnd() < 0.2 ? null : Math.round(5_000 + rnd() * 95_000),
      });
      const withRole = 1 + Math.floor(rnd() * Math.min(3, n));
      for (let k = 0; k < withRole; k += 1) {
        const drawn = rnd() < 0.1 ? null : pick(rnd, ROLES);
        // The rep gives the role the title says, when it says one; the drawn value stands otherwise.
        const title = contacts[first + k]?.Title;
        const Role = drawn === null ? null : ((title ? contactRoleOfTitle(title) : undefined) ?? drawn);
        contactRoles.push({ contact: first + k, opportunity: opp, Role, IsPrimary: k === 0 });
      }
    }
  }
  return { contacts, opportunities, contactRoles };
}
