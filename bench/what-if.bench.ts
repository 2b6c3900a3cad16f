/**
 * The console's what-if preview (issue 12: "a what-if preview on 1,000 records returns in under
 * 1 s"): the example model against a draft with other weights and tier bounds, on 1,000 HubSpot-
 * shaped company records and 400 closed deals. Measures the whole `preview` call (draft parsed,
 * validated and compiled, both models scoring every record, tier moves, movers with their reasons,
 * AUC and top-tier win rate), with the sample's mapping cold (first preview after a read) and warm.
 * The sample comes from memory: reading it from the CRM is background work, not part of a preview.
 */
import { readFileSync } from 'node:fs';
import type { CrmRecord } from '../src/connectors/port.ts';
import type { ClosedDeal } from '../src/domain/calibration/deal.ts';
import { parseModelText } from '../src/domain/model-schema.ts';
import { compileModel } from '../src/domain/scorer.ts';
import { DEFAULT_MAPPINGS } from '../src/mappings/defaults.ts';
import { createModelPreview } from '../src/preview/model-preview.ts';
import type { SampleCache } from '../src/preview/sample-cache.ts';

const RECORDS = 1000;
const DEALS = 400;
const ROUNDS = 30;
const CEILING_MS = 1000;

const exampleText = readFileSync(new URL('../config/icp.example.yaml', import.meta.url), 'utf8');
const parsed = parseModelText(exampleText, 'icp.example.yaml');
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const current = compileModel(parsed.model);
const draft = exampleText
  .replace('version: "2026.12"', 'version: "2026.12-draft"')
  .replace(/attribute: employees\n(\s+)weight: 20/, 'attribute: employees\n$1weight: 35')
  .replace(/attribute: country\n(\s+)weight: 15/, 'attribute: country\n$1weight: 5');
if (draft === exampleText) throw new Error('the draft edit did not apply');

let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const industries = ['COMPUTER_SOFTWARE', 'Software', 'RETAIL', 'Logiciel', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'BANKING', null];
const countries = ['France', 'FR', 'Belgium', 'Germany', 'Switzerland', 'Canada', 'Spain', null];
const records: CrmRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  id: String(1000 + i),
  fields: {
    name: `Company ${i}`,
    industry: pick(industries),
    numberofemployees: rand() < 0.1 ? null : String(Math.floor(rand() * 2000)),
    annualrevenue: rand() < 0.3 ? null : String(Math.floor(rand() * 200_000_000)),
    country: pick(countries),
    domain: `c${i}.example`,
  },
}));
const mapping = DEFAULT_MAPPINGS.hubspot['companies'];
if (mapping === undefined) throw new Error('no companies mapping');
const deals: ClosedDeal[] = Array.from({ length: DEALS }, (_, i) => ({
  account: `a${i}`,
  won: rand() < 0.35,
  attributes: { industry: pick(industries), employees: Math.floor(rand() * 2000), country: pick(['FR', 'BE', 'DE', 'CH']) },
}));

const samples: SampleCache = {
  status: () => Promise.reject(new Error('not used')),
  refresh: () => Promise.reject(new Error('not used')),
  settled: () => Promise.resolve(),
  // A new read time each round makes the mapping cold; a fixed one keeps it warm.
  records: () => Promise.resolve({ records, readAt }),
};
let readAt = 'r0';
const preview = createModelPreview({ samples, mapping: () => mapping, active: () => ({ scorer: current, revision: 1 }) });

async function run(cold: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (cold) readAt = `r${r + 1}`;
    const t = performance.now();
    const out = await preview.preview({ crm: 'hubspot', objectType: 'companies', draft, deals });
    times.push(performance.now() - t);
    if (out.whatIf.records !== RECORDS) throw new Error('wrong sample size');
  }
  return times.sort((a, b) => a - b);
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
await run(false); // warm-up (JIT)
for (const cold of [true, false]) {
  const times = await run(cold);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
  console.log(
    `what-if preview, ${RECORDS} records + ${DEALS} deals, sample mapping ${cold ? 'cold' : 'warm'}: median ${fmt(median)}, p95 ${fmt(p95)}, max ${fmt(times.at(-1) ?? 0)} (ceiling ${CEILING_MS} ms)`,
  );
}
const last = await preview.preview({ crm: 'hubspot', objectType: 'companies', draft, deals });
console.log(
  `  ${last.whatIf.tierChanges} tier changes, ${last.whatIf.scoreChanges} score changes; AUC ${last.whatIf.deals?.current.auc} → ${last.whatIf.deals?.draft.auc}`,
);
