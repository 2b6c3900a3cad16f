/**
 * Writes `examples/deals.csv`: 840 closed deals of 800 accounts (40 with two), with every attribute of
 * the example model (`config/icp.example.yaml`), the buying roles engaged on each deal and, on lost
 * deals, the reason given. Deterministic: `node examples/generate-deals.ts` rewrites the same file.
 *
 * The deals follow a known truth, so `icp-sync calibrate` has something real to find. What wins here
 * differs from the example model on purpose: the CRM the account already uses matters most,
 * financial firms win even more often than software and IT services, firms of 20 to 249 people win most and larger ones rarely, and
 * the country, revenue, company category and age make no difference of their own. Deals with a decision maker
 * or a buyer engaged are won more often.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/domain/prng.ts';

const rand = mulberry32(20261205);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

/** Industry as typed in the CRM export, its NAF code, and its true effect on winning (log-odds). */
const SECTORS: ReadonlyArray<readonly [industry: string, nafs: readonly string[], effect: number, share: number]> = [
  ['Software', ['58.29C', '62.01Z'], 0.9, 0.18],
  ['IT Services', ['62.02A', '62.03Z', '62.09Z'], 0.9, 0.13],
  ['Internet', ['63.12Z', '63.11Z'], 0.3, 0.06],
  ['Consulting', ['70.22Z'], 0.2, 0.09],
  ['Finance', ['64.19Z', '66.19B'], 1.2, 0.12],
  ['Healthcare', ['86.10Z', '86.90F'], -0.6, 0.08],
  ['Education', ['85.59A', '85.42Z'], -0.7, 0.08],
  ['Retail', ['47.19B', '47.91B'], -1.1, 0.1],
  ['Manufacturing', ['28.29B', '25.62B'], -1.0, 0.1],
  ['Construction', ['41.20A', '43.21A'], -1.2, 0.06],
];

const COUNTRIES: ReadonlyArray<readonly [code: string, effect: number, share: number]> = [
  ['FR', 0.05, 0.5], ['BE', 0.05, 0.09], ['CH', 0, 0.06], ['LU', 0, 0.02], ['CA', 0, 0.05],
  ['DE', 0, 0.08], ['ES', -0.05, 0.06], ['IT', -0.05, 0.05], ['GB', 0, 0.05], ['US', 0, 0.04],
];

/** The CRM in the account's stack, and its effect: the strongest signal of this sample. */
const CRMS: ReadonlyArray<readonly [crm: string | null, effect: number, share: number]> = [
  ['HubSpot', 1.9, 0.22], ['Salesforce', 1.8, 0.18], ['Pipedrive', 1.0, 0.1], ['Zoho CRM', 0.3, 0.06],
  ['Sellsy', 0.3, 0.05], ['Axonaut', 0.2, 0.04], [null, 0, 0.35],
];
const OTHER_TOOLS = ['Google Workspace', 'Microsoft 365', 'Slack', 'AWS', 'Azure', 'Notion', 'Shopify', 'Sage', 'Cegid'];

function weighted<T extends readonly unknown[]>(items: ReadonlyArray<T>, shareAt: number): T {
  const total = items.reduce((n, x) => n + Number(x[shareAt]), 0);
  let r = rand() * total;
  for (const x of items) {
    r -= Number(x[shareAt]);
    if (r <= 0) return x;
  }
  return items[items.length - 1] as T;
}

function employees(): number {
  const r = rand();
  if (r < 0.25) return between(3, 19);
  if (r < 0.6) return between(20, 249);
  if (r < 0.82) return between(250, 999);
  return between(1000, 12000);
}

function sizeEffect(n: number): number {
  if (n < 20) return -0.9;
  if (n < 250) return 0.8;
  if (n < 1000) return -0.3;
  return -0.8;
}

const NAME_A = ['Logi', 'Data', 'Nova', 'Alti', 'Cobal', 'Vert', 'Hexa', 'Lumi', 'Orbi', 'Sira', 'Teli', 'Quan', 'Pixe', 'Bore', 'Azur'];
const NAME_B = ['wave', 'nor', 'lis', 'tec', 'sys', 'ware', 'flow', 'gram', 'com', 'link', 'med', 'bat', 'log', 'net', 'vía'];
const FORMS = ['SAS', 'SARL', 'SA', 'SAS', 'SA', 'GmbH', 'Ltd', 'Inc.', 'SRL'];
const TLD: Record<string, string> = { FR: 'fr', BE: 'be', CH: 'ch', LU: 'lu', CA: 'ca', DE: 'de', ES: 'es', IT: 'it', GB: 'co.uk', US: 'com' };

const ROLE_IDS = ['decision_maker', 'buyer', 'user', 'influencer'] as const;
/** P(role engaged | won), P(role engaged | lost). */
const ROLE_RATES: Readonly<Record<(typeof ROLE_IDS)[number], readonly [number, number]>> = {
  decision_maker: [0.82, 0.38],
  buyer: [0.7, 0.33],
  user: [0.58, 0.56],
  influencer: [0.47, 0.46],
};

const REASONS_PRICE = ['Prix trop élevé', 'too expensive', 'Budget dépassé', 'price: competitor 30 % cheaper'];
const REASONS_BUDGET = ['Pas de budget', 'no budget this year', 'Budget gelé jusqu’en 2026', 'Pas de budget validé par la direction'];
const REASONS_OTHER = [
  'chose a competitor', 'A choisi un concurrent', 'timing', 'Pas le bon moment', 'Projet reporté', 'no decision made',
  'Manque une intégration (Sage)', 'missing integration with their ERP', 'Sponsor parti', 'went with an in-house tool',
];

function lostReason(roles: ReadonlySet<string>): string {
  // Without a buyer the deal dies for lack of budget more often; without a decision maker, in indecision.
  const r = rand();
  if (!roles.has('buyer') && r < 0.45) return pick(REASONS_BUDGET);
  if (!roles.has('decision_maker') && r < 0.6) return pick(['no decision made', 'Projet reporté', 'timing', 'Pas le bon moment']);
  if (r < 0.8) return pick([...REASONS_PRICE, ...REASONS_OTHER]);
  return pick(REASONS_OTHER);
}

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  const t = String(v);
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

const header = [
  'account_id', 'name', 'domain', 'industry', 'naf', 'employees', 'annual_revenue', 'country', 'tech_stack', 'company_category',
  'company_age_years', 'is_competitor', 'outcome', 'amount', 'cycle_days', 'close_date', 'roles', 'lost_reason',
];
const lines = [header.join(',')];
const CLOSE_FROM = Date.UTC(2024, 4, 1);
const CLOSE_DAYS = 910;

for (let a = 1; a <= 800; a += 1) {
  const [industry, nafs, industryEffect] = weighted(SECTORS, 3);
  const [country, countryEffect] = weighted(COUNTRIES, 2);
  const [crm, crmEffect] = weighted(CRMS, 2);
  const staff = employees();
  const revenue = Math.round((staff * between(20, 400)) / 10) * 10_000;
  const age = between(1, 45);
  const stack = [...new Set([...(crm ? [crm] : []), ...(rand() < 0.5 || !crm ? [pick(OTHER_TOOLS)] : [])])];
  const name = `${pick(NAME_A)}${pick(NAME_B)} ${a}`;
  const form = country === 'FR' || country === 'BE' || country === 'LU' ? pick(FORMS.slice(0, 5)) : pick(FORMS);
  const competitor = rand() < 0.012;
  // Gaps as in a real export: a few unknown industries, headcounts and revenues; NAF codes only for
  // French firms (the registry's), sometimes missing too.
  const row = {
    account_id: `acc-${String(a).padStart(5, '0')}`,
    name: `${name} ${form}`,
    domain: `${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '')}.${TLD[country] ?? 'eu'}`,
    industry: rand() < 0.04 ? null : industry,
    // NAF codes for French firms, the same NACE codes for the European ones (from the registries).
    naf: ['FR', 'BE', 'LU', 'DE', 'ES', 'IT'].includes(country) && rand() < 0.92 ? pick(nafs) : null,
    employees: rand() < 0.04 ? null : staff,
    annual_revenue: rand() < 0.12 ? null : revenue,
    country,
    tech_stack: rand() < 0.05 ? null : stack.join(';'),
    company_category: staff < 250 ? 'PME' : staff < 5000 ? 'ETI' : 'GE',
    company_age_years: country === 'FR' || rand() < 0.5 ? age : null,
    is_competitor: competitor ? 'oui' : 'non',
  };
  const logit = -1.5 + industryEffect + countryEffect + crmEffect + sizeEffect(staff);
  const deals = a % 20 === 7 ? 2 : 1;
  for (let d = 0; d < deals; d += 1) {
    const won = !competitor && rand() < 1 / (1 + Math.exp(-logit));
    const roles = new Set(ROLE_IDS.filter((r) => rand() < (ROLE_RATES[r][won ? 0 : 1] ?? 0)));
    const amount = Math.round((1500 + staff * between(8, 30)) / 10) * 10;
    const closed = new Date(CLOSE_FROM + between(0, CLOSE_DAYS) * 86_400_000).toISOString().slice(0, 10);
    const values: Record<string, string | number | null> = {
      ...row,
      outcome: won ? 'won' : 'lost',
      amount,
      cycle_days: won ? between(25, 120) : between(20, 160),
      close_date: closed,
      roles: [...roles].join(';'),
      lost_reason: won ? null : lostReason(roles),
    };
    lines.push(header.map((h) => cell(values[h] ?? null)).join(','));
  }
}

writeFileSync(fileURLToPath(new URL('deals.csv', import.meta.url)), `${lines.join('\n')}\n`);
