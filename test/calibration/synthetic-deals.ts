/**
 * A deterministic synthetic closed-deal set with a known ground-truth ICP: industry and employees
 * drive the outcome strongly, country weakly, `founded_year` and `crm_tool` not at all. The outcome
 * is drawn from P(won) = sigmoid(-3.2 + 5.2 · score/100), where score is the ground-truth model's
 * score, so that model's ranking is the best any model can reach.
 */
import { compileModel } from '../../src/domain/scorer.ts';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import type { IcpModel } from '../../src/domain/types.ts';
import { mulberry32 } from '../../src/domain/prng.ts';

export { mulberry32 };

export const GROUND_TRUTH: IcpModel = {
  version: 'ground-truth',
  name: 'Synthetic ground truth',
  tiers: [
    { name: 'A', min: 70 },
    { name: 'B', min: 50 },
    { name: 'C', min: 30 },
    { name: 'D', min: 0 },
  ],
  excludedTier: 'X',
  exclusions: [],
  criteria: [
    {
      id: 'industry',
      label: 'industry',
      attribute: 'industry',
      weight: 45,
      tagAt: 1,
      match: { kind: 'category', values: { software: 1, 'it services': 0.8, finance: 0.5, healthcare: 0.3 }, default: 0 },
    },
    {
      id: 'employees',
      label: 'employees',
      attribute: 'employees',
      weight: 40,
      tagAt: 1,
      match: {
        kind: 'range',
        bands: [
          { max: 19, points: 0 },
          { min: 20, max: 49, points: 0.4 },
          { min: 50, max: 200, points: 1 },
          { min: 201, max: 1000, points: 0.8 },
          { min: 1001, max: 5000, points: 0.4 },
        ],
        default: 0.1,
      },
    },
    {
      id: 'country',
      label: 'country',
      attribute: 'country',
      weight: 15,
      tagAt: 1,
      match: { kind: 'category', values: { fr: 1, be: 1, de: 0.5 }, default: 0.2 },
    },
  ],
};

export const TRUE_ATTRIBUTES = ['industry', 'employees'] as const;
export const WEAK_ATTRIBUTE = 'country';
export const NOISE_ATTRIBUTES = ['founded_year', 'crm_tool'] as const;

const INDUSTRIES: [string, number][] = [
  ['Software', 0.2], ['IT Services', 0.12], ['Finance', 0.12], ['Healthcare', 0.1], ['Retail', 0.14],
  ['Manufacturing', 0.14], ['Education', 0.08], ['Construction', 0.1],
];
const COUNTRIES: [string, number][] = [
  ['FR', 0.3], ['BE', 0.08], ['DE', 0.17], ['US', 0.2], ['GB', 0.12], ['ES', 0.08], ['IT', 0.05],
];
const CRM_TOOLS: [string, number][] = [['hubspot', 0.35], ['salesforce', 0.3], ['pipedrive', 0.2], ['none', 0.15]];

function pick(rnd: () => number, table: readonly [string, number][]): string {
  let u = rnd();
  for (const [v, w] of table) {
    if (u < w) return v;
    u -= w;
  }
  return (table[table.length - 1] as [string, number])[0];
}

export interface SyntheticOptions {
  deals?: number;
  seed?: number;
}

/** Attribute values are strings, as a CSV export holds them. */
export function syntheticDeals(options: SyntheticOptions = {}): ClosedDeal[] {
  const rnd = mulberry32(options.seed ?? 42);
  const scorer = compileModel(GROUND_TRUTH);
  const out: ClosedDeal[] = [];
  const start = Date.UTC(2024, 10, 1);
  for (let i = 0; i < (options.deals ?? 4000); i++) {
    const employees = Math.round(Math.exp(Math.log(5) + rnd() * (Math.log(20000) - Math.log(5))));
    const attributes = {
      industry: rnd() < 0.03 ? '' : pick(rnd, INDUSTRIES),
      employees: rnd() < 0.05 ? '' : String(employees),
      country: pick(rnd, COUNTRIES),
      founded_year: String(1950 + Math.floor(rnd() * 75)),
      crm_tool: pick(rnd, CRM_TOOLS),
    };
    const score = scorer.score(attributes).score;
    const pWon = 1 / (1 + Math.exp(-(-3.2 + (5.2 * score) / 100)));
    const won = rnd() < pWon;
    const closeDate = new Date(start + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
    const amount = Math.round((2000 + employees * 8) * (0.5 + rnd()));
    const cycleDays = Math.round(20 + rnd() * 100 + (won ? 0 : 30));
    out.push({ account: `acc-${String(i + 1).padStart(5, '0')}`, attributes, won, amount, cycleDays, closeDate });
  }
  return out;
}

export interface RepeatBuyerOptions {
  accounts?: number;
  seed?: number;
  /** Fewest and most closed deals per account (default 20 and 140). */
  minDeals?: number;
  maxDeals?: number;
}

/**
 * Data shaped like a real CRM export: few accounts (85 by default), each with many closed deals,
 * about a third of them lost, and at least one won deal per account, so "won if any deal was won"
 * makes every account won. An account's attributes are fixed; a deal's outcome depends on its
 * account's industry (software wins 80 %, retail 45 %, others 65 %), and its amount on its size.
 */
export function repeatBuyerDeals(options: RepeatBuyerOptions = {}): ClosedDeal[] {
  const rnd = mulberry32(options.seed ?? 7);
  const minDeals = options.minDeals ?? 20;
  const maxDeals = options.maxDeals ?? 140;
  const out: ClosedDeal[] = [];
  const start = Date.UTC(2023, 0, 1);
  for (let a = 0; a < (options.accounts ?? 85); a++) {
    const industry = pick(rnd, INDUSTRIES);
    const employees = Math.round(Math.exp(Math.log(20) + rnd() * (Math.log(5000) - Math.log(20))));
    const attributes = { industry, employees: String(employees), country: pick(rnd, COUNTRIES), crm_tool: pick(rnd, CRM_TOOLS) };
    const p = industry === 'Software' ? 0.8 : industry === 'Retail' ? 0.45 : 0.65;
    const n = minDeals + Math.floor(rnd() * (maxDeals - minDeals + 1));
    const first = out.length;
    for (let i = 0; i < n; i++) {
      const won = rnd() < p;
      const closeDate = new Date(start + Math.floor(rnd() * 1000) * 86_400_000).toISOString().slice(0, 10);
      out.push({ account: `acc-${a + 1}`, attributes, won, amount: Math.round(1000 + rnd() * 9000), cycleDays: Math.round(10 + rnd() * 90), closeDate });
    }
    if (!out.slice(first).some((d) => d.won)) (out[first] as { won: boolean }).won = true;
  }
  return out;
}
