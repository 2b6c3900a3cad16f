/** One record over the size limit is skipped and reported; the run goes on (exit 2, not 1). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const MODEL = ['--model', 'test/fixtures/cli/model.yaml'];
const HUGE = 'x'.repeat(9 * 1024 * 1024);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-cli-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('score: a record over the 8 Mi limit', () => {
  it.each([
    ['rows.jsonl', `{"id":"a","industry":"Software"}\n{"id":"big","industry":"${HUGE}"}\n{"id":"b","industry":"Software"}\n`, 'line 2: line longer than 8388608 characters — skipped'],
    ['rows.csv', `id,industry\na,Software\nbig,${HUGE}\nb,Software\n`, 'line 3: record longer than 8388608 characters — skipped'],
    ['rows.json', `[{"id":"a","industry":"Software"},\n{"id":"big","industry":"${HUGE}"},\n{"id":"b","industry":"Software"}]\n`, 'line 2: array element 2 is longer than 8388608 characters — skipped'],
  ])('%s: skipped and reported, the other rows scored', async (name, content, line) => {
    const input = join(dir, name);
    await writeFile(input, content);
    const r = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['a', 'b']);
    expect(r.stderr).toContain(`${line}\n`);
  });
});
