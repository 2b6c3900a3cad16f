/**
 * The mappings of one process, swapped when the history's head moves: a save sends the new head on
 * a pub/sub channel, and a poll of the head (one GET) catches a message lost to a reconnect.
 * Readers take `current()` once per unit of work (a batch): a swap never changes a batch under way.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging.ts';
import type { Mappings } from '../mappings/types.ts';
import type { MappingEntry, MappingStore, MappingSummary } from './types.ts';

/** How often a process reads the head revision besides the pub/sub message, ms. */
export const DEFAULT_MAPPINGS_POLL_MS = 5000;

export interface LoadedMappings {
  /** The history entry; absent for mappings given to the process directly or the file before Redis answered. */
  entry?: MappingSummary;
  mappings: Mappings;
}

export interface MappingsWatcher {
  current(): LoadedMappings;
  /** Reads the head now and swaps when it moved; true when it swapped. Concurrent calls share one read. */
  refresh(): Promise<boolean>;
  /** Called after each swap, in order; a listener's failure is logged, not thrown. Returns an unsubscribe. */
  onChange(listener: (next: LoadedMappings, previous: LoadedMappings) => void | Promise<void>): () => void;
  /** Stops the poll and the subscription (closes the subscriber connection). */
  close(): Promise<void>;
}

export interface MappingsWatcherOptions {
  store: MappingStore;
  /** `store.keys.channel`. */
  channel: string;
  /** A dedicated connection, put in subscriber mode; closed by `close()`. */
  subscriber: Redis;
  initial: LoadedMappings;
  logger: Logger;
  pollMs?: number;
  /** Runs before each read of the head (registering a file Redis was away for at start). */
  beforeRead?: () => Promise<void>;
}

export function loadedMappingsOf(store: MappingStore, entry: MappingEntry): LoadedMappings {
  const r = store.validate(entry.yaml);
  if (!r.ok) throw new Error(`mappings revision ${entry.revision} is invalid: ${r.problems.join('; ')}`);
  const { yaml: _yaml, ...summary } = entry;
  return { entry: summary, mappings: r.mappings };
}

export function watchMappings(o: MappingsWatcherOptions): MappingsWatcher {
  let current = o.initial;
  const listeners = new Set<(next: LoadedMappings, previous: LoadedMappings) => void | Promise<void>>();
  let running: Promise<boolean> | undefined;
  let closed = false;

  async function readHead(): Promise<boolean> {
    await o.beforeRead?.();
    const head = await o.store.head();
    if (head === 0 || head === current.entry?.revision) return false;
    const entry = await o.store.get(head);
    if (entry === undefined) return false;
    let next: LoadedMappings;
    try {
      next = loadedMappingsOf(o.store, entry);
    } catch (err) {
      // Saves are validated: this is a text a newer version of icp-sync wrote, or a hand edit in Redis.
      o.logger.error({ revision: head, err: (err as Error).message }, 'mappings revision cannot be loaded; keeping the current mappings');
      return false;
    }
    const previous = current;
    current = next;
    o.logger.info({ revision: head, previous: previous.entry?.revision ?? null, changes: entry.changes.length }, 'field mappings reloaded');
    for (const l of listeners) {
      try {
        await l(next, previous);
      } catch (err) {
        o.logger.error({ revision: head, err: (err as Error).message }, 'mappings change handler failed');
      }
    }
    return true;
  }

  function refresh(): Promise<boolean> {
    if (closed) return Promise.resolve(false);
    // One read at a time; a request during a read runs once more after it (the head may have moved).
    const prior = running ?? Promise.resolve(false);
    const mine: Promise<boolean> = prior
      .catch(() => false)
      .then(readHead)
      .finally(() => {
        if (running === mine) running = undefined;
      });
    running = mine;
    return mine;
  }

  const quietRefresh = (): void => {
    refresh().catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'mappings head could not be read; next poll retries'));
  };

  o.subscriber.on('message', (channel: string) => {
    if (channel === o.channel) quietRefresh();
  });
  o.subscriber.on('ready', quietRefresh);
  o.subscriber.on('error', (err: Error) => o.logger.debug({ err: err.message }, 'mappings subscriber connection error'));
  o.subscriber.subscribe(o.channel).catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'mappings channel subscription failed; polling only'));
  const timer = setInterval(quietRefresh, o.pollMs ?? DEFAULT_MAPPINGS_POLL_MS);
  timer.unref();

  return {
    current: () => current,
    refresh,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.race([running?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      o.subscriber.disconnect();
    },
  };
}

/** Mappings given to the process directly (tests, benchmarks): used as is, never reloaded. */
export function staticMappings(mappings: Mappings): MappingsWatcher {
  const loaded: LoadedMappings = { mappings };
  return { current: () => loaded, refresh: () => Promise.resolve(false), onChange: () => () => undefined, close: () => Promise.resolve() };
}
