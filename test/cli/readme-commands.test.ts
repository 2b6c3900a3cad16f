/**
 * The README's first commands, run as a newcomer would from a checkout: they work from the
 * directory they are typed in and leave their results under `out/` (ignored by Git), never loose
 * files beside the sources.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.ts';

const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');

/** Every `npx icp-sync …` line of the README's shell blocks, without its trailing comment. */
function readmeCommands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /(^|\| )npx icp-sync (score|validate|calibrate --input)/.test(line));
}

/** Splits `cat F | npx icp-sync args…` into the piped file and the arguments. */
function parse(line: string): { stdinFile?: string; args: string[] } {
  const piped = /^cat (\S+) \| (.*)$/.exec(line);
  const command = piped === null ? line : (piped[2] ?? '');
  const args = command.split(/\s+/).slice(2);
  return piped === null ? { args } : { stdinFile: piped[1] ?? '', args };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-readme-'));
  await cp(join(repoRoot, 'examples'), join(dir, 'examples'), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('README commands', () => {
  it('are found in the README', () => {
    const commands = readmeCommands();
    expect(commands.some((c) => c.includes('--output out/'))).toBe(true);
    expect(commands.some((c) => c.startsWith('npx icp-sync calibrate'))).toBe(true);
  });

  it('run from any directory and write only under out/', async () => {
    for (const line of readmeCommands()) {
      // The calibration example names the user's own file; the checkout ships one to try.
      const { stdinFile, args } = parse(line.replace('--input deals.csv', '--input examples/deals.csv'));
      const stdin = stdinFile === undefined ? undefined : await readFile(join(dir, stdinFile), 'utf8');
      const run = await runCli(args, { cwd: dir, env: { NO_COLOR: '1' }, ...(stdin === undefined ? {} : { stdin }) });
      expect(run.code, `${line}\n${run.stderr}`).toBe(0);
    }
    expect((await readdir(dir)).sort()).toEqual(['examples', 'out']);
    expect((await readdir(join(dir, 'out'))).sort()).toContain('scores.csv');
  }, 60_000);
});
