/**
 * The mappings of one process: at start the mappings file is registered in the history when its
 * text was never registered, then the newest entry is used and followed (pub/sub and poll).
 * Starting never waits for Redis: while it is away the file's mappings are used, and the file is
 * registered once Redis answers.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logging.ts';
import type { Mappings } from '../mappings/types.ts';
import { loadedMappingsOf, watchMappings, type LoadedMappings, type MappingsWatcher } from './mapping-watcher.ts';
import type { MappingStore } from './types.ts';

export interface ProcessMappingsOptions {
  store: MappingStore;
  channel: string;
  /** A dedicated connection for the subscription (closed by `close`). */
  subscriber: Redis;
  logger: Logger;
  /** The mappings read and validated at start; `text`/`path` absent when no file exists (built-in defaults). */
  file: { mappings: Mappings; text?: string; path?: string };
  pollMs?: number;
  /** How long start waits for the history before going on with the file's mappings, ms (default 3000). */
  startTimeoutMs?: number;
}

export async function startProcessMappings(o: ProcessMappingsOptions): Promise<MappingsWatcher> {
  let initial: LoadedMappings = { mappings: o.file.mappings };
  let pending = o.file.text !== undefined && o.file.path !== undefined;
  const register = async (): Promise<void> => {
    if (!pending || o.file.text === undefined || o.file.path === undefined) return;
    const { registered, entry } = await o.store.registerFile(o.file.text, o.file.path);
    pending = false;
    if (registered) o.logger.info({ revision: entry.revision, path: o.file.path }, 'mappings file registered in the mappings history: it is the active mappings');
  };
  const attempt = (async () => {
    await register();
    const active = await o.store.active();
    return active === undefined ? undefined : loadedMappingsOf(o.store, active);
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), o.startTimeoutMs ?? 3000)));
  try {
    const got = await Promise.race([attempt, timeout]);
    if (got === 'timeout') o.logger.warn('mappings history not reachable at start: using the mappings file until Redis answers');
    else if (got !== undefined) initial = got;
  } catch (err) {
    o.logger.warn({ err: (err as Error).message }, 'mappings history not readable at start: using the mappings file until it is');
  } finally {
    clearTimeout(timer);
  }
  attempt.catch(() => undefined);
  return watchMappings({
    store: o.store,
    channel: o.channel,
    subscriber: o.subscriber,
    initial,
    logger: o.logger,
    ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
    beforeRead: register,
  });
}
