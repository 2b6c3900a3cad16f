import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { buildMappings, loadMappings } from '../../src/mappings/load.ts';
import { createRuntime } from '../../src/pipeline/runtime.ts';
import { silentLogger, testEnv } from '../pipeline/helpers.ts';

function problems(doc: unknown): string[] {
  try {
    buildMappings(doc);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('mappings file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'icp-mappings-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the shipped config/mappings.yaml equals the built-in defaults', async () => {
    expect(await loadMappings({ path: 'config/mappings.yaml', required: true })).toEqual(DEFAULT_MAPPINGS);
  });

  it('merges a section over the defaults, attribute by attribute; null removes one', () => {
    const m = buildMappings({
      hubspot: {
        companies: {
          attributes: {
            tech: { field: 'tech_stack', transform: 'split' },
            industry: { fields: ['icp_industry', 'industry'], transform: [{ map: { SaaS: 'software' } }], preferEnriched: true },
            city: null,
          },
          outputs: { score: 'my_score' },
        },
      },
    });
    const hs = m.hubspot['companies'];
    expect(hs?.attributes['tech']).toEqual({ fields: ['tech_stack'], transforms: [{ kind: 'split', separator: ';' }], preferEnriched: false });
    expect(hs?.attributes['industry']?.preferEnriched).toBe(true);
    expect(hs?.attributes['city']).toBeUndefined();
    expect(hs?.attributes['country']).toEqual(DEFAULT_MAPPINGS.hubspot['companies']?.attributes['country']);
    expect(hs?.outputs.score).toBe('my_score');
    expect(hs?.outputs.tier).toBe('icp_tier');
  });

  it('reports precise problems, all at once', () => {
    const p = problems({
      hubspot: {
        companies: {
          attributes: {
            country: { field: 'country', transform: 'iso' },
            Employees: 'numberofemployees',
            domain: { field: 'domain', fields: ['website'] },
            city: { field: 'has space' },
          },
          outputs: { score: '' , colour: 'x' },
        },
        deals: {},
      },
    });
    expect(p).toContain(
      'mappings.yaml: hubspot.companies.attributes.country.transform: must be one of number, country, host, text, split, or {split: SEP}, or {map: {...}}',
    );
    expect(p.some((l) => l.startsWith('mappings.yaml: hubspot.companies.attributes.Employees: attribute names are snake_case'))).toBe(true);
    expect(p).toContain('mappings.yaml: hubspot.companies.attributes.domain: give either "field" or "fields" (not both)');
    expect(p.some((l) => l.startsWith('mappings.yaml: hubspot.companies.attributes.city.field: must be a CRM field name'))).toBe(true);
    expect(p).toContain('mappings.yaml: hubspot.companies.outputs: unknown key(s) "colour"');
    expect(p).toContain('mappings.yaml: hubspot: unknown key(s) "deals"');
  });

  it('names the line of a YAML syntax error, and a missing explicit file', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'hubspot:\n  companies: [\n');
    await expect(loadMappings({ path: bad, required: true })).rejects.toThrow(/^bad\.yaml: line \d+, column \d+/);
    await expect(loadMappings({ path: join(dir, 'none.yaml'), required: true })).rejects.toBeInstanceOf(ConfigError);
    expect(await loadMappings({ path: join(dir, 'none.yaml') })).toBe(DEFAULT_MAPPINGS);
  });

  it('the runtime refuses to start on a bad mappings file, naming the problem', async () => {
    const bad = join(dir, 'mappings.yaml');
    await writeFile(bad, 'salesforce:\n  Account:\n    attributes:\n      country: { fields: [], transform: country }\n');
    const env = testEnv({ ICP_MAPPINGS_PATH: bad });
    await expect(createRuntime({ env, logger: silentLogger })).rejects.toThrow(
      'mappings.yaml: salesforce.Account.attributes.country.fields: must list at least one field',
    );
  });
});
