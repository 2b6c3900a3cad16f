import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MODEL_PATH, loadModel, resolveModelPath } from '../../src/config/model-loader.ts';
import { ConfigError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'icp-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const yamlModel = `version: "t1"
tiers:
  - { name: A, min: 50 }
  - { name: B, min: 0 }
criteria:
  - id: industry
    attribute: industry
    weight: 1
    tag: saas
    match: { kind: category, values: { Software: 1 } }
`;

async function configProblems(path: string): Promise<readonly string[]> {
  try {
    await loadModel(path);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadModel', () => {
  it('loads YAML and compiles a scorer', async () => {
    const path = write('icp.yaml', yamlModel);
    const loaded = await loadModel(path);
    expect(loaded.path).toBe(path);
    expect(loaded.model.version).toBe('t1');
    expect(loaded.scorer.score({ industry: 'SOFTWARE' })).toMatchObject({ score: 100, tier: 'A', tags: ['saas'] });
  });

  it('loads JSON, with a byte-order mark', async () => {
    const doc = {
      version: 't2',
      tiers: [{ name: 'A', min: 0 }],
      criteria: [{ id: 'b2b', attribute: 'is_b2b', weight: 2, match: { kind: 'boolean' } }],
    };
    const loaded = await loadModel(write('icp.json', `\uFEFF${JSON.stringify(doc, null, 2)}`));
    expect(loaded.model.criteria[0]?.label).toBe('b2b');
    expect(loaded.scorer.score({ is_b2b: 'oui' }).score).toBe(100);
  });

  it('refuses a missing file with a clear problem', async () => {
    const problems = await configProblems(join(dir, 'nope', 'icp.yaml'));
    expect(problems).toEqual([`icp.yaml: cannot read file: no such file at ${join(dir, 'nope', 'icp.yaml')}`]);
  });

  it('refuses a directory', async () => {
    const problems = await configProblems(dir);
    expect(problems[0]).toMatch(/cannot read file: .* is a directory$/);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const problems = await configProblems(write('broken.yaml', 'version: "1"\ntiers: [ { name: A, min: 0 }\ncriteria: []\n'));
    expect(problems[0]).toMatch(/^broken\.yaml: \(line \d+, col \d+\): /);
  });

  it('reports every validation problem, named after the file', async () => {
    const problems = await configProblems(write('bad.yaml', yamlModel.replace('weight: 1', 'weight: 0').replace('min: 0', 'min: 10')));
    expect(problems).toEqual([
      'bad.yaml: criteria[0].weight: must be > 0',
      'bad.yaml: tiers: one tier must have min 0, so that every score gets a tier',
    ]);
  });
});

describe('the example model', () => {
  it('passes validation and scores a typical target account', async () => {
    const { scorer, model } = await loadModel(EXAMPLE_MODEL_PATH);
    expect(model.version).toBe('2026.12');
    // The commented buying roles: two required (the committee), each with French and English titles.
    expect(model.roles?.list.map((r) => [r.id, r.points, r.required === true])).toEqual([
      ['decision_maker', 1, true],
      ['buyer', 0.8, true],
      ['user', 0.4, false],
      ['influencer', 0.6, false],
    ]);
    expect(model.roles?.list[0]?.titles).toEqual(expect.arrayContaining(['directeur general', 'ceo']));
    expect(model.priorityTiers?.map((t) => t.name)).toEqual(['P1', 'P2', 'P3', 'P4']);
    const r = scorer.score({
      naf: '62.01Z',
      industry: 'COMPUTER_SOFTWARE',
      employees: '120',
      annual_revenue: '8 500 000',
      country: 'FR',
      tech_stack: ['Slack', 'HubSpot'],
      company_category: 'PME',
      company_age_years: 7,
      is_competitor: false,
    });
    expect(r).toMatchObject({ score: 100, tier: 'A', excluded: false, completeness: 1 });
    expect(r.tags).toEqual(['secteur-tech', 'taille-cible', 'francophone', 'crm-compatible']);
    expect(scorer.score({ naf: '62.01Z', is_closed: true })).toMatchObject({ excluded: true, tier: 'X', score: 0 });
  });
});

describe('resolveModelPath', () => {
  it('prefers the explicit path, then ICP_MODEL_PATH, then the config files', () => {
    expect(resolveModelPath('a.yaml', { ICP_MODEL_PATH: 'b.yaml' })).toBe('a.yaml');
    expect(resolveModelPath(undefined, { ICP_MODEL_PATH: 'b.yaml' })).toBe('b.yaml');
  });

  it('falls back to config/icp.yaml when it exists, else to the example shipped with the package, from any directory', async () => {
    const cwd = process.cwd();
    const project = mkdtempSync(join(dir, 'project-'));
    try {
      process.chdir(project);
      const fallback = resolveModelPath('  ', { ICP_MODEL_PATH: '' });
      expect(fallback).toBe(join(cwd, 'config/icp.example.yaml'));
      expect((await loadModel(fallback)).model.version).toMatch(/^\d{4}\./);
      mkdirSync('config');
      writeFileSync('config/icp.yaml', yamlModel);
      expect(resolveModelPath(undefined, {})).toBe('config/icp.yaml');
    } finally {
      process.chdir(cwd);
    }
  });
});
