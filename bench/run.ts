/**
 * `npm run bench [name…]`: runs each `bench/<name>.bench.ts` in its own Node.js process, one after
 * the other, so that one benchmark's heap and timers never colour another's figures.
 * Benchmarks print figures; they are not tests and never fail on a target.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== ${name} ===`);
  const res = spawnSync(process.execPath, ['--expose-gc', `${dir}${name}.bench.ts`], { stdio: 'inherit' });
  if (res.status !== 0) {
    failed += 1;
    console.error(`benchmark ${name} exited with ${res.status ?? res.signal}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
