/**
 * The model history in Redis. A publish is one Lua script (check the version is free, take the
 * next revision, store the entry), then a pub/sub message to every process; processes also poll the
 * head revision, so a lost message delays a reload by one poll period at most.
 */
import type { Redis } from 'ioredis';
import { parseModelText } from '../domain/model-schema.ts';
import { diffModelVersions } from '../domain/model-version-diff.ts';
import { diffLines } from '../domain/text-diff.ts';
import type { IcpModel } from '../domain/types.ts';
import { ConfigError } from '../errors.ts';
import { ModelRevisionNotFoundError, ModelVersionTakenError } from './errors.ts';
import { modelStoreKeys, type ModelStoreKeys } from './keys.ts';
import type { ExportedModel, ModelEntry, ModelSource, ModelStore, ModelSummary, ValidateResult } from './types.ts';

export interface ModelStoreOptions {
  /** Any connection; the store only sends short commands. */
  redis: Redis;
  /** `REDIS_PREFIX`. */
  prefix: string;
  now?: () => Date;
}

// KEYS: entries, versions, head. ARGV: version, entry JSON, 'new' (refuse a version already there) or 'any'.
// Returns {1, revision} when added, {0, revision holding the version} when refused.
const APPEND = `
if ARGV[3] == 'new' then
  local existing = redis.call('HGET', KEYS[2], ARGV[1])
  if existing then return {0, tonumber(existing)} end
end
local rev = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], rev, ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], rev)
return {1, rev}
`;

const DEFAULT_FILE_NAME = 'icp.yaml';

function stripBom(s: string): string {
  return s.replace(/^\uFEFF/, '');
}

/** Parses one stored entry; the revision is the hash field, not part of the JSON. */
function entryOf(revision: number, json: string | null): ModelEntry | undefined {
  if (json === null) return undefined;
  return { revision, ...(JSON.parse(json) as Omit<ModelEntry, 'revision'>) };
}

function summaryOf(e: ModelEntry): ModelSummary {
  const { yaml: _yaml, ...summary } = e;
  return summary;
}

function safeFilePart(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 64);
}

function commentLines(s: string): string {
  return s
    .split(/\r?\n/)
    .map((l) => `#   ${l}`)
    .join('\n');
}

export function createModelStore(o: ModelStoreOptions): ModelStore & { readonly keys: ModelStoreKeys } {
  const keys = modelStoreKeys(o.prefix);
  const now = o.now ?? (() => new Date());

  function validate(yaml: string, fileName = DEFAULT_FILE_NAME): ValidateResult {
    return parseModelText(stripBom(yaml), fileName);
  }

  function validOrThrow(yaml: string, fileName?: string): IcpModel {
    const r = validate(yaml, fileName);
    if (!r.ok) throw new ConfigError(r.problems, `invalid ICP model:\n${r.problems.join('\n')}`);
    return r.model;
  }

  async function get(revision: number): Promise<ModelEntry | undefined> {
    if (!Number.isInteger(revision) || revision < 1) return undefined;
    return entryOf(revision, await o.redis.hget(keys.entries, String(revision)));
  }

  async function head(): Promise<number> {
    return Number((await o.redis.get(keys.head)) ?? 0);
  }

  async function suggestVersion(base: string): Promise<string> {
    for (let n = 1; ; n++) {
      const candidate = `${base.slice(0, 60)}.${n}`;
      if ((await o.redis.hexists(keys.versions, candidate)) === 0) return candidate;
    }
  }

  async function append(
    model: IcpModel,
    fields: { yaml: string; author: string; note: string; source: ModelSource; rollbackOf?: number; path?: string },
    mode: 'new' | 'any',
  ): Promise<{ added: boolean; revision: number; entry: Omit<ModelEntry, 'revision'> }> {
    const entry: Omit<ModelEntry, 'revision'> = {
      version: model.version,
      ...(model.name === undefined ? {} : { name: model.name }),
      author: fields.author,
      note: fields.note,
      publishedAt: now().toISOString(),
      source: fields.source,
      ...(fields.rollbackOf === undefined ? {} : { rollbackOf: fields.rollbackOf }),
      ...(fields.path === undefined ? {} : { path: fields.path }),
      yaml: fields.yaml,
    };
    const [added, revision] = (await o.redis.eval(APPEND, 3, keys.entries, keys.versions, keys.head, model.version, JSON.stringify(entry), mode)) as [number, number];
    if (added === 1) await o.redis.publish(keys.channel, String(revision));
    return { added: added === 1, revision, entry };
  }

  function authorOf(author: string): string {
    const a = author.trim();
    if (a === '') throw new ConfigError(['publish: author: must not be empty']);
    return a;
  }

  const store: ModelStore & { readonly keys: ModelStoreKeys } = {
    keys,
    validate,
    async publish(input) {
      const yaml = stripBom(input.yaml);
      const author = authorOf(input.author);
      const model = validOrThrow(yaml);
      const r = await append(model, { yaml, author, note: input.note?.trim() ?? '', source: 'console' }, 'new');
      if (!r.added) throw new ModelVersionTakenError(model.version, r.revision, await suggestVersion(model.version));
      return { revision: r.revision, ...r.entry };
    },
    async rollback(revision, by) {
      const target = await get(revision);
      if (target === undefined) throw new ModelRevisionNotFoundError(revision);
      const model = validOrThrow(target.yaml);
      const r = await append(model, { yaml: target.yaml, author: authorOf(by.author), note: by.note?.trim() ?? '', source: 'rollback', rollbackOf: revision }, 'any');
      return { revision: r.revision, ...r.entry };
    },
    async registerFile(yaml, path) {
      const text = stripBom(yaml);
      const model = validOrThrow(text, path.split(/[\\/]/).at(-1));
      const r = await append(model, { yaml: text, author: 'file', note: '', source: 'file', path }, 'new');
      if (r.added) return { registered: true, entry: { revision: r.revision, ...r.entry } };
      const existing = await get(r.revision);
      if (existing === undefined) throw new ModelRevisionNotFoundError(r.revision);
      return { registered: false, entry: existing };
    },
    async history(options = {}) {
      const limit = Math.max(0, options.limit ?? 50);
      const offset = Math.max(0, options.offset ?? 0);
      const top = (await head()) - offset;
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
    async getByVersion(version) {
      const r = await o.redis.hget(keys.versions, version);
      return r === null ? undefined : get(Number(r));
    },
    async active() {
      const h = await head();
      return h === 0 ? undefined : get(h);
    },
    head,
    async diff(fromRevision, toRevision) {
      const [from, to] = await Promise.all([get(fromRevision), get(toRevision)]);
      if (from === undefined) throw new ModelRevisionNotFoundError(fromRevision);
      if (to === undefined) throw new ModelRevisionNotFoundError(toRevision);
      return {
        from: summaryOf(from),
        to: summaryOf(to),
        changes: diffModelVersions(validOrThrow(from.yaml), validOrThrow(to.yaml)),
        lines: diffLines(from.yaml, to.yaml),
      };
    },
    suggestVersion,
    async exportHistory() {
      const h = await head();
      const out: ExportedModel[] = [];
      const width = Math.max(4, String(h).length);
      for (let start = 1; start <= h; start += 500) {
        const revisions = Array.from({ length: Math.min(500, h - start + 1) }, (_, i) => start + i);
        const rows = await o.redis.hmget(keys.entries, ...revisions.map(String));
        revisions.forEach((r, i) => {
          const e = entryOf(r, rows[i] ?? null);
          if (e === undefined) return;
          const header = [
            `# icp-sync model history: revision ${e.revision}, version ${e.version}`,
            `# published ${e.publishedAt} by ${e.author.replace(/[\r\n]+/g, ' ')} (${e.source}${e.rollbackOf === undefined ? '' : ` of revision ${e.rollbackOf}`}${e.path === undefined ? '' : ` from ${e.path}`})`,
            ...(e.note === '' ? [] : ['# note:', commentLines(e.note)]),
          ].join('\n');
          out.push({ fileName: `${String(r).padStart(width, '0')}-${safeFilePart(e.version)}.yaml`, yaml: `${header}\n${e.yaml.endsWith('\n') ? e.yaml : `${e.yaml}\n`}` });
        });
      }
      return out;
    },
  };
  return store;
}
