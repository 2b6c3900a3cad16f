import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.ts';
import { EXPECTED, EXPECTED_SKIPS, type ExpectedRow } from './score-fixture.ts';

const MODEL = ['--model', 'test/fixtures/cli/model.yaml'];
const INPUT = ['--input', 'test/fixtures/cli/companies.csv'];

const jsonOf = ({ text: _text, ...row }: ExpectedRow) => row;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-cli-score-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('icp-sync score', () => {
  it('--format json prints one object per line with exactly the contract keys', async () => {
    const r = await runCli(['score', ...MODEL, ...INPUT, '--format', 'json']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(EXPECTED.map(jsonOf));
    for (const line of lines) {
      expect(Object.keys(JSON.parse(line) as object)).toEqual(['id', 'score', 'tier', 'excluded', 'completeness', 'tags', 'reasons']);
    }
    expect(r.stderr).toBe(`${EXPECTED_SKIPS}5 row(s) scored, 2 skipped\n`);
    expect(r.code).toBe(2);
  });

  it('--format csv prints a header and RFC 4180 rows with the short reasons text', async () => {
    const r = await runCli(['score', ...MODEL, ...INPUT, '--format', 'csv']);
    expect(r.stdout).toBe(
      [
        'id,score,tier,excluded,completeness,tags,reasons',
        'c1,70,A,false,1,secteur-cible;hubspot,"+40 Secteur: Software · +20 NAF: 62.01Z · +10 Stack: HubSpot, Salesforce · 0 Effectif: 1 200"',
        'c2,60,B,false,0.9,pme,+30 Effectif: 250 · +20 Secteur: IT Services · +10 NAF: 62.02A · ? Stack: inconnu',
        'c3,0,X,true,1,,✖ Concurrent direct · +40 Secteur: Software · +30 Effectif: 120 · +20 NAF: 62.01Z · +10 Stack: HubSpot',
        'c4,15,C,false,0.9,,+15 Effectif: 12 · 0 Secteur: Retail · 0 NAF: 47.11Z · ? Stack: inconnu',
        'c7,70,A,false,1,secteur-cible;hubspot,"+40 Secteur: software · +20 NAF: 6201 · +10 Stack: hubspot, pipedrive · 0 Effectif: 49,5"',
        '',
      ].join('\n'),
    );
    const parsed = parseCsv(r.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(parsed.map((p) => p['reasons'])).toEqual(EXPECTED.map((e) => e.text));
    expect(r.code).toBe(2);
  });

  it('--format table (the default) aligns columns and ends with the tier distribution', async () => {
    const r = await runCli(['score', ...MODEL, ...INPUT]);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('id  score  tier  complete  tags                    reasons');
    expect(lines[1]).toBe(`c1     70  A         100%  secteur-cible, hubspot  ${EXPECTED[0]?.text}`);
    expect(lines[3]).toBe(`c3      0  X         100%                          ${EXPECTED[2]?.text}`);
    expect(lines[4]).toBe(`c4     15  C          90%                          ${EXPECTED[3]?.text}`);
    expect(lines.slice(6)).toEqual([
      '',
      'tier  rows   share',
      'A        2   40.0%  Coeur de cible',
      'B        1   20.0%  score ≥ 40',
      'C        1   20.0%  score ≥ 0',
      'X        1   20.0%  excluded',
      '5 row(s) scored, 2 skipped — model fixture-1',
      '',
    ]);
    expect(r.stderr).toBe(EXPECTED_SKIPS);
    expect(r.code).toBe(2);
  });

  it('exits 0 when every row was scored', async () => {
    const input = join(dir, 'clean.csv');
    const csv = await readFile(fixture('companies.csv'), 'utf8');
    await writeFile(input, csv.split('\n').slice(0, 5).join('\n'));
    const r = await runCli(['score', ...MODEL, '--input', input, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(4);
  });

  it('--output writes the results to a file and nothing to stdout', async () => {
    const out = join(dir, 'scores.jsonl');
    const r = await runCli(['score', ...MODEL, ...INPUT, '--format', 'json', '--output', out]);
    expect(r.stdout).toBe('');
    const written = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(written.map((l) => JSON.parse(l) as unknown)).toEqual(EXPECTED.map(jsonOf));
  });

  it('refuses to write the results over the input file', async () => {
    const input = join(dir, 'same.csv');
    await writeFile(input, 'id,industry\nx,Software\n');
    const r = await runCli(['score', ...MODEL, '--input', input, '--output', input]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`icp-sync: --output ${input} is the input file: choose another file\n`);
    expect(await readFile(input, 'utf8')).toBe('id,industry\nx,Software\n');
  });

  it('reads JSON Lines from stdin ("-"), sniffing the format, with typed values', async () => {
    const stdin = [
      '{"id":"j1","industry":"Software","employees":80,"naf":"6201Z","tech_stack":["Pipedrive"],"is_competitor":false}',
      '{"id":42,"industry":"IT services","employees":"1,200"}',
      '',
      '{"id":"j3", broken',
      '["not","an","object"]',
      '{"name":"no id"}',
    ].join('\n');
    const r = await runCli(['score', ...MODEL, '--input', '-', '--format', 'csv'], { stdin });
    // j1: 40 + 30 + 20 + 0 (Pipedrive unlisted) = 90 → A. 42: 0.5·40 = 20, 1 200 in no band → 0,
    // naf and stack missing → 20 → C, completeness 0.7.
    expect(r.stdout).toBe(
      [
        'id,score,tier,excluded,completeness,tags,reasons',
        'j1,90,A,false,1,secteur-cible;pme,+40 Secteur: Software · +30 Effectif: 80 · +20 NAF: 6201Z · 0 Stack: Pipedrive',
        '42,20,C,false,0.7,,"+20 Secteur: IT services · 0 Effectif: 1,200 · ? NAF: inconnu · ? Stack: inconnu"',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      [
        'line 4: not valid JSON — skipped',
        'line 5: line is an array, not an object — skipped',
        'line 6: no value in id column "id" — skipped',
        '2 row(s) scored, 3 skipped',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(2);
  });

  it('reads CSV from stdin with --input-format and another --id-column', async () => {
    const stdin = 'siren,industry,employees\n552100554,Software,60\n';
    const r = await runCli(['score', ...MODEL, '--input', '-', '--input-format', 'csv', '--id-column', 'siren', '--format', 'json'], { stdin });
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout) as { id: string; score: number; tier: string; completeness: number };
    // 40 + 30 = 70 → A; naf and stack have no column → missing: completeness 0.7.
    expect([row.id, row.score, row.tier, row.completeness]).toEqual(['552100554', 70, 'A', 0.7]);
    expect(r.stderr).toBe('note: no column for attribute(s) naf, tech_stack, is_competitor: every row counts them as missing\n');
  });

  it('streams a JSON array file element by element, skipping elements that are not objects', async () => {
    const input = join(dir, 'companies.json');
    await writeFile(
      input,
      '[\n  {"id": "a1", "industry": "Software", "employees": 300, "naf": "62.01Z", "tech_stack": "HubSpot"},\n' +
        '  "oops",\n  {"id": "a2", "industry": "Retail", "is_competitor": "yes"},\n  {"id": "a3" "bad": 1}\n]\n',
    );
    const r = await runCli(['score', ...MODEL, '--input', input, '--format', 'json']);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; score: number; tier: string; excluded: boolean });
    expect(rows.map((x) => [x.id, x.score, x.tier, x.excluded])).toEqual([
      ['a1', 100, 'A', false],
      ['a2', 0, 'X', true],
    ]);
    expect(r.stderr).toBe(
      'line 3: array element 2 is a string, not an object — skipped\nline 5: array element 4 is not valid JSON — skipped\n2 row(s) scored, 2 skipped\n',
    );
    expect(r.code).toBe(2);
  });

  it('quotes CSV output so that ids with commas, quotes and line breaks come back intact', async () => {
    const ids = ['Dupont, Fils & Cie', 'say "hi"', 'two\nlines', 'plain', 'semi;colon'];
    const stdin = ids.map((id) => JSON.stringify({ id: `x${id}`, industry: 'software' })).join('\n');
    const r = await runCli(['score', ...MODEL, '--input', '-', '--format', 'csv'], { stdin });
    expect(r.code).toBe(0);
    const parsed = parseCsv(r.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(parsed.map((p) => p['id'])).toEqual(ids.map((id) => `x${id}`));
    expect(parsed.map((p) => p['score'])).toEqual(['40', '40', '40', '40', '40']);
  });

  it('fails with exit 1 when the input cannot be used at all', async () => {
    const missing = await runCli(['score', ...MODEL, '--input', 'test/fixtures/cli/nope.csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('icp-sync: cannot read test/fixtures/cli/nope.csv: no such file\n');
    const noId = await runCli(['score', ...MODEL, ...INPUT, '--id-column', 'siren']);
    expect(noId.code).toBe(1);
    expect(noId.stderr).toMatch(/^icp-sync: line 1: no column "siren" in the CSV header/);
    const notArray = await runCli(['score', ...MODEL, '--input', '-', '--input-format', 'json'], { stdin: '{"id":"a"}' });
    expect(notArray.code).toBe(1);
    expect(notArray.stderr).toContain('expected a JSON array');
  });

  it('fails with exit 1 and every problem when the model is invalid', async () => {
    const r = await runCli(['score', '--model', 'test/fixtures/cli/invalid-model.yaml', ...INPUT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(5);
  });

  it('has --help, requires --input and refuses unknown flags and formats', async () => {
    const help = await runCli(['score', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--input <file>', '--input-format <format>', '--model <path>', '--format <format>', '--id-column <name>', '--output <file>']) {
      expect(help.stdout).toContain(flag);
    }
    const noInput = await runCli(['score', ...MODEL]);
    expect(noInput.code).toBe(1);
    expect(noInput.stderr).toContain("required option '--input <file>' not specified");
    const unknown = await runCli(['score', ...INPUT, '--fromat', 'csv']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("icp-sync: unknown option '--fromat' (Did you mean --format?) (see `icp-sync score --help`)\n");
    const badFormat = await runCli(['score', ...INPUT, '--format', 'xml']);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain("argument 'xml' is invalid");
  });
});
