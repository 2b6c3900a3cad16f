import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { modelStoreKeys } from '../../src/model-store/keys.ts';
import { createBackfills, type Backfills } from '../../src/pipeline/backfill.ts';
import { LISTINGS_QUEUE } from '../../src/pipeline/batch-job.ts';
import { pipelineKeys } from '../../src/pipeline/keys.ts';
import { syncModelVersion } from '../../src/pipeline/model-sync.ts';
import { createFakeConnector } from '../pipeline/fake-connector.ts';
import { cleanRedis, MODEL_YAML, silentLogger, testEnv, testScorer } from '../pipeline/helpers.ts';

let env: Env;
let redis: Redis;
let listings: Queue;
let backfills: Backfills;

beforeAll(() => {
  env = testEnv();
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const keys = pipelineKeys(env.REDIS_PREFIX);
  listings = new Queue(LISTINGS_QUEUE, { connection: redis, prefix: keys.bullPrefix });
  backfills = createBackfills({ redis, keys, listings, objectTypes: () => ['companies'] });
});

afterAll(async () => {
  await listings.close();
  await cleanRedis(env);
  redis.disconnect();
});

describe('model-change work per history entry', () => {
  it('runs once per revision, skips a revision older than the one done, and does no work for the same version', async () => {
    const keys = pipelineKeys(env.REDIS_PREFIX);
    const crm = createFakeConnector();
    const key = modelStoreKeys(env.REDIS_PREFIX).syncedRevision('hubspot');
    const v1 = testScorer();
    const v2 = testScorer(MODEL_YAML.replace('"t-1"', '"t-2"'));
    const sync = (scorer: typeof v1, revision: number) =>
      syncModelVersion(crm, { redis, keys, scorer, backfills, logger: silentLogger, auto: true, revision: { revision, key } });

    expect(await sync(v1, 1)).toBe('backfill-started');
    expect(await sync(v1, 1)).toBe('unchanged');
    // Two processes see revision 2 at once: one does the work.
    expect((await Promise.all([sync(v2, 2), sync(v2, 2)])).sort()).toEqual(['backfill-started', 'unchanged']);
    // A process still on revision 1 (it missed the message) never sets the CRM back to it.
    expect(await sync(v1, 1)).toBe('unchanged');
    expect(await redis.get(keys.modelVersion('hubspot'))).toBe('t-2');
    // A rollback to t-1 (revision 3) is a change; a rollback to the version synced (revision 4 → t-1) is not.
    expect(await sync(v1, 3)).toBe('backfill-started');
    expect(await sync(v1, 4)).toBe('unchanged');
    expect(await redis.get(key)).toBe('4');
    expect(crm.setupSpecs).toHaveLength(3);
  });
});
