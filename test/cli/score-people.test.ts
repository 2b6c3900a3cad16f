/**
 * `icp-sync score` on people rows: with roles in the model each row gets its role, priority and
 * priority tier (PRODUCT.md §2), worked out by hand below from test/fixtures/cli/roles-model.yaml.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const ARGS = ['score', '--model', 'test/fixtures/cli/roles-model.yaml', '--input', 'test/fixtures/cli/people.csv'];

// id → [role, priority, priority tier]; tiers P1 ≥ 60, P2 ≥ 30, P3 ≥ 0, excluded X.
const EXPECTED: Record<string, [string, number, string]> = {
  p1: ['decision_maker', 80, 'P1'], // "Directeur Général" matches "directeur general": 80 × 1
  p2: ['none', 0, 'P3'], // "Développeuse" is not the word "developpeur"
  p3: ['user', 40, 'P2'], // 80 × 0.5
  p4: ['none', 0, 'P3'], // "assistante" is ignored, even with "DG" in the title
  p5: ['buyer', 72, 'P1'], // the CRM role wins over an ignored title: 90 × 0.8
  p6: ['decision_maker', 61, 'P1'], // Salesforce value "Decision Maker"
  p7: ['buyer', 0, 'X'], // excluded account: priority 0 and the excluded tier
  p8: ['decision_maker', 70, 'P1'], // no account_score: the row's own fit (software 40 + size 30)
  p10: ['decision_maker', 50, 'P2'], // END_USER (0.5) and DECISION_MAKER (1): the most points
};

describe('icp-sync score with people rows', () => {
  it('adds role, priority and priority tier as json keys', async () => {
    const r = await runCli([...ARGS, '--format', 'json']);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.fromEntries(rows.map((row) => [row['id'], [row['role'], row['priority'], row['priorityTier']]]))).toEqual(EXPECTED);
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'score', 'tier', 'excluded', 'completeness', 'tags', 'reasons', 'role', 'priority', 'priorityTier']);
    expect(r.stderr).toContain('line 10: cannot be scored (account_score "abc" is not a whole number from 0 to 100) — skipped');
    expect(r.code).toBe(2);
  });

  it('adds role, priority and priority_tier as csv columns', async () => {
    const r = await runCli([...ARGS, '--format', 'csv']);
    const [header, ...lines] = r.stdout.trimEnd().split('\n');
    expect(header).toBe('id,score,tier,excluded,completeness,tags,reasons,role,priority,priority_tier');
    const got = Object.fromEntries(
      lines.map((l) => {
        const cells = l.split(',');
        return [cells[0], [cells.at(-3), Number(cells.at(-2)), cells.at(-1)]];
      }),
    );
    expect(got).toEqual(EXPECTED);
  });

  it('keeps the contract keys for a model without roles', async () => {
    const r = await runCli(['score', '--model', 'test/fixtures/cli/model.yaml', '--input', 'test/fixtures/cli/people.csv', '--format', 'json']);
    for (const line of r.stdout.trimEnd().split('\n')) {
      expect(Object.keys(JSON.parse(line) as object)).toEqual(['id', 'score', 'tier', 'excluded', 'completeness', 'tags', 'reasons']);
    }
  });
});
