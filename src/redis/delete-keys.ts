/**
 * Deletes every key matching a pattern, walking the keyspace with SCAN (never KEYS, which blocks
 * Redis on a large keyspace) and UNLINK (freed in the background). Used to remove a private
 * prefix: the demo's, a benchmark's, a test's.
 */
import type { Redis } from 'ioredis';

/** Returns how many keys were removed. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

/**
 * Deletes every key under `prefix`: the pipeline's, which carry it as a hash tag (`{prefix}:…`, see
 * src/pipeline/keys.ts), and the limiter, budget, registry and model-store keys, which use it bare
 * (`prefix:…`). A prefix given as `{prefix}` is read as `prefix`. Returns how many were removed.
 */
export async function deletePrefixKeys(redis: Redis, prefix: string): Promise<number> {
  const bare = prefix.replace(/^\{(.*)\}$/, '$1');
  return (await deleteKeys(redis, `${bare}*`)) + (await deleteKeys(redis, `{${bare}}*`));
}
