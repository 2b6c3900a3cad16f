/**
 * Redis key layout of the limiter and the semaphore:
 *
 * - `{prefix}:rl:{<key>}:w` — sorted set, one member per unit taken, scored by the Redis server time (ms)
 * - `{prefix}:rl:{<key>}:p` — pause marker, expires (PX) when the shared pause ends
 * - `{prefix}:sem:{<key>}:h` — sorted set of permit holders, scored by lease expiry (ms)
 *
 * The `{<key>}` hash tag puts the keys one Lua script touches into one Redis Cluster slot. When the
 * prefix itself holds a hash tag (`{icp}`), Redis uses that first tag instead, which puts every key
 * of the deployment in one slot: also correct, only less spread.
 */

function clean(key: string): string {
  if (key.length === 0) throw new RangeError('limiter key must not be empty');
  // Braces inside the key would change which hash tag Redis Cluster uses.
  return key.replace(/[{}]/g, '_');
}

/** Sorted set of the units taken in the current window of `key`. */
export function windowKey(prefix: string, key: string): string {
  return `${prefix}:rl:{${clean(key)}}:w`;
}

/** Marker whose time-to-live is the shared pause of `key`. */
export function pauseKey(prefix: string, key: string): string {
  return `${prefix}:rl:{${clean(key)}}:p`;
}

/** Sorted set of the permit holders of semaphore `key`, scored by lease expiry. */
export function holdersKey(prefix: string, key: string): string {
  return `${prefix}:sem:{${clean(key)}}:h`;
}
