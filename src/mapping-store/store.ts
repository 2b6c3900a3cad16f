/**
 * The mappings history in Redis, built like the model history (src/model-store/store.ts): a save
 * is one Lua script (take the next revision, store the entry, and for a file its text hash), then a
 * pub/sub message to every process; processes also poll the head, so a lost message delays a reload
 * by one poll period at most.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { diffLines } from '../domain/text-diff.ts';
import { ConfigError } from '../errors.ts';
import { DEFAULT_MAPPINGS } from '../mappings/defaults.ts';
import { diffMappings } from '../mappings/diff.ts';
import { parseMappingsText } from '../mappings/load.ts';
import type { Mappings } from '../mappings/types.ts';
import { MappingRevisionNotFoundError, MappingsUnchangedError } from './errors.ts';
import { mappingStoreKeys, type MappingStoreKeys } from './keys.ts';
import type { MappingEntry, MappingSource, MappingStore, MappingSummary, MappingValidateResult } from './types.ts';

export interface MappingStoreOptions {
  redis: Redis;
  /** `REDIS_PREFIX`. */
  prefix: string;
  now?: () => Date;
}

// KEYS: entries, files, head. ARGV: text hash, entry JSON, 'file' (refuse a hash already registered) or 'any'.
// Returns {1, revision} when added, {0, revision holding the hash} when refused.
const APPEND = `
if ARGV[3] == 'file' then
  local existing = redis.call('HGET', KEYS[2], ARGV[1])
  if existing then return {0, tonumber(existing)} end
end
local rev = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], rev, ARGV[2])
if ARGV[3] == 'file' then redis.call('HSET', KEYS[2], ARGV[1], rev) end
return {1, rev}
`;

const LABEL = 'mappings.yaml';

function clean(text: string): string {
  return text.replace(/^\uFEFF/, '');
}

export function mappingsTextHash(text: string): string {
  return createHash('sha256').update(clean(text).replace(/\r\n?/g, '\n').replace(/\s+$/, '')).digest('hex').slice(0, 16);
}

function entryOf(revision: number, json: string | null): MappingEntry | undefined {
  if (json === null) return undefined;
  return { revision, ...(JSON.parse(json) as Omit<MappingEntry, 'revision'>) };
}

function summaryOf(e: MappingEntry): MappingSummary {
  const { yaml: _yaml, ...summary } = e;
  return summary;
}

export function createMappingStore(o: MappingStoreOptions): MappingStore & { readonly keys: MappingStoreKeys } {
  const keys = mappingStoreKeys(o.prefix);
  const now = o.now ?? (() => new Date());

  function validate(yaml: string): MappingValidateResult {
    try {
      return { ok: true, mappings: parseMappingsText(clean(yaml), LABEL) };
    } catch (err) {
      if (err instanceof ConfigError) return { ok: false, problems: [...err.problems] };
      throw err;
    }
  }

  function validOrThrow(yaml: string): Mappings {
    const r = validate(yaml);
    if (!r.ok) throw new ConfigError(r.problems, `invalid mappings:\n${r.problems.join('\n')}`);
    return r.mappings;
  }

  async function head(): Promise<number> {
    return Number((await o.redis.get(keys.head)) ?? 0);
  }

  async function get(revision: number): Promise<MappingEntry | undefined> {
    if (!Number.isInteger(revision) || revision < 1) return undefined;
    return entryOf(revision, await o.redis.hget(keys.entries, String(revision)));
  }

  async function active(): Promise<MappingEntry | undefined> {
    const h = await head();
    return h === 0 ? undefined : get(h);
  }

  function authorOf(author: string): string {
    const a = author.trim();
    if (a === '') throw new ConfigError(['save: author: must not be empty']);
    return a;
  }

  async function append(
    mappings: Mappings,
    fields: { yaml: string; author: string; note: string; source: MappingSource; rollbackOf?: number; path?: string },
    mode: 'file' | 'any',
  ): Promise<{ added: boolean; revision: number; entry: Omit<MappingEntry, 'revision'> }> {
    // The changes are worded against the active entry when the save is written; a save racing
    // another may word them against the one before (the revisions stay exact).
    const previous = await active();
    const before = previous === undefined ? undefined : validate(previous.yaml);
    const hash = mappingsTextHash(fields.yaml);
    const entry: Omit<MappingEntry, 'revision'> = {
      author: fields.author,
      note: fields.note,
      savedAt: now().toISOString(),
      source: fields.source,
      ...(fields.rollbackOf === undefined ? {} : { rollbackOf: fields.rollbackOf }),
      ...(fields.path === undefined ? {} : { path: fields.path }),
      hash,
      changes: diffMappings(before?.ok === true ? before.mappings : DEFAULT_MAPPINGS, mappings),
      yaml: fields.yaml,
    };
    const [added, revision] = (await o.redis.eval(APPEND, 3, keys.entries, keys.files, keys.head, hash, JSON.stringify(entry), mode)) as [number, number];
    if (added === 1) await o.redis.publish(keys.channel, String(revision));
    return { added: added === 1, revision, entry };
  }

  return {
    keys,
    validate,
    async save(input) {
      const yaml = clean(input.yaml);
      const author = authorOf(input.author);
      const mappings = validOrThrow(yaml);
      const current = await active();
      if (current !== undefined) {
        const was = validate(current.yaml);
        if (was.ok && diffMappings(was.mappings, mappings).length === 0) throw new MappingsUnchangedError(current.revision);
      }
      const r = await append(mappings, { yaml, author, note: input.note?.trim() ?? '', source: 'console' }, 'any');
      return { revision: r.revision, ...r.entry };
    },
    async rollback(revision, by) {
      const target = await get(revision);
      if (target === undefined) throw new MappingRevisionNotFoundError(revision);
      const mappings = validOrThrow(target.yaml);
      const r = await append(mappings, { yaml: target.yaml, author: authorOf(by.author), note: by.note?.trim() ?? '', source: 'rollback', rollbackOf: revision }, 'any');
      return { revision: r.revision, ...r.entry };
    },
    async registerFile(yaml, path) {
      const text = clean(yaml);
      const mappings = validOrThrow(text);
      const r = await append(mappings, { yaml: text, author: 'file', note: '', source: 'file', path }, 'file');
      if (r.added) return { registered: true, entry: { revision: r.revision, ...r.entry } };
      const existing = await get(r.revision);
      if (existing === undefined) throw new MappingRevisionNotFoundError(r.revision);
      return { registered: false, entry: existing };
    },
    async history(options = {}) {
      const limit = Math.max(0, options.limit ?? 50);
      const top = await head();
      const revisions: number[] = [];
      for (let r = top; r >= 1 && revisions.length < limit; r--) revisions.push(r);
      if (revisions.length === 0) return [];
      const rows = await o.redis.hmget(keys.entries, ...revisions.map(String));
      return revisions.flatMap((r, i) => {
        const e = entryOf(r, rows[i] ?? null);
        return e === undefined ? [] : [summaryOf(e)];
      });
    },
    get,
    active,
    head,
    async diff(fromRevision, toRevision) {
      const [from, to] = await Promise.all([get(fromRevision), get(toRevision)]);
      if (from === undefined) throw new MappingRevisionNotFoundError(fromRevision);
      if (to === undefined) throw new MappingRevisionNotFoundError(toRevision);
      return {
        from: summaryOf(from),
        to: summaryOf(to),
        changes: diffMappings(validOrThrow(from.yaml), validOrThrow(to.yaml)),
        lines: diffLines(from.yaml, to.yaml),
      };
    },
  };
}
