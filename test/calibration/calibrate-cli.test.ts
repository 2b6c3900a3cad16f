import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { modelDocument } from '../../src/domain/calibration/model-document.ts';
import { csvField } from '../../src/io/csv-field.ts';
import { Document } from 'yaml';
import { GROUND_TRUTH, syntheticDeals } from './synthetic-deals.ts';

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

const COLUMNS = ['account_id', 'industry', 'employees', 'country', 'founded_year', 'crm_tool', 'outcome', 'amount', 'cycle_days', 'close_date'];

let dir: string;
let deals: string;
let model: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-calibrate-'));
  deals = join(dir, 'deals.csv');
  model = join(dir, 'icp.yaml');
  const rows = syntheticDeals({ deals: 3000, seed: 11 }).map((d) => {
    const a = d.attributes as Record<string, string>;
    return [d.account, a['industry'], a['employees'], a['country'], a['founded_year'], a['crm_tool'], d.won ? 'won' : 'lost', String(d.amount), String(d.cycleDays), d.closeDate]
      .map((x) => csvField(x ?? ''))
      .join(',');
  });
  await writeFile(deals, `${COLUMNS.join(',')}\n${rows.join('\n')}\n`);
  // The current model: the ground truth with an extra criterion on a column the deals lack.
  const current = { ...GROUND_TRUTH, version: '2026.05', criteria: [...GROUND_TRUTH.criteria, { id: 'stack', label: 'stack', attribute: 'tech_stack', weight: 10, tagAt: 1, match: { kind: 'boolean' as const } }] };
  await writeFile(model, new Document(modelDocument(current)).toString());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('icp-sync calibrate', () => {
  it('prints the summary, writes a suggested model that passes validate, and the ICP sheet', async () => {
    const out = join(dir, 'suggested.yaml');
    const report = join(dir, 'report');
    const r = await run(['calibrate', '--input', deals, '--model', model, '--out', out, '--report', report, '--seed', '3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3,000 rows → 3,000 accounts/);
    expect(r.stdout).toMatch(/Segments that win most/);
    expect(r.stdout).toMatch(/industry = Software/);
    expect(r.stdout).toMatch(/Current model 2026\.05/);
    expect(r.stdout).toMatch(/measured without tech_stack: no such column in the data/);
    expect(r.stdout).toMatch(/held-out AUC 0\.\d{3} on 900 accounts not used to fit it \(current model on the same held-out accounts: 0\.\d{3}\)/);
    expect(r.stdout).toMatch(/- tech_stack: dropped \(was 9 % of the score\): not in the data, so not assessed/);
    expect(r.stdout).toMatch(/Re-challenge this ICP by \d{4}-\d{2}-\d{2}/);

    const yaml = await readFile(out, 'utf8');
    expect(yaml.split('\n')[0]).toMatch(/^# Suggested ICP model, written by `icp-sync calibrate` on \d{4}-\d{2}-\d{2}/);
    expect(yaml).toMatch(/closed 2024-11-0\d to 2026-10-\d\d/);
    expect(yaml).toMatch(/AUC 0\.\d{3} \(model 2026\.05 on the same held-out accounts: 0\.\d{3}\)/);
    const validate = await run(['validate', '--model', out]);
    expect(validate.code).toBe(0);

    const html = await readFile(join(report, 'icp-sheet.html'), 'utf8');
    const md = await readFile(join(report, 'icp-sheet.md'), 'utf8');
    expect(html).toMatch(/<svg /);
    expect(md).toMatch(/^# Ideal Customer Profile/);
    expect(md).toMatch(/## What changed since the last model/);
  });

  it('prints JSON with the figures and the same suggestion for the same seed', async () => {
    const a = await run(['calibrate', '--input', deals, '--model', model, '--format', 'json', '--seed', '5']);
    const b = await run(['calibrate', '--input', deals, '--model', model, '--format', 'json', '--seed', '5']);
    expect(a.code).toBe(0);
    const doc = JSON.parse(a.stdout) as Record<string, unknown> & { suggestion: { holdout: { auc: number }; model: unknown }; current: { holdout: { auc: number } } };
    expect(doc['accounts']).toBe(3000);
    expect(doc.suggestion.holdout.auc).toBeGreaterThan(doc.current.holdout.auc - 0.03);
    expect((JSON.parse(b.stdout) as typeof doc).suggestion.model).toEqual(doc.suggestion.model);
  });

  it('exits 2 on bad options and 1 on an unreadable input', async () => {
    expect((await run(['calibrate'])).code).toBe(2);
    expect((await run(['calibrate', '--input', deals, '--best', deals])).code).toBe(2);
    expect((await run(['calibrate', '--best', deals])).stderr).toMatch(/--best needs the whole base/);
    expect((await run(['calibrate', '--input', deals, '--holdout', '0.9'])).code).toBe(2);
    expect((await run(['calibrate', '--input', deals, '--rechallenge-months', '3'])).code).toBe(2);
    expect((await run(['calibrate', '--input', deals, '--tier-shares', '50,50'])).code).toBe(2);
    expect((await run(['calibrate', '--input', deals, '--crm', 'pipedrive'])).code).toBe(2);
    expect((await run(['calibrate', '--input', deals, '--date-format', 'YYYY'])).stderr).toMatch(/--date-format must be DD-MM-YY/);
    expect((await run(['calibrate', '--input', deals, '--unit', 'company'])).stderr).toMatch(/--unit must be deal or account/);
    const missing = await run(['calibrate', '--input', join(dir, 'nope.csv'), '--no-model']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv: no such file/);
  });

  it('exits 3 when the data cannot support a suggestion, after printing the analysis', async () => {
    const few = join(dir, 'few.csv');
    await writeFile(few, 'account_id,industry,outcome\n' + Array.from({ length: 30 }, (_, i) => `a${i},${i % 2 ? 'Software' : 'Retail'},${i < 5 ? 'won' : 'lost'}`).join('\n'));
    const r = await run(['calibrate', '--input', few, '--no-model']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Base win rate: 16\.7 %/);
    expect(r.stderr).toMatch(/no suggested model: too few accounts/);
  });

  it('points teams without lost deals to the best-customers mode', async () => {
    const won = join(dir, 'won.csv');
    await writeFile(won, 'account_id,industry,outcome\n' + Array.from({ length: 40 }, (_, i) => `a${i},Software,won`).join('\n'));
    const r = await run(['calibrate', '--input', won, '--no-model']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/every account is won: .*--best FILE with --base FILE or --crm NAME/);
  });

  it('compares best customers with the base', async () => {
    const base = join(dir, 'base.csv');
    const best = join(dir, 'best.csv');
    const all = syntheticDeals({ deals: 2000, seed: 5 });
    await writeFile(base, `account_id,industry,employees,country\n${all.map((d) => [d.account, d.attributes['industry'], d.attributes['employees'], d.attributes['country']].join(',')).join('\n')}\n`);
    await writeFile(best, `account_id\n${all.filter((d) => d.won).map((d) => d.account).join('\n')}\n`);
    const r = await run(['calibrate', '--best', best, '--base', base, '--no-model', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { mode: string; accounts: number; won: number; suggestion: { attributes: { attribute: string; weight: number }[] } };
    expect(doc.mode).toBe('best');
    expect(doc.accounts).toBe(2000);
    expect(doc.won).toBe(all.filter((d) => d.won).length);
    expect(doc.suggestion.attributes.slice(0, 2).map((a) => a.attribute).sort()).toEqual(['employees', 'industry']);
  });

  it('finding 11: says when --out is left as it was because no model was suggested', async () => {
    const few = join(dir, 'few-out.csv');
    await writeFile(few, 'account_id,industry,outcome\n' + Array.from({ length: 30 }, (_, i) => `a${i},${i % 2 ? 'Software' : 'Retail'},${i < 5 ? 'won' : 'lost'}`).join('\n'));
    const out = join(dir, 'earlier.yaml');
    await writeFile(out, 'earlier suggestion\n');
    const r = await run(['calibrate', '--input', few, '--no-model', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/earlier\.yaml left as it was: no model was suggested this time, so the file still holds an earlier one/);
    expect(await readFile(out, 'utf8')).toBe('earlier suggestion\n');
  });

  it('finding 7: leaves out, with a warning, a column only the best-customers file carries', async () => {
    const base = join(dir, 'base7.csv');
    const best = join(dir, 'best7.csv');
    const all = syntheticDeals({ deals: 2000, seed: 5 });
    await writeFile(base, `account_id,industry,employees,country\n${all.map((d) => [d.account, d.attributes['industry'], d.attributes['employees'], d.attributes['country']].join(',')).join('\n')}\n`);
    const won = all.filter((d) => d.won);
    await writeFile(best, `account_id,nps\n${won.map((d, i) => `${d.account},${7 + (i % 4)}`).join('\n')}\n`);
    const r = await run(['calibrate', '--best', best, '--base', base, '--no-model', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*best7\.csv: nps not in the base: not analysed/);
    const doc = JSON.parse(r.stdout) as { attributes: { attribute: string }[]; suggestion: { attributes: { attribute: string }[] } };
    expect(doc.attributes.map((a) => a.attribute)).not.toContain('nps');
    expect(doc.suggestion.attributes.map((a) => a.attribute)).not.toContain('nps');
  });
});
