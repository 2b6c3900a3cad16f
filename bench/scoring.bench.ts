/**
 * In-process scoring throughput: 1,000,000 synthetic accounts through a 10-criterion model that
 * uses every matcher kind, lists, and numbers written as strings. One core, warmed up first;
 * prints the median of several rounds.
 */
import { parseModel } from '../src/domain/model-schema.ts';
import { compileModel } from '../src/domain/scorer.ts';
import type { Attributes } from '../src/domain/types.ts';
import { mulberry32 as rng } from '../src/domain/prng.ts';

const ACCOUNTS = 1_000_000;
const ROUNDS = 5;

const parsed = parseModel(
  {
    version: 'bench',
    tiers: [
      { name: 'A', min: 75 },
      { name: 'B', min: 55 },
      { name: 'C', min: 35 },
      { name: 'D', min: 0 },
    ],
    criteria: [
      { id: 'naf', attribute: 'naf', weight: 15, tag: 'tech', tagAt: 0.8, match: { kind: 'prefix', values: { '58.29': 1, '62.01': 1, '62': 0.9, '63.1': 0.8, '70.22': 0.6, '73.1': 0.5, '46.5': 0.5, '69': 0.3 }, default: 0.1 } },
      { id: 'industry', attribute: 'industry', weight: 15, match: { kind: 'category', values: { COMPUTER_SOFTWARE: 1, Software: 1, Logiciel: 1, 'Édition de logiciels': 1, Technology: 0.9, 'IT Services': 0.9, Consulting: 0.6, Finance: 0.4 } } },
      { id: 'employees', attribute: 'employees', weight: 20, tag: 'size', match: { kind: 'range', bands: [{ min: 50, max: 249, points: 1 }, { min: 250, max: 999, points: 0.8 }, { min: 20, max: 49, points: 0.6 }, { min: 1000, max: 4999, points: 0.4 }, { min: 10, max: 19, points: 0.3 }, { min: 5000, points: 0.2 }] } },
      { id: 'revenue', attribute: 'annual_revenue', weight: 10, match: { kind: 'range', bands: [{ min: 2e6, max: 5e7, points: 1 }, { min: 5e5, max: 2e6, points: 0.5 }, { min: 5e7, points: 0.5 }] } },
      { id: 'country', attribute: 'country', weight: 10, tag: 'fr', match: { kind: 'category', values: { FR: 1, BE: 0.8, LU: 0.8, CH: 0.7, CA: 0.4 } } },
      { id: 'stack', attribute: 'tech_stack', weight: 10, tag: 'crm', match: { kind: 'category', values: { HubSpot: 1, Salesforce: 1, Pipedrive: 0.8, 'Zoho CRM': 0.6 }, default: 0.1 } },
      { id: 'category', attribute: 'company_category', weight: 5, match: { kind: 'category', values: { PME: 1, ETI: 0.7, GE: 0.2 } } },
      { id: 'age', attribute: 'company_age_years', weight: 5, match: { kind: 'range', bands: [{ min: 3, max: 30, points: 1 }, { min: 1, max: 3, points: 0.5 }], default: 0.2 } },
      { id: 'b2b', attribute: 'is_b2b', weight: 5, match: { kind: 'boolean', ifFalse: 0.1 } },
      { id: 'naf_section', attribute: 'naf_section', weight: 5, match: { kind: 'prefix', values: { J: 1, M: 0.6, G: 0.3 } } },
    ],
    exclusions: [
      { id: 'competitor', attribute: 'is_competitor', match: { kind: 'boolean' }, reason: 'Concurrent direct' },
      { id: 'closed', attribute: 'is_closed', match: { kind: 'boolean' }, reason: 'Entreprise fermée' },
    ],
  },
  'bench.yaml',
);
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const scorer = compileModel(parsed.model);


const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const nafs = ['62.01Z', '62.02A', '58.29C', '47.11F', '70.22Z', '6201Z', '86.21Z', '73.11Z', '', '46.51Z'];
const industries = ['COMPUTER_SOFTWARE', 'Software', 'software', 'Retail', 'Édition de logiciels', 'Finance', 'IT Services', '', 'Health Care', 'Technology'];
const countries = ['FR', 'FR', 'FR', 'BE', 'US', 'DE', 'CH', '', 'fr', 'GB'];
const stacks = ['HubSpot', 'Salesforce', 'Slack', 'Notion', 'Pipedrive', 'Zoho CRM', 'Segment'];
const categories = ['PME', 'ETI', 'GE', '', 'PME'];
const flags: readonly unknown[] = [true, false, 'oui', 'non', 'true', 0, 1, '', null];

function employees(): unknown {
  const n = Math.floor(rand() ** 3 * 20000);
  const r = rand();
  if (r < 0.4) return n;
  if (r < 0.6) return n.toLocaleString('fr-FR'); // "1 200" with a narrow no-break space
  if (r < 0.75) return n.toLocaleString('en-US'); // "1,200"
  if (r < 0.9) return String(n);
  return '';
}

function revenue(): unknown {
  const eur = Math.floor(rand() ** 2 * 2e8);
  const r = rand();
  if (r < 0.5) return eur;
  if (r < 0.7) return `${(eur / 1000).toFixed(0)} 000`;
  if (r < 0.85) return `${(eur / 100).toFixed(0)},50`;
  return null;
}

function makeAccount(): Attributes {
  const stack: string[] = [];
  const k = Math.floor(rand() * 4);
  for (let i = 0; i < k; i++) stack.push(pick(stacks));
  return {
    naf: pick(nafs),
    naf_section: pick(['J', 'M', 'G', 'Q', 'C']),
    industry: pick(industries),
    employees: employees(),
    annual_revenue: revenue(),
    country: pick(countries),
    tech_stack: stack,
    company_category: pick(categories),
    company_age_years: Math.floor(rand() * 60),
    is_b2b: pick(flags),
    is_competitor: rand() < 0.01,
    is_closed: rand() < 0.02 ? 'true' : undefined,
  };
}

const accounts: Attributes[] = [];
for (let i = 0; i < ACCOUNTS; i++) accounts.push(makeAccount());

let checksum = 0;
/** Accounts per second of wall-clock time and per second of CPU time (the process's, GC included). */
function round(count: number): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const r = scorer.score(accounts[i] as Attributes);
    // Read from every part of the result so that no part of the work can be optimised away.
    checksum += r.score + r.reasons.length + r.tags.length + r.completeness + (r.reasons[r.reasons.length - 1]?.contribution ?? 0);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: count / seconds, cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

round(200_000); // warm-up: let the JIT optimise the hot path
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  globalThis.gc?.();
  const r = round(ACCOUNTS);
  wall.push(r.wall);
  cpu.push(r.cpu);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`scoring: ${fmt(ACCOUNTS)} accounts × ${ROUNDS} rounds, 10 criteria + 2 exclusions, one thread`);
console.log(`  median ${fmt(median(wall))} accounts/s wall clock (best ${fmt(Math.max(...wall))})`);
// On a shared machine the wall clock includes time spent waiting for a core; CPU time does not.
console.log(`  median ${fmt(median(cpu))} accounts per CPU-second (best ${fmt(Math.max(...cpu))})`);
console.log(`  checksum ${checksum}`);
