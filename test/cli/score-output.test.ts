/** `score --output FILE` replaces FILE only when the run succeeds. */
import { mkdtemp, readdir, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const MODEL = ['--model', 'test/fixtures/cli/model.yaml'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-cli-output-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('icp-sync score --output', () => {
  it('a run that fails half-way leaves an existing file untouched and no temporary file behind', async () => {
    const input = join(dir, 'truncated.json');
    // Many rows, then an array that never closes: rows were written before the run failed.
    await writeFile(input, `[${Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `r${i}`, industry: 'Software' })).join(',')}, {"id":"x"`);
    const out = join(dir, 'scores.csv');
    await writeFile(out, 'the previous results\n');
    const r = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the JSON array is not closed');
    expect(await readFile(out, 'utf8')).toBe('the previous results\n');
    expect((await readdir(dir)).sort()).toEqual(['scores.csv', 'truncated.json']);
  });

  it('a successful run replaces the file, keeping its permissions', async () => {
    const input = join(dir, 'ok.csv');
    await writeFile(input, 'id,industry\na,Software\n');
    const out = join(dir, 'kept.csv');
    await writeFile(out, 'old\n');
    await chmod(out, 0o640);
    const r = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv', '--output', out]);
    expect(r.code).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/^id,score,tier,/);
    expect((await stat(out)).mode & 0o777).toBe(0o640);
  });

  it('a folder that cannot be written is one clear line', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, '');
    const target = join(blocker, 'x.csv');
    const r = await runCli(['score', ...MODEL, '--input', 'test/fixtures/cli/companies.csv', '--output', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`icp-sync: cannot write ${target}: ENOTDIR: not a directory, open '${target}'\n`);
  });

  it('makes a missing output folder', async () => {
    const target = join(dir, 'out', 'nested', 'x.csv');
    const r = await runCli(['score', ...MODEL, '--input', 'test/fixtures/cli/companies.csv', '--format', 'csv', '--output', target]);
    expect(r.code, r.stderr).not.toBe(1);
    expect((await readFile(target, 'utf8')).split('\n')[0]).toMatch(/score/);
  });
});
