/** `score --threads`: a file large enough for the parallel path gives the same output as one thread. */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const MODEL = ['--model', 'test/fixtures/cli/model.yaml'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-cli-threads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('icp-sync score --threads', () => {
  it('scores a 5 MiB CSV on two threads with the same stdout, stderr and exit code as on one', async () => {
    const rows = Array.from({ length: 80_000 }, (_, i) =>
      i % 9_973 === 5 ? `,"no id, line ${i + 2}",Software,10,62.01Z,,non` : `c${i},"Nom ${i}, SAS",${i % 3 === 0 ? 'Software' : 'Retail'},${i % 700},62.01Z,HubSpot;Salesforce,non`,
    );
    const input = join(dir, 'big.csv');
    await writeFile(input, `id,name,industry,employees,naf,tech_stack,is_competitor\n${rows.join('\n')}\n`);
    // Over the 4 MiB below which a file is read on one thread anyway.
    expect((await stat(input)).size).toBeGreaterThan(4 * 1024 * 1024);
    const one = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv', '--threads', '1']);
    const two = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv', '--threads', '2']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('line 9980: no value in id column "id" — skipped');
    expect([two.code, two.stderr]).toEqual([one.code, one.stderr]);
    expect(two.stdout.length).toBe(one.stdout.length);
    expect(two.stdout === one.stdout).toBe(true);
  });

  it('refuses a thread count that is not a whole number from 1 to 64', async () => {
    const r = await runCli(['score', ...MODEL, '--input', 'test/fixtures/cli/companies.csv', '--threads', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a whole number from 1 to 64');
  });
});
