/**
 * The active model of one process, swapped when the history's head moves. A publish sends the new
 * head on a pub/sub channel; a poll of the head (one GET) catches a message lost to a reconnect.
 * Readers take `current()` once per unit of work (a batch): a swap never changes a batch under way.
 */
import type { Redis } from 'ioredis';
import { parseModelText } from '../domain/model-schema.ts';
import { compileRoles, type CompiledRoles } from '../domain/roles.ts';
import { compileModel, type Scorer } from '../domain/scorer.ts';
import type { Logger } from '../logging.ts';
import type { ModelEntry, ModelStore, ModelSummary } from './types.ts';

/** How often a process reads the head revision besides the pub/sub message, ms. */
export const DEFAULT_MODEL_POLL_MS = 5000;

export interface LoadedModel {
  /** The history entry; absent for a model given to the process directly (tests, benchmarks). */
  entry?: ModelSummary;
  scorer: Scorer;
  /** The model's buying roles, compiled; null without roles. */
  roles: CompiledRoles | null;
}

export interface ModelWatcher {
  /** The model to use for the next unit of work. */
  current(): LoadedModel;
  /** Reads the head now and swaps when it moved; true when it swapped. Concurrent calls share one read. */
  refresh(): Promise<boolean>;
  /** Called after each swap, in order; a listener's failure is logged, not thrown. Returns an unsubscribe. */
  onChange(listener: (next: LoadedModel, previous: LoadedModel) => void | Promise<void>): () => void;
  /** Stops the poll and the subscription (closes `subscriber`). */
  close(): Promise<void>;
}

export function loadedModelOf(entry: ModelEntry): LoadedModel {
  const parsed = parseModelText(entry.yaml, 'icp.yaml');
  if (!parsed.ok) throw new Error(`model revision ${entry.revision} is invalid: ${parsed.problems.join('; ')}`);
  const { yaml: _yaml, ...summary } = entry;
  return { entry: summary, scorer: compileModel(parsed.model), roles: compileRoles(parsed.model) };
}

export function fixedModel(scorer: Scorer): LoadedModel {
  return { scorer, roles: compileRoles(scorer.model) };
}

export interface ModelWatcherOptions {
  store: ModelStore;
  /** Channel the store publishes on (`store.keys.channel`). */
  channel: string;
  /** A dedicated connection: it is put in subscriber mode. Closed by `close()`. */
  subscriber: Redis;
  initial: LoadedModel;
  logger: Logger;
  /** Default `DEFAULT_MODEL_POLL_MS`. */
  pollMs?: number;
  /** Runs before each read of the head (e.g. registering a model file Redis was down for at start). */
  beforeRead?: () => Promise<void>;
}

export function watchModels(o: ModelWatcherOptions): ModelWatcher {
  let current = o.initial;
  const listeners = new Set<(next: LoadedModel, previous: LoadedModel) => void | Promise<void>>();
  let running: Promise<boolean> | undefined;
  let closed = false;

  async function readHead(): Promise<boolean> {
    await o.beforeRead?.();
    const head = await o.store.head();
    if (head === 0 || head === current.entry?.revision) return false;
    const entry = await o.store.get(head);
    if (entry === undefined) return false;
    let next: LoadedModel;
    try {
      next = loadedModelOf(entry);
    } catch (err) {
      o.logger.error({ revision: head, err: (err as Error).message }, 'model revision cannot be loaded; keeping the current model');
      return false;
    }
    const previous = current;
    current = next;
    o.logger.info({ revision: head, version: entry.version, previous: previous.entry?.version ?? previous.scorer.model.version }, 'model reloaded');
    for (const l of listeners) {
      try {
        await l(next, previous);
      } catch (err) {
        o.logger.error({ revision: head, err: (err as Error).message }, 'model change handler failed');
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
    refresh().catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'model head could not be read; next poll retries'));
  };

  o.subscriber.on('message', (channel: string) => {
    if (channel === o.channel) quietRefresh();
  });
  // A reconnect re-subscribes by itself (ioredis); what was published meanwhile is caught here.
  o.subscriber.on('ready', quietRefresh);
  o.subscriber.on('error', (err: Error) => o.logger.debug({ err: err.message }, 'model subscriber connection error'));
  // Not awaited: a process starts while Redis is away (the poll and 'ready' catch up).
  o.subscriber.subscribe(o.channel).catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'model channel subscription failed; polling only'));
  const timer = setInterval(quietRefresh, o.pollMs ?? DEFAULT_MODEL_POLL_MS);
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
      // A read waiting for Redis is not waited for long: closing must not hang while Redis is away.
      await Promise.race([running?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      o.subscriber.disconnect();
    },
  };
}
