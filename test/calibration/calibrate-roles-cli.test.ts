/**
 * `icp-sync calibrate` on a deals CSV with `roles` and `lost_reason` columns: the text and JSON
 * summaries carry target functions and objections, unknown role ids are warned about with their
 * counts, the suggested model keeps the roles with their suggested points, and the sheet follows
 * `--lang` (else the model's language).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Document } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { modelDocument } from '../../src/domain/calibration/model-document.ts';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { csvField } from '../../src/io/csv-field.ts';
import { syntheticDeals } from './synthetic-deals.ts';
import { FRENCH_MODEL, withRolesAndReasons } from './role-deals.ts';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    text: () => out,
  };
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const COLUMNS = ['account_id', 'industry', 'employees', 'country', 'outcome', 'amount', 'close_date', 'roles', 'lost_reason'];
const DEALS = withRolesAndReasons(syntheticDeals({ deals: 2000, seed: 9 }), 2);

let dir: string;
let deals: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-calibrate-roles-'));
  deals = join(dir, 'deals.csv');
  model = join(dir, 'icp.yaml');
  const rows = DEALS.map((d) => {
    const a = d.attributes as Record<string, string>;
    return [d.account, a['industry'], a['employees'], a['country'], d.won ? 'won' : 'lost', String(d.amount), d.closeDate, (d.roles ?? []).join(';'), d.lostReason ?? '']
      .map((x) => csvField(x ?? ''))
      .join(',');
  });
  await writeFile(deals, `${COLUMNS.join(',')}\n${rows.join('\n')}\n`);
  await writeFile(model, new Document(modelDocument(FRENCH_MODEL)).toString());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('icp-sync calibrate with roles and lost reasons', () => {
  it('prints target functions and objections, warns about unknown role ids, and keeps the roles in the suggested model', async () => {
    const out = join(dir, 'suggested.yaml');
    const report = join(dir, 'report');
    const r = await run(['calibrate', '--input', deals, '--model', model, '--out', out, '--report', report]);
    expect(r.code).toBe(0);
    const champions = DEALS.filter((d) => d.roles?.includes('champion')).length;
    expect(r.stderr).toContain(`warning: role id(s) not in the model's roles: "champion" ×${champions}`);
    expect(r.stdout).toMatch(/^Target functions \(win rate of the accounts where the role was present; 2,000 accounts say which roles were present/m);
    expect(r.stdout).toMatch(/^ {2}Décideur +\d[\d,]* accounts +won .* wins more → points 1, required$/m);
    const lost = DEALS.filter((d) => !d.won);
    const withReason = lost.filter((d) => d.lostReason !== undefined).length;
    expect(r.stdout).toContain(`Frequent objections (${withReason.toLocaleString('en-US')} of ${lost.length.toLocaleString('en-US')} lost deals give a reason`);
    const yaml = await readFile(out, 'utf8');
    const parsed = parseModelText(yaml, 'suggested.yaml');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.model.roles?.list.map((x) => x.id)).toEqual(['decision_maker', 'buyer', 'user']);
    expect(parsed.model.roles?.list[0]).toMatchObject({ points: 1, required: true, titles: FRENCH_MODEL.roles?.list[0]?.titles });
    expect(parsed.model.priorityTiers).toBeUndefined();
    // The model's labels are French: the sheet is too, unless --lang says otherwise.
    const html = await readFile(join(report, 'icp-sheet.html'), 'utf8');
    expect(html).toContain('<h2>Fonctions cibles</h2>');
    expect(html).toContain('<h2>Objections fréquentes</h2>');
    const md = await readFile(join(report, 'icp-sheet.md'), 'utf8');
    expect(md).toContain('## Objections fréquentes');
  });

  it('writes the sheet in the language asked, and refuses another', async () => {
    const report = join(dir, 'report-en');
    const r = await run(['calibrate', '--input', deals, '--model', model, '--report', report, '--lang', 'en', '--format', 'json']);
    expect(r.code).toBe(0);
    const html = await readFile(join(report, 'icp-sheet.html'), 'utf8');
    expect(html).toContain('<h2>Target functions</h2>');
    expect(html).toContain('<h2>Frequent objections</h2>');
    const doc = JSON.parse(r.stdout) as {
      roles: { n: number; unknown: { id: string; rows: number }[]; suggestions: { role: string }[] };
      objections: { overall: { groups: { key: string; deals: number }[] }; topTier: { tier: string } };
      rechallenge: { basis: string; months: number };
    };
    expect(doc.roles.n).toBe(2000);
    expect(doc.roles.unknown.map((u) => u.id)).toEqual(['champion']);
    expect(doc.roles.suggestions.map((s) => s.role)).toEqual(['decision_maker', 'buyer', 'user']);
    expect(doc.objections.overall.groups[0]?.key).toBe('price');
    expect(doc.objections.topTier.tier).toBe('A');
    expect(doc.rechallenge).toMatchObject({ basis: 'suggested', months: 6 });
    const bad = await run(['calibrate', '--input', deals, '--model', model, '--lang', 'de']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lang must be fr or en, not "de"');
  });
});
