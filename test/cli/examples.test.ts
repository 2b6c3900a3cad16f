import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

interface Row {
  id: string;
  score: number;
  tier: string;
  excluded: boolean;
  completeness: number;
  tags: string[];
}

const rows = (stdout: string): Row[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => {
      const { id, score, tier, excluded, completeness, tags } = JSON.parse(l) as Row;
      return { id, score, tier, excluded, completeness, tags };
    });

describe('examples/ with the example model', () => {
  it('scores all 50 sample companies from CSV and from JSONL alike', async () => {
    const model = ['--model', 'config/icp.example.yaml', '--format', 'json'];
    const [csv, jsonl] = await Promise.all([
      runCli(['score', '--input', 'examples/companies.csv', ...model]),
      runCli(['score', '--input', 'examples/companies.jsonl', ...model]),
    ]);
    expect([csv.code, csv.stderr]).toEqual([0, '']);
    expect([jsonl.code, jsonl.stderr]).toEqual([0, '']);
    const fromCsv = rows(csv.stdout);
    expect(fromCsv).toHaveLength(50);
    expect(rows(jsonl.stdout)).toEqual(fromCsv);
    // The sample shows every outcome: each tier and both exclusions.
    expect(new Set(fromCsv.map((r) => r.tier))).toEqual(new Set(['A', 'B', 'C', 'D', 'X']));
    // Countries in mixed forms are read as ISO codes, as the CRM mappings read them: "Belgique" → BE.
    const c007 = JSON.parse(csv.stdout.split('\n')[6] ?? '{}') as { reasons: Array<{ criterion: string; value: unknown }> };
    expect(c007.reasons.find((r) => r.criterion === 'country')?.value).toBe('BE');
  });
});
