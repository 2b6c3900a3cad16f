/**
 * A record whose lookup failed for a moment (429, timeout, 5xx) is not written with its CRM-only
 * score: it is held back and tried again a few seconds later, then written once with the right
 * score; in a backfill it is counted when it is written, so the run ends with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import type { Enricher } from '../../src/enrichment/port.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { objectPipeline } from '../../src/pipeline/object-pipeline.ts';
import { processBatch } from '../../src/pipeline/process-batch.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from '../pipeline/fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from '../pipeline/helpers.ts';

let env: Env | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (env) await cleanRedis(env);
});

/** Adds `country: FR` to every record, except that the first lookup of record 2 fails. */
function flakyEnricher(): { enricher: Enricher; calls: string[] } {
  const calls: string[] = [];
  let failed = false;
  const enricher: Enricher = {
    async enrich(records) {
      return records.map((r) => {
        calls.push(r.key);
        if (r.key.endsWith(':2') && !failed) {
          failed = true;
          return { attributes: r.attributes, provenance: r.provenance, incomplete: true };
        }
        return { attributes: { ...r.attributes, country: 'FR' }, provenance: { ...r.provenance, country: { source: 'recherche-entreprises' } } };
      });
    },
  };
  return { enricher, calls };
}

async function open(crm: FakeConnector, enricher: Enricher): Promise<Runtime> {
  env = testEnv();
  runtime = await createRuntime({ env, logger: silentLogger, connectors: new Map([['hubspot', crm]]), scorer: testScorer(), mappings: DEFAULT_MAPPINGS, enricher, dispatchPollMs: 20 });
  await runtime.startWorkers();
  return runtime;
}

function seeded(): FakeConnector {
  const crm = createFakeConnector();
  // Software (50) + 100 employees (30) = 80 from the CRM alone; the registry's country adds 20.
  for (const id of ['1', '2', '3']) crm.records.set(id, { industry: 'Software', numberofemployees: '100' });
  return crm;
}

describe('a provider failing for a moment', () => {
  it('holds the record back on a live sync and writes its full score once, seconds later', async () => {
    const crm = seeded();
    const { enricher, calls } = flakyEnricher();
    const rt = await open(crm, enricher);
    await rt.rescore('hubspot', 'companies', ['1', '2', '3']);
    await until(() => crm.records.get('2')?.['icp_fit_score'] === 100, 15_000, 'the full score of record 2');
    expect(calls.filter((k) => k.endsWith(':2'))).toHaveLength(2);
    // Record 2 was never written with its CRM-only score of 80: one write, the right one.
    expect(crm.writes.flat().filter((id) => id === '2')).toEqual(['2']);
    for (const id of ['1', '3']) expect(crm.records.get(id)?.['icp_fit_score']).toBe(100);
  });

  it('in a backfill, writes the held record once with its full score and ends the run with it counted', async () => {
    const crm = seeded();
    const { enricher } = flakyEnricher();
    const rt = await open(crm, enricher);
    const { id } = await rt.startBackfill('hubspot');
    await until(async () => (await rt.backfillStatus('hubspot'))[0]?.status === 'done', 15_000, 'the backfill');
    const [state] = await rt.backfillStatus('hubspot');
    expect(state).toMatchObject({ run: id, listed: 3, processed: 3, written: 3, failed: 0 });
    expect(crm.writes.flat().sort()).toEqual(['1', '2', '3']);
    for (const rid of ['1', '2', '3']) expect(crm.records.get(rid)?.['icp_fit_score']).toBe(100);
  });

  it('a held account publishes nothing: no write, no fit for its people, only a later try', async () => {
    const crm = seeded();
    const { enricher } = flakyEnricher();
    const op = objectPipeline(crm, DEFAULT_MAPPINGS, 'companies');
    const out = await processBatch(op, { scorer: testScorer(), enricher }, { ids: ['1', '2', '3'], holdIncomplete: true });
    expect(out.enrichLater).toEqual(['2']);
    expect(out.written.sort()).toEqual(['1', '3']);
    expect(out.fits.map((f) => f.accountId).sort()).toEqual(['1', '3']);
    expect(out.scored.map((x) => x.id).sort()).toEqual(['1', '3']);
    expect(crm.records.get('2')?.['icp_fit_score']).toBeUndefined();
  });
});
