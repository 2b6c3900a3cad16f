import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { mulberry32 } from '../../src/domain/prng.ts';
import { compileModel } from '../../src/domain/scorer.ts';
import { CsvParser } from '../../src/io/csv-parser.ts';
import type { ParallelOptions } from '../../src/io/parallel-score.ts';
import { csvRecordsEnd, linesEnd } from '../../src/io/record-boundary.ts';
import { scoreFile, type ScoreFileOptions } from '../../src/io/score-file.ts';

async function fixtureScorer() {
  const text = await readFile(new URL('../fixtures/cli/model.yaml', import.meta.url), 'utf8');
  const parsed = parseModelText(text, 'model.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
}

function capture(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (d: Buffer) => parts.push(d));
  return { stream, bytes: () => Buffer.concat(parts) };
}

interface Outcome {
  stdout: Buffer;
  stderr: string;
  scored: number;
  skipped: number;
  error: string | undefined;
}

async function score(input: string, options: Partial<ScoreFileOptions>, parallel: ParallelOptions): Promise<Outcome> {
  const stdout = capture();
  const stderr = capture();
  let error: string | undefined;
  let stats = { scored: -1, skipped: -1 };
  try {
    stats = await scoreFile(await fixtureScorer(), { input, format: 'csv', idColumn: 'id', ...options, parallel }, {
      stdin: new PassThrough(),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
  } catch (err) {
    error = (err as Error).message;
  }
  return { stdout: stdout.bytes(), stderr: stderr.bytes().toString('utf8'), scored: stats.scored, skipped: stats.skipped, error };
}

const ONE_THREAD: ParallelOptions = { threads: 1 };
/** Tiny parts: most records and quoted fields cross a part boundary somewhere. */
const tiny = (partBytes: number, extra: ParallelOptions = {}): ParallelOptions => ({ threads: 2, partBytes, minBytes: 0, ...extra });

/** Scores `input` on one thread and with workers in tiny parts; both must give the same bytes. */
async function expectSameBothWays(input: string, options: Partial<ScoreFileOptions>, parallel: ParallelOptions): Promise<Outcome> {
  const seq = await score(input, options, ONE_THREAD);
  const par = await score(input, options, parallel);
  expect(par.error).toBe(seq.error);
  expect(par.stderr).toBe(seq.stderr);
  expect([par.scored, par.skipped]).toEqual([seq.scored, seq.skipped]);
  expect(par.stdout.equals(seq.stdout)).toBe(true);
  return par;
}

const INDUSTRIES = ['Software', 'IT Services', 'Retail', 'Logiciel', 'Santé', ''];
const STACKS = ['HubSpot', 'Salesforce', 'HubSpot;Salesforce', 'SAP', ''];

/** A CSV that uses every quoting case, CRLF and LF, blank lines and broken rows; `bad` maps line → reason. */
function trickyCsv(rows: number, seed: number): { text: string; bad: Map<number, string> } {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const bad = new Map<number, string>();
  let text = '\uFEFFid,name,industry,employees,naf,tech_stack,is_competitor\r\n';
  let line = 2;
  for (let i = 1; i <= rows; i++) {
    const eol = rand() < 0.3 ? '\r\n' : '\n';
    const r = rand();
    let name = `Entreprise ${i}`;
    let breaks = 0;
    if (r < 0.15) {
      name = `"Nom sur\ndeux lignes, ""cité"" ${i}\n"`;
      breaks = 2;
    } else if (r < 0.25) name = `"Dupont, SARL ${i}"`;
    else if (r < 0.3) name = `Écran 5" ${i}`;
    else if (r < 0.33) name = `"fermé"après ${i}`;
    const id = rand() < 0.03 ? '' : rand() < 0.05 ? `\uFEFFbom-${i}` : `c${i}`;
    const fields = [id, name, pick(INDUSTRIES), String(Math.floor(rand() * 3000)), pick(['62.01Z', '47.71Z', '']), pick(STACKS), pick(['oui', 'non', ''])];
    if (rand() < 0.03) fields.push('extra');
    text += fields.join(',') + eol;
    if (rand() < 0.05) {
      text += eol;
      breaks += 1;
    }
    if (name.startsWith('"fermé"')) bad.set(line, 'unexpected character after the closing quote');
    else if (fields.length !== 7) bad.set(line, '8 fields, the header has 7');
    else if (id === '') bad.set(line, 'no value in id column');
    line += 1 + breaks;
  }
  return { text, bad };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-parallel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scoring a file with worker threads', () => {
  it('gives the same bytes as one thread on a CSV with quoted line breaks, CRLF, a byte order mark and broken rows, parts cut anywhere', async () => {
    const { text, bad } = trickyCsv(1500, 7);
    const input = join(dir, 'tricky.csv');
    await writeFile(input, text);
    for (const [partBytes, threads] of [[97, 2], [1000, 3]] as const) {
      for (const options of [{ format: 'csv' as const }, { format: 'json' as const }, { format: 'csv' as const, csvSafe: true }]) {
        const par = await expectSameBothWays(input, options, tiny(partBytes, { threads }));
        expect(par.skipped).toBe(bad.size);
      }
    }
    // Line numbers stay those of the whole file.
    const par = await score(input, { format: 'csv' }, tiny(97));
    const listed = par.stderr
      .split('\n')
      .filter((l) => l.startsWith('line '))
      .map((l) => Number(/^line (\d+):/.exec(l)?.[1]));
    expect(listed).toEqual([...bad.keys()]);
    for (const [line, reason] of bad) expect(par.stderr).toContain(`line ${line}: ${reason}`);
  });

  it('gives the same bytes as one thread on JSON Lines with invalid lines, blank lines and a byte order mark', async () => {
    const rand = mulberry32(11);
    const lines = ['\uFEFF{"id":"j0","industry":"Software"}'];
    for (let i = 1; i < 2000; i++) {
      const r = rand();
      if (r < 0.03) lines.push('{"id":');
      else if (r < 0.05) lines.push('[1,2]');
      else if (r < 0.08) lines.push('');
      else if (r < 0.1) lines.push('\uFEFF{"id":"b"}');
      else lines.push(JSON.stringify({ id: `j${i}`, industry: INDUSTRIES[i % INDUSTRIES.length], employees: i % 700, tech_stack: ['HubSpot', 'Zoho'] }));
    }
    const input = join(dir, 'rows.jsonl');
    await writeFile(input, lines.join(rand() < 0.5 ? '\n' : '\r\n'));
    for (const format of ['json', 'csv'] as const) {
      const par = await expectSameBothWays(input, { format }, tiny(61, { threads: 3 }));
      expect(par.skipped).toBeGreaterThan(0);
    }
  });

  it('writes --output the same way', async () => {
    const { text } = trickyCsv(300, 3);
    const input = join(dir, 'out-in.csv');
    await writeFile(input, text);
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    await score(input, { output: a }, ONE_THREAD);
    await score(input, { output: b }, tiny(200));
    expect((await readFile(b)).equals(await readFile(a))).toBe(true);
  });

  it('reads a record longer than a part, and the rest of the file, on the main thread exactly as one thread does', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `c${i},Nom ${i},Software,${i},62.01Z,HubSpot,non`);
    // A 3,000-character quoted field, and one past the end of the file (unterminated).
    rows.splice(150, 0, `long,"${'x,\n'.repeat(1000)}",Software,10,62.01Z,,non`);
    const input = join(dir, 'long.csv');
    await writeFile(input, `id,name,industry,employees,naf,tech_stack,is_competitor\n${rows.join('\n')}\nlast,"never closed\n${'y'.repeat(500)}`);
    const par = await expectSameBothWays(input, { format: 'json' }, tiny(128, { maxPartBytes: 1000 }));
    expect(par.stderr).toContain('line 1403: unterminated quoted field 2 at the end of the input — skipped');
    // Ends in a worker's last part when the limit allows it.
    await expectSameBothWays(input, { format: 'json' }, tiny(128));
  });

  it('skips a line over the 8 Mi-character limit and stops on a runaway quote, as one thread does', { timeout: 120_000 }, async () => {
    const head = 'id,name,industry,employees,naf,tech_stack,is_competitor\n';
    const ok = Array.from({ length: 50 }, (_, i) => `c${i},N,Software,1,62.01Z,,non`).join('\n');
    const skipped = join(dir, 'overlong.csv');
    await writeFile(skipped, `${head}${ok}\nbig,${'z'.repeat(8.5 * 1024 * 1024)},Software,1,62.01Z,,non\n${ok}\n`);
    const par = await expectSameBothWays(skipped, { format: 'csv' }, tiny(4096));
    expect(par.stderr).toContain('line 52: record longer than 8388608 characters — skipped');
    const runaway = join(dir, 'runaway.csv');
    await writeFile(runaway, `${head}${ok}\nbad,"${'q'.repeat(8.5 * 1024 * 1024)}\n${ok}\n`);
    const failed = await expectSameBothWays(runaway, { format: 'csv' }, tiny(4096));
    expect(failed.error).toContain('longer than 8388608 characters');
  });

  it('keeps the one-thread reading for input that is not UTF-8 (Windows-1252 detection, UTF-16)', async () => {
    const { text } = trickyCsv(200, 5);
    const latin = join(dir, 'latin.csv');
    await writeFile(latin, Buffer.from(text.replaceAll('\uFEFF', ''), 'latin1'));
    const par = await expectSameBothWays(latin, { format: 'csv' }, tiny(100));
    expect(par.stderr).toContain('note: the input is not UTF-8');
    const utf16 = join(dir, 'utf16.csv');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/^\uFEFF/, ''), 'utf16le')]));
    await expectSameBothWays(utf16, { format: 'json' }, tiny(100));
    // Valid UTF-8 for a while, then a stray byte: refused alike.
    const mixed = join(dir, 'mixed.csv');
    await writeFile(mixed, Buffer.concat([Buffer.from(text), Buffer.from([0xe9, 0x0a])]));
    const refused = await expectSameBothWays(mixed, { format: 'csv' }, tiny(100));
    expect(refused.error).toContain('not valid UTF-8');
  });

  it('reads on the main thread a file whose header comes after more than a part of blank lines', async () => {
    const input = join(dir, 'blank-start.csv');
    await writeFile(input, `${'\n'.repeat(3000)}id,industry\n${Array.from({ length: 300 }, (_, i) => `c${i},Software`).join('\n')}\n`);
    const par = await expectSameBothWays(input, { format: 'csv' }, tiny(256));
    expect(par.scored).toBe(300);
  });
});

describe('record boundaries', () => {
  const parse = (text: string, firstLine: number) => {
    const out: string[] = [];
    const parser = new CsvParser(
      {
        record: (fields, line) => out.push(`${line}:${JSON.stringify(fields)}`),
        malformed: (line, message) => out.push(`${line}!${message}`),
      },
      { firstLine, atInputStart: firstLine === 1 },
    );
    parser.feed(text);
    parser.end();
    return { out, next: parser.line };
  };

  it('cuts a CSV only where the parser ends a record: both sides parse to the records of the whole', () => {
    const alphabet = fc.constantFrom('a', 'b', ',', '"', '""', '\n', '\r\n', '\r', ' ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        const bytes = Buffer.from(text);
        const end = csvRecordsEnd(bytes);
        if (end > 0) expect(bytes[end - 1]).toBe(0x0a);
        const whole = parse(text, 1).out;
        const head = parse(bytes.subarray(0, end).toString(), 1);
        const tail = parse(bytes.subarray(end).toString(), head.next);
        expect([...head.out, ...tail.out]).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the last line break of JSON Lines', () => {
    expect(linesEnd(Buffer.from('{}\n{}\n{'))).toBe(6);
    expect(linesEnd(Buffer.from('{'))).toBe(0);
    expect(linesEnd(Buffer.alloc(0))).toBe(0);
  });
});
