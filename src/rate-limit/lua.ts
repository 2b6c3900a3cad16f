/**
 * Runs a Lua script by its SHA1 and loads it on `NOSCRIPT` (after a Redis restart or failover),
 * so each call sends the hash rather than the script text.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script with its SHA1 and the number of KEYS it takes. */
export interface LuaScript {
  source: string;
  sha: string;
  keys: number;
}

/** Prepares a script once, at module load. */
export function defineScript(source: string, keys: number): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex'), keys };
}

/** EVALSHA, falling back to EVAL when Redis does not know the script yet. */
export async function runScript(redis: Redis, script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  if (keys.length !== script.keys) throw new RangeError(`script expects ${script.keys} keys, got ${keys.length}`);
  try {
    return await redis.evalsha(script.sha, script.keys, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
      return redis.eval(script.source, script.keys, ...keys, ...args);
    }
    throw err;
  }
}
