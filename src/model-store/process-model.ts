/**
 * The model of one process: at start the model file is registered in the history when its version
 * is new (see `docs/operations.md`, "Model versions"), then the newest entry of the history is used
 * and followed (pub/sub and poll). Starting never waits for Redis: while it is away the file's model
 * is used and registered once Redis answers.
 */
import type { Redis } from 'ioredis';
import { compileRoles } from '../domain/roles.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { Logger } from '../logging.ts';
import { fixedModel, loadedModelOf, watchModels, type LoadedModel, type ModelWatcher } from './model-watcher.ts';
import type { ModelStore } from './types.ts';

export interface ProcessModelOptions {
  store: ModelStore;
  /** `store.keys.channel`. */
  channel: string;
  /** A dedicated connection for the subscription (closed by `close`). */
  subscriber: Redis;
  logger: Logger;
  /** The model file read and validated at start. */
  file: { text: string; path: string; scorer: Scorer };
  pollMs?: number;
  /** How long start waits for the history before going on with the file's model, ms (default 3000). */
  startTimeoutMs?: number;
}

async function registerFile(o: ProcessModelOptions): Promise<void> {
  const { registered, entry } = await o.store.registerFile(o.file.text, o.file.path);
  if (registered) {
    o.logger.info({ revision: entry.revision, version: entry.version, path: o.file.path }, 'model file registered in the model history: it is the active model');
  } else if (entry.yaml.replace(/\s+$/, '') !== o.file.text.replace(/^\uFEFF/, '').replace(/\s+$/, '')) {
    o.logger.warn(
      { version: entry.version, revision: entry.revision, path: o.file.path },
      'the model file has a version already in the model history with another text: the file is ignored (give it a new `version` to make it active)',
    );
  }
}

/** Starts following the history; resolves once the active model is known (or Redis was found away). */
export async function startProcessModel(o: ProcessModelOptions): Promise<ModelWatcher> {
  let initial: LoadedModel = { scorer: o.file.scorer, roles: compileRoles(o.file.scorer.model) };
  let pending = true;
  const register = async (): Promise<void> => {
    if (!pending) return;
    await registerFile(o);
    pending = false;
  };
  const attempt = (async () => {
    await register();
    const active = await o.store.active();
    return active === undefined ? undefined : loadedModelOf(active);
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), o.startTimeoutMs ?? 3000)));
  try {
    const got = await Promise.race([attempt, timeout]);
    if (got === 'timeout') o.logger.warn('model history not reachable at start: using the model file until Redis answers');
    else if (got !== undefined) initial = got;
  } catch (err) {
    o.logger.warn({ err: (err as Error).message }, 'model history not readable at start: using the model file until it is');
  } finally {
    clearTimeout(timer);
  }
  // A late answer or failure of the attempt is not this start's concern any more (the poll goes on).
  attempt.catch(() => undefined);
  return watchModels({
    store: o.store,
    channel: o.channel,
    subscriber: o.subscriber,
    initial,
    logger: o.logger,
    ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
    beforeRead: register,
  });
}

/** A model given to the process directly (tests, benchmarks): used as is, never reloaded. */
export function staticProcessModel(scorer: Scorer): ModelWatcher {
  const model = fixedModel(scorer);
  return {
    current: () => model,
    refresh: () => Promise.resolve(false),
    onChange: () => () => undefined,
    close: () => Promise.resolve(),
  };
}
