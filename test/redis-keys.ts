/**
 * Removes a test's Redis keys. The pipeline's keys carry the prefix as a hash tag (`{prefix}:…`,
 * see src/pipeline/keys.ts) while limiter, budget and registry keys use it bare (`prefix:…`): a
 * clean-up must remove both forms, or keys without expiry pile up in the developer's Redis.
 */
import type { Redis } from 'ioredis';
import { deletePrefixKeys } from '../src/redis/delete-keys.ts';

/** Deletes every key under `prefix`, bare or as a hash tag; returns how many were removed. */
export async function removeTestKeys(redis: Redis, prefix: string): Promise<number> {
  return deletePrefixKeys(redis, prefix);
}
