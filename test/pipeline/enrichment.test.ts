/**
 * The enrich step inside a batch: provider values join the CRM's, `preferEnriched` is passed on,
 * and a record scored while a provider failed comes back later for another try.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import type { EnrichInput, Enricher } from '../../src/enrichment/port.ts';
import { buildMappings } from '../../src/mappings/load.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

let env: Env | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (env) await cleanRedis(env);
});

describe('enrichment in the batch worker', () => {
  it('scores with provider attributes, passes preferEnriched, and retries records a provider failed on', async () => {
    const seen: EnrichInput[] = [];
    const enricher: Enricher = {
      async enrich(records) {
        seen.push(...records);
        return records.map((r) => ({
          attributes: { ...r.attributes, country: 'FR' },
          provenance: { ...r.provenance, country: { source: 'recherche-entreprises' } },
          ...(r.key.endsWith(':2') && seen.filter((x) => x.key === r.key).length === 1 ? { incomplete: true } : {}),
        }));
      },
    };
    const crm = createFakeConnector();
    crm.records.set('1', { industry: 'Software', numberofemployees: '100' });
    crm.records.set('2', { industry: 'Software', numberofemployees: '100' });
    env = testEnv();
    const mappings = buildMappings({ hubspot: { companies: { attributes: { industry: { field: 'industry', preferEnriched: true } } } } });
    runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings, enricher, dispatchPollMs: 20 });
    await runtime.startWorkers();
    await runtime.rescore('hubspot', 'companies', ['1', '2']);
    await until(() => crm.records.get('2')?.['icp_fit_score'] === 100, 10_000, 'the scores');
    expect(crm.records.get('1')?.['icp_tags']).toBe('saas;france');
    expect(seen[0]).toMatchObject({ key: 'hubspot:companies:1', preferEnriched: ['industry'], provenance: { industry: { source: 'crm:industry' } } });
    // Record 2's provider failed the first time: it was enriched again (a short retry) before its one write.
    expect(seen.filter((r) => r.key === 'hubspot:companies:2')).toHaveLength(2);
    expect(crm.writes.flat().filter((id) => id === '2')).toEqual(['2']);
  });
});
