import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { compileModel } from '../../src/domain/scorer.ts';
import { scoreFile, type ScoreFileOptions } from '../../src/io/score-file.ts';

async function fixtureScorer() {
  const text = await readFile(new URL('../fixtures/cli/model.yaml', import.meta.url), 'utf8');
  const parsed = parseModelText(text, 'model.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (d: Buffer) => parts.push(d));
  return { stream, text: () => Buffer.concat(parts).toString('utf8') };
}

/** Runs scoreFile on stdin fed with the given byte pieces, one per event-loop turn. */
async function run(pieces: readonly Buffer[], options: Partial<ScoreFileOptions> = {}) {
  const stdin = new PassThrough();
  const stdout = sink();
  const stderr = sink();
  const done = scoreFile(await fixtureScorer(), { input: '-', format: 'json', idColumn: 'id', ...options }, {
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  for (const p of pieces) {
    stdin.write(p);
    await new Promise((r) => setImmediate(r));
  }
  stdin.end();
  const stats = await done;
  return { stats, stdout: stdout.text(), stderr: stderr.text() };
}

describe('scoreFile', () => {
  it('decodes UTF-8 split across chunks and sniffs the format past a blank first chunk', async () => {
    const text = '\n\n[{"id":"é1","industry":"Software"},\n {"id":"ü2","industry":"IT Services"}]\n';
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.indexOf(Buffer.from('é')) + 1;
    const r = await run([bytes.subarray(0, 1), bytes.subarray(1, cut), bytes.subarray(cut)]);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; score: number });
    expect(rows.map((x) => [x.id, x.score])).toEqual([
      ['é1', 40],
      ['ü2', 20],
    ]);
    expect([r.stats.scored, r.stats.skipped, r.stderr]).toEqual([2, 0, '']);
  });

  it('lists the first 1,000 skipped rows and counts the rest', async () => {
    const lines = ['id,industry', ...Array.from({ length: 1500 }, () => ',Software'), 'ok,Software'];
    const r = await run([Buffer.from(lines.join('\n'))], { format: 'csv' });
    expect([r.stats.scored, r.stats.skipped]).toEqual([1, 1500]);
    const errLines = r.stderr.trimEnd().split('\n');
    expect(errLines).toHaveLength(1 + 1000 + 1);
    expect(errLines[0]).toBe('note: no column for attribute(s) employees, naf, tech_stack, is_competitor: every row counts them as missing');
    expect(errLines[1000]).toBe('line 1001: no value in id column "id" — skipped');
    expect(errLines.at(-1)).toBe('(more skipped rows are counted but not listed)');
    expect(r.stdout.split('\n')[1]).toBe('ok,40,B,false,0.4,secteur-cible,+40 Secteur: Software · ? Effectif: inconnu · ? NAF: inconnu · ? Stack: inconnu');
  });

  it('writes --output to a pipe in place instead of renaming a file over it (as root, --output /dev/null replaced the device)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'icp-fifo-'));
    try {
      const input = join(dir, 'in.csv');
      await writeFile(input, 'id,industry\nc1,Software\n');
      const fifo = join(dir, 'out.fifo');
      execFileSync('mkfifo', [fifo]);
      const reader = createReadStream(fifo);
      const received: Buffer[] = [];
      reader.on('data', (d) => received.push(d as Buffer));
      const closed = once(reader, 'close');
      const stats = await scoreFile(await fixtureScorer(), { input, format: 'csv', idColumn: 'id', output: fifo }, {
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        stderr: new PassThrough(),
      });
      await closed;
      expect(stats.scored).toBe(1);
      expect((await stat(fifo)).isFIFO()).toBe(true);
      expect(Buffer.concat(received).toString('utf8')).toMatch(/^id,score,tier,excluded,completeness,tags,reasons\nc1,40,B,/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

