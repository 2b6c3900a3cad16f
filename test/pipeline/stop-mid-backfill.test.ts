/**
 * A process that stops in the middle of a backfill listing gives the listing back at the next page
 * (its cursor saved), so closing never waits for a whole CRM, and another process goes on from that
 * page rather than from the start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import type { Page } from '../../src/connectors/port.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { createFakeConnector, type FakeConnector } from './fake-connector.ts';
import { cleanRedis, silentLogger, testEnv, testScorer, until } from './helpers.ts';

const RECORDS = 600;
const PAGE = 20;

let env: Env | undefined;
const runtimes: Runtime[] = [];

afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
  if (env) await cleanRedis(env);
  env = undefined;
});

function slowCrm(): FakeConnector {
  const crm = createFakeConnector({ pageSize: PAGE });
  for (let i = 1; i <= RECORDS; i++) crm.records.set(String(i).padStart(4, '0'), { industry: 'Software', numberofemployees: '20', country: 'France' });
  const listAll = crm.listAll.bind(crm);
  // Slow pages, so that the listing is still walking when its process is told to stop.
  crm.listAll = async (...args: Parameters<FakeConnector['listAll']>): Promise<Page> => {
    await sleep(40);
    return listAll(...args);
  };
  return crm;
}

async function open(crm: FakeConnector): Promise<Runtime> {
  const rt = await createRuntime({
    env: env ?? (env = testEnv({ AUTO_BACKFILL_ON_MODEL_CHANGE: 'false', INCREMENTAL_SYNC_INTERVAL_MS: '0' })),
    logger: silentLogger,
    connectors: new Map([['hubspot', crm]]),
    scorer: testScorer(),
    mappings: DEFAULT_MAPPINGS,
    dispatchPollMs: 20,
  });
  runtimes.push(rt);
  return rt;
}

describe('stopping in the middle of a backfill', () => {
  it('hands the listing back at the next page; another process finishes it from there', async () => {
    const crm = slowCrm();
    const first = await open(crm);
    await first.startWorkers();
    await first.startBackfill('hubspot');
    await until(async () => ((await first.backfillStatus('hubspot'))[0]?.pages ?? 0) >= 3, 15_000, 'a few pages listed');

    await first.close();
    runtimes.splice(runtimes.indexOf(first), 1);
    const atStop = (await (await open(crm)).backfillStatus('hubspot'))[0];
    const totalPages = RECORDS / PAGE;
    expect(atStop?.status).toBe('running');
    expect(atStop?.listingDone).toBe(false);
    expect(atStop?.pages).toBeLessThan(totalPages);
    const listCallsAtStop = crm.calls.list;

    const second = runtimes[runtimes.length - 1] as Runtime;
    await second.startWorkers();
    await until(async () => (await second.backfillStatus('hubspot'))[0]?.status === 'done', 30_000, 'the backfill to finish');
    const done = (await second.backfillStatus('hubspot'))[0];
    expect(done?.pages).toBe(totalPages);
    expect(done?.listed).toBe(RECORDS);
    for (const fields of crm.records.values()) expect(fields['icp_fit_score']).toBeTypeOf('number');
    // Resumed from the saved cursor: the pages listed after the stop are the ones still missing (one
    // page may be listed twice: the one fetched ahead when the stop came).
    expect(crm.calls.list - listCallsAtStop).toBeLessThanOrEqual(totalPages - (atStop?.pages ?? 0) + 1);
  });
});
