import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedModel, watchModels } from '../../src/model-store/model-watcher.ts';
import { createModelStore } from '../../src/model-store/store.ts';
import { hashTagPrefix } from '../../src/pipeline/keys.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { MODEL_YAML, silentLogger, testScorer, until } from '../pipeline/helpers.ts';

const redis = new Redis('redis://127.0.0.1:6379');
const prefix = `icptest-${randomBytes(5).toString('hex')}`;

afterAll(async () => {
  await deleteKeys(redis, `${hashTagPrefix(prefix)}*`);
  redis.disconnect();
});

describe('model watcher', () => {
  it('catches a publish whose message it missed at its next poll, and tells its listeners once', async () => {
    const store = createModelStore({ redis, prefix });
    const first = await store.publish({ yaml: MODEL_YAML, author: 'ana' });
    const watcher = watchModels({
      store,
      // Subscribed elsewhere: the publish message never arrives, only the poll can see it.
      channel: `${store.keys.channel}-elsewhere`,
      subscriber: redis.duplicate(),
      initial: { ...fixedModel(testScorer()), entry: first },
      logger: silentLogger,
      pollMs: 100,
    });
    const seen: string[] = [];
    watcher.onChange((next, previous) => {
      seen.push(`${previous.scorer.model.version}→${next.scorer.model.version}`);
    });
    try {
      expect(await watcher.refresh()).toBe(false);
      await store.publish({ yaml: MODEL_YAML.replace('"t-1"', '"t-2"'), author: 'bo' });
      const t0 = Date.now();
      await until(() => watcher.current().scorer.model.version === 't-2', 2000, 'the poll');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(watcher.current().entry).toMatchObject({ revision: 2, author: 'bo' });
      expect(await watcher.refresh()).toBe(false);
      expect(seen).toEqual(['t-1→t-2']);
    } finally {
      await watcher.close();
    }
  });
});
