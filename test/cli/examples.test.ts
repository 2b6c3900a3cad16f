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
});
