import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/config/model-loader.ts';
import { DEFAULT_PRIORITY_TIERS } from '../../src/domain/roles.ts';
import { runCli } from './run-cli.ts';

interface Row {
  id: string;
  score: number;
  tier: string;
  excluded: boolean;
  completeness: number;
  tags: string[];
  role: string;
  priority: number;
  priorityTier: string;
}

const rows = (stdout: string): Row[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => {
      const { id, score, tier, excluded, completeness, tags, role, priority, priorityTier } = JSON.parse(l) as Row;
      return { id, score, tier, excluded, completeness, tags, role, priority, priorityTier };
    });

describe('examples/ with the example model', () => {
  it('scores all 50 sample companies from CSV and from JSONL alike', async () => {
    const model = ['--model', 'config/icp.example.yaml', '--format', 'json'];
    const [csv, jsonl] = await Promise.all([
      runCli(['score', '--input', 'examples/companies.csv', ...model]),
      runCli(['score', '--input', 'examples/companies.jsonl', ...model]),
    ]);
    // The example model has buying roles and the files are companies: the CSV header lacks the people
    // columns, which is said once (a JSONL row simply has no such keys).
    const note = 'note: no column for attribute(s) job_title, buying_role, account_score, account_excluded: every row counts them as missing\n';
    expect([csv.code, csv.stderr]).toEqual([0, note]);
    expect([jsonl.code, jsonl.stderr]).toEqual([0, '']);
    const fromCsv = rows(csv.stdout);
    expect(fromCsv).toHaveLength(50);
    expect(rows(jsonl.stdout)).toEqual(fromCsv);
    // The sample shows every outcome: each tier and both exclusions.
    expect(new Set(fromCsv.map((r) => r.tier))).toEqual(new Set(['A', 'B', 'C', 'D', 'X']));
    // Without a title or a role, each row is a couple with no role: priority 0, in the lowest priority
    // tier, or the excluded tier for an excluded account.
    const { model: icp } = await loadModel('config/icp.example.yaml');
    expect(icp.roles?.defaultPoints).toBe(0);
    const lowest = [...(icp.priorityTiers ?? DEFAULT_PRIORITY_TIERS)].sort((a, b) => a.min - b.min)[0]?.name;
    for (const r of fromCsv) {
      expect([r.id, r.role, r.priority, r.priorityTier]).toEqual([r.id, 'none', 0, r.excluded ? icp.excludedTier : lowest]);
    }
    // Countries in mixed forms are read as ISO codes, as the CRM mappings read them: "Belgique" → BE.
    const c007 = JSON.parse(csv.stdout.split('\n')[6] ?? '{}') as { reasons: Array<{ criterion: string; value: unknown }> };
    expect(c007.reasons.find((r) => r.criterion === 'country')?.value).toBe('BE');
  });

  it('calibrates from examples/deals.csv to a suggested model that beats the example model on held-out accounts', { timeout: 60_000 }, async () => {
    const args = ['calibrate', '--input', 'examples/deals.csv', '--model', 'config/icp.example.yaml'];
    const [json, text] = await Promise.all([runCli([...args, '--format', 'json']), runCli(args)]);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      rows: number;
      accounts: number;
      current: { absentAttributes: string[]; holdout: { auc: number } };
      suggestion: { holdout: { auc: number }; model: { criteria: Array<{ attribute: string }> } };
    };
    expect([doc.rows, doc.accounts]).toEqual([840, 800]);
    // The sample carries every attribute the example model reads.
    expect(doc.current.absentAttributes).toEqual([]);
    expect(doc.suggestion.holdout.auc).toBeGreaterThan(doc.current.holdout.auc);
    // The deal's own columns never become account criteria.
    expect(doc.suggestion.model.criteria.map((c) => c.attribute)).not.toContain('roles');
    expect(doc.suggestion.model.criteria.map((c) => c.attribute)).not.toContain('lost_reason');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('the suggestion separates won from lost better than model');
    expect(text.stdout).not.toContain('keep it');
    // Every line the README quotes from this run is printed as quoted.
    const readme = await readFile('README.md', 'utf8');
    const quoted = /Try it on `examples\/deals.csv`[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(quoted.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(3);
    for (const line of quoted.split('\n').filter((l) => l.trim() !== '')) expect(text.stdout, line).toContain(line);
  });

  it('gives each deal of examples/deals.csv the buying roles engaged and each lost deal its reason', async () => {
    const { model } = await loadModel('config/icp.example.yaml');
    const roleIds = new Set(model.roles?.list.map((r) => r.id));
    const [head = '', ...lines] = (await readFile('examples/deals.csv', 'utf8')).trimEnd().split('\n');
    const columns = head.split(',');
    const at = (name: string) => columns.indexOf(name);
    expect(at('roles')).toBeGreaterThan(-1);
    expect(at('lost_reason')).toBeGreaterThan(-1);
    // No quoted commas in this file: a plain split reads it.
    const rows = lines.map((l) => l.split(','));
    expect(rows.every((r) => r.length === columns.length)).toBe(true);
    let withDm = 0;
    let wonWithDm = 0;
    let withoutDm = 0;
    let wonWithoutDm = 0;
    for (const r of rows) {
      const won = r[at('outcome')] === 'won';
      const roles = (r[at('roles')] ?? '').split(';').filter((x) => x !== '');
      for (const role of roles) expect(roleIds.has(role), role).toBe(true);
      expect((r[at('lost_reason')] ?? '') !== '', r.join(',')).toBe(!won);
      if (roles.includes('decision_maker')) {
        withDm += 1;
        if (won) wonWithDm += 1;
      } else {
        withoutDm += 1;
        if (won) wonWithoutDm += 1;
      }
    }
    // Deals with a decision maker engaged are won clearly more often.
    expect(wonWithDm / withDm).toBeGreaterThan(1.5 * (wonWithoutDm / withoutDm));
    const reasons = new Set(rows.map((r) => r[at('lost_reason')]).filter((x) => x));
    for (const reason of ['Prix trop élevé', 'too expensive', 'Pas de budget', 'chose a competitor', 'timing']) expect(reasons.has(reason), reason).toBe(true);
  });
});
