/**
 * Loading a large model: one criterion with 50,000 category values, written as a YAML block map
 * and as a flow map, parsed, validated and compiled (what `icp-sync validate` and every start do).
 * Prints the median of several rounds.
 */
import { parseModelText } from '../src/domain/model-schema.ts';
import { compileModel } from '../src/domain/scorer.ts';

const VALUES = 50_000;
const ROUNDS = 5;

const head = `version: "bench"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 0 }
criteria:
  - id: industry
    attribute: industry
    weight: 100
`;
const block = `${head}    match:
      kind: category
      values:
${Array.from({ length: VALUES }, (_, i) => `        "value ${i}": ${(i % 10) / 10}`).join('\n')}
`;
const flow = `${head}    match: { kind: category, values: { ${Array.from({ length: VALUES }, (_, i) => `"value ${i}": ${(i % 10) / 10}`).join(', ')} } }
`;

for (const [name, text] of [['block map', block], ['flow map', flow]] as const) {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const parsed = parseModelText(text, 'bench.yaml');
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    compileModel(parsed.model);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${VALUES} category values, ${name}: median ${Math.round(times[Math.floor(ROUNDS / 2)] ?? 0)} ms to parse, validate and compile`);
}
