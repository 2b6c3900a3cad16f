/**
 * Which HubSpot lists icp-sync created: view id → list id, kept in Redis under
 * `{REDIS_PREFIX}:hubspot:lists:{portal}`. This is how a list is known to be ours: setup renames,
 * refilters and `--remove` deletes only lists whose id is here, never a list found by name alone.
 */
import type { Redis } from 'ioredis';

export interface ListRegistry {
  /** View id → list id. */
  all(): Promise<Record<string, string>>;
  set(viewId: string, listId: string): Promise<void>;
  forget(viewId: string): Promise<void>;
  /** False for the in-process registry (no Redis): what it learns is lost when the run ends. */
  readonly durable: boolean;
}

export function redisListRegistry(redis: Redis, key: string): ListRegistry {
  return {
    durable: true,
    all: async () => redis.hgetall(key),
    set: async (viewId, listId) => {
      await redis.hset(key, viewId, listId);
    },
    forget: async (viewId) => {
      await redis.hdel(key, viewId);
    },
  };
}

export function memoryListRegistry(initial: Record<string, string> = {}): ListRegistry {
  const map = new Map(Object.entries(initial));
  return {
    durable: false,
    all: async () => Object.fromEntries(map),
    set: async (viewId, listId) => {
      map.set(viewId, listId);
    },
    forget: async (viewId) => {
      map.delete(viewId);
    },
  };
}

/** The registry key of a portal: its id when `HUBSPOT_PORTAL_ID` is set, else the token's limiter key. */
export function listRegistryKey(prefix: string, portal: string): string {
  return `${prefix}:hubspot:lists:${portal}`;
}
