import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { SampleNotReadyError } from '../../src/preview/model-preview.ts';
import { createFakeConnector, type FakeConnector } from '../pipeline/fake-connector.ts';
import { cleanRedis, MODEL_YAML, silentLogger, testEnv, testScorer } from '../pipeline/helpers.ts';

let env: Env;
let crm: FakeConnector;
let runtime: Runtime;

beforeEach(async () => {
  env = testEnv();
  crm = createFakeConnector({ pageSize: 100 });
  for (let i = 1; i <= 350; i++) {
    crm.records.set(String(i), { name: `Company ${i}`, industry: 'Software', numberofemployees: '120', country: i % 2 ? 'France' : 'Germany' });
  }
  runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS });
});

afterEach(async () => {
  await runtime.close();
  await cleanRedis(env);
});

describe('what-if preview over a cached sample', () => {
  it('reads a sample in pages, caches it with its time, and previews a draft on it', async () => {
    const { samples } = runtime.preview;
    expect(await samples.status('hubspot', 'companies')).toMatchObject({ state: 'empty', count: 0 });
    const draft = MODEL_YAML.replace('"t-1"', '"t-2"').replace('weight: 20', 'weight: 80');
    await expect(runtime.preview.preview({ crm: 'hubspot', objectType: 'companies', draft })).rejects.toBeInstanceOf(SampleNotReadyError);

    const started = await samples.refresh('hubspot', 'companies', { size: 250 });
    expect(started.state).toBe('reading');
    await samples.settled('hubspot', 'companies');
    const ready = await samples.status('hubspot', 'companies');
    expect(ready).toMatchObject({ state: 'ready', count: 250, size: 250 });
    expect(ready.readAt).toBeDefined();
    // Three listing pages of 100, no per-record read.
    expect(crm.calls).toMatchObject({ list: 3, read: 0 });

    const r = await runtime.preview.preview({ crm: 'hubspot', objectType: 'companies', draft, top: 3 });
    expect(r.sample).toEqual({ count: 250, readAt: ready.readAt });
    expect(r.current).toEqual({ version: 't-1' });
    expect(r.draft).toEqual({ version: 't-2' });
    expect(r.changes.map((c) => c.text)).toContain('version t-1 → t-2');
    // 125 German companies go from 80 (A) to 50 (B); the French ones stay at 100.
    expect(r.whatIf.moves['A']).toMatchObject({ A: 125, B: 125 });
    expect(r.whatIf.movers).toHaveLength(3);
    expect(r.whatIf.movers[0]).toMatchObject({ id: '10', name: 'Company 10', delta: -30 }); // ties in id order, as text

    const bad = await runtime.preview.preview({ crm: 'hubspot', objectType: 'companies', draft: draft.replace('weight: 30', 'weight: 0') }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).problems).toContain('icp.yaml: criteria[1].weight: must be > 0');
  });

  it('a failed read says why and keeps the previous sample', async () => {
    const { samples } = runtime.preview;
    await samples.refresh('hubspot', 'companies', { size: 50 });
    await samples.settled('hubspot', 'companies');
    crm.failNext.push(new Error('HubSpot answered 503'));
    await samples.refresh('hubspot', 'companies');
    await samples.settled('hubspot', 'companies');
    expect(await samples.status('hubspot', 'companies')).toMatchObject({ state: 'failed', error: 'HubSpot answered 503', count: 50 });
    expect((await samples.records('hubspot', 'companies'))?.records).toHaveLength(50);
    await expect(samples.refresh('hubspot', 'deals')).rejects.toBeInstanceOf(ConfigError);
  });

  it('shows the coverage of each attribute and previews a mappings edit on the sample', async () => {
    const { samples } = runtime.preview;
    await samples.refresh('hubspot', 'companies', { size: 100 });
    await samples.settled('hubspot', 'companies');
    const cov = await runtime.preview.coverage?.('hubspot', 'companies');
    const country = cov?.attributes.find((a) => a.attribute === 'country');
    expect(country).toMatchObject({ fields: ['country'], withValue: 100, coverage: 1, byField: { country: 100 }, usedByModel: true });
    expect(country?.examples.sort()).toEqual(['DE', 'FR']);
    expect(cov?.attributes.find((a) => a.attribute === 'annual_revenue')).toMatchObject({ coverage: 0, usedByModel: false, examples: [] });

    // Country no longer mapped: completeness 1 → 0.8, French companies 100 → 80, German ones stay at 80.
    const r = await runtime.preview.previewMappings?.({ crm: 'hubspot', objectType: 'companies', mappings: 'hubspot:\n  companies:\n    attributes:\n      country: null\n' });
    expect(r?.whatIf.averageCompleteness).toEqual({ current: 1, draft: 0.8 });
    expect(r?.whatIf.scoreChanges).toBe(50);
    expect(r?.whatIf.tierChanges).toBe(0);
    expect(r?.coverage.draft.find((a) => a.attribute === 'country')).toMatchObject({ coverage: 0, fields: [] });
    expect(r?.unreadFields).toEqual([]);

    const moved = 'hubspot:\n  companies:\n    attributes:\n      employees: { field: headcount, transform: number }\n';
    expect((await runtime.preview.previewMappings?.({ crm: 'hubspot', objectType: 'companies', mappings: moved }))?.unreadFields).toEqual(['headcount']);
    const bad = await runtime.preview.previewMappings?.({ crm: 'hubspot', objectType: 'companies', mappings: 'hubspot:\n  companies:\n    atributes: {}\n' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).problems[0]).toMatch(/^mappings\.yaml: hubspot\.companies: unknown key\(s\) "atributes"/);
  });
});
