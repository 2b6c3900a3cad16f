import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './run-cli.ts';

describe('icp-sync validate', () => {
  it('prints a one-line summary of a valid model and exits 0', async () => {
    const r = await runCli(['validate', '--model', 'test/fixtures/cli/model.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'test/fixtures/cli/model.yaml: valid — model fixture-1 "Fixture ICP", 4 criteria (W=100), 1 exclusion, tiers A≥70 B≥40 C≥0 (excluded: X)\n',
    );
    expect(r.code).toBe(0);
  });

  it('reads ICP_MODEL_PATH when --model is not given', async () => {
    const r = await runCli(['validate'], { env: { ICP_MODEL_PATH: fixture('model.yaml') } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid — model fixture-1');
  });

  it('validates the example model shipped in config/', async () => {
    const r = await runCli(['validate', '--model', 'config/icp.example.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config\/icp\.example\.yaml: valid — model \S+ .*criteria \(W=\d+/);
  });

  it('lists every problem of an invalid model, one per line on stderr, and exits 1', async () => {
    const r = await runCli(['validate', '--model', 'test/fixtures/cli/invalid-model.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^invalid-model\.yaml: /);
    for (const path of ['criteria[0].weight', 'criteria[1].id', 'criteria[1].match.bands', 'tiers[1].name', 'tiers:']) {
      expect(r.stderr).toContain(`invalid-model.yaml: ${path}`);
    }
  });

  it('says so when the model file does not exist', async () => {
    const r = await runCli(['validate', '--model', 'test/fixtures/cli/nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nope\.yaml: cannot read file: no such file/);
  });

  it('has --help and refuses unknown flags', async () => {
    const help = await runCli(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: icp-sync validate [options]');
    expect(help.stdout).toContain('--model <path>');
    const bad = await runCli(['validate', '--modle', 'x.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("icp-sync: unknown option '--modle' (Did you mean --model?) (see `icp-sync validate --help`)\n");
  });
});

describe('icp-sync validate with buying roles', () => {
  it('summarises the role set, one line per role', async () => {
    const r = await runCli(['validate', '--model', 'test/fixtures/cli/roles-model.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      'roles: 3 (required: Décideur, Acheteur), 2 ignored title patterns, default 0 points, priority tiers P1≥60 P2≥30 P3≥0 (excluded: X)',
      '  decision_maker "Décideur": 1 point, required, 3 title patterns, HubSpot DECISION_MAKER, Salesforce "Decision Maker"',
      '  buyer "Acheteur": 0.8 points, required, 2 title patterns, HubSpot BUDGET_HOLDER',
      '  user "Utilisateur": 0.5 points, 2 title patterns',
      '',
    ]);
  });
});

describe('icp-sync validate into a pipe closed early', () => {
  it('ends quietly when the reader is gone before anything is printed (| true)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/icp-sync.js validate --model config/icp.example.yaml | true; echo "status $?"`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.stdout).toBe('status 0\n');
  });
});
