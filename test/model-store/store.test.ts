import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { ConfigError } from '../../src/errors.ts';
import { ModelRevisionNotFoundError, ModelVersionTakenError } from '../../src/model-store/errors.ts';
import { createModelStore } from '../../src/model-store/store.ts';
import type { ModelStore } from '../../src/model-store/types.ts';
import { hashTagPrefix } from '../../src/pipeline/keys.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { MODEL_YAML } from '../pipeline/helpers.ts';

const redis = new Redis('redis://127.0.0.1:6379');
const prefixes: string[] = [];
let store: ModelStore;
let clock = Date.parse('2026-12-05T08:00:00Z');

function v(version: string, weight = 50): string {
  return MODEL_YAML.replace('version: "t-1"', `version: "${version}"`).replace('weight: 50', `weight: ${weight}`);
}

beforeEach(() => {
  const prefix = `icptest-${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  store = createModelStore({ redis, prefix, now: () => new Date((clock += 60_000)) });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, `${hashTagPrefix(p)}*`);
  redis.disconnect();
});

describe('model store on real Redis', () => {
  it('publishes, lists newest first, gets by revision and version, and the newest is active', async () => {
    expect(await store.active()).toBeUndefined();
    expect(await store.head()).toBe(0);
    const a = await store.publish({ yaml: v('2026.11'), author: 'ana@example.com', note: 'first' });
    const b = await store.publish({ yaml: v('2026.12', 70), author: 'bo@example.com' });
    expect(a).toMatchObject({ revision: 1, version: '2026.11', author: 'ana@example.com', note: 'first', source: 'console' });
    expect(b.revision).toBe(2);
    expect(Date.parse(b.publishedAt)).toBeGreaterThan(Date.parse(a.publishedAt));
    const history = await store.history();
    expect(history.map((h) => [h.revision, h.version, h.source])).toEqual([
      [2, '2026.12', 'console'],
      [1, '2026.11', 'console'],
    ]);
    expect(history[0]).not.toHaveProperty('yaml');
    expect((await store.history({ limit: 1, offset: 1 })).map((h) => h.revision)).toEqual([1]);
    expect((await store.get(1))?.yaml).toBe(v('2026.11'));
    expect((await store.getByVersion('2026.12'))?.revision).toBe(2);
    expect((await store.active())?.revision).toBe(2);
    expect(await store.get(9)).toBeUndefined();
  });

  it('refuses an invalid model with the very lines of `icp-sync validate`', async () => {
    const bad = v('2026.12').replace('weight: 30', 'weight: -3');
    const expected = parseModelText(bad, 'icp.yaml');
    expect(expected.ok).toBe(false);
    const err = await store.publish({ yaml: bad, author: 'ana' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(expected.ok ? [] : expected.problems);
    expect((err as ConfigError).problems).toContain('icp.yaml: criteria[1].weight: must be > 0');
    expect(store.validate(bad)).toEqual(expected);
    expect(await store.head()).toBe(0);
    await expect(store.publish({ yaml: v('x'), author: '  ' })).rejects.toThrow('author: must not be empty');
  });

  it('refuses a version already in the history and suggests a free one', async () => {
    await store.publish({ yaml: v('2026.12'), author: 'ana' });
    await store.publish({ yaml: v('2026.12.1', 60), author: 'ana' });
    const err = await store.publish({ yaml: v('2026.12', 80), author: 'bo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelVersionTakenError);
    expect(err).toMatchObject({ version: '2026.12', revision: 1, suggestion: '2026.12.2' });
    expect((err as Error).message).toContain('version "2026.12" is already in the model history (revision 1)');
    expect(await store.head()).toBe(2);
  });

  it('rolls back to an earlier revision as a new entry with its text and version', async () => {
    await store.publish({ yaml: v('a'), author: 'ana' });
    await store.publish({ yaml: v('b', 10), author: 'ana' });
    const r = await store.rollback(1, { author: 'bo', note: 'b lost our tier A' });
    expect(r).toMatchObject({ revision: 3, version: 'a', source: 'rollback', rollbackOf: 1, author: 'bo', note: 'b lost our tier A', yaml: v('a') });
    expect((await store.active())?.version).toBe('a');
    await expect(store.rollback(42, { author: 'bo' })).rejects.toBeInstanceOf(ModelRevisionNotFoundError);
  });

  it('diffs two revisions in words and by line', async () => {
    await store.publish({ yaml: v('a'), author: 'ana' });
    await store.publish({ yaml: v('b', 130), author: 'ana' });
    const d = await store.diff(1, 2);
    expect(d.from.revision).toBe(1);
    expect(d.to.revision).toBe(2);
    const texts = d.changes.map((c) => c.text);
    expect(texts).toContain('version a → b');
    // industry 50/100 → 130/180 of the total weight.
    expect(texts).toContain('~ industry: weight 50 % → 72 % of the score');
    expect(texts).toContain('~ industry: raw weight 50 → 130');
    expect(d.lines.filter((l) => l.op !== ' ')).toEqual([
      { op: '-', text: 'version: "a"' },
      { op: '+', text: 'version: "b"' },
      { op: '-', text: '    weight: 50' },
      { op: '+', text: '    weight: 130' },
    ]);
    await expect(store.diff(1, 7)).rejects.toBeInstanceOf(ModelRevisionNotFoundError);
  });

  it('registers a model file only when its version is new', async () => {
    const first = await store.registerFile(v('f-1'), '/srv/config/icp.yaml');
    expect(first).toMatchObject({ registered: true, entry: { revision: 1, source: 'file', path: '/srv/config/icp.yaml', author: 'file' } });
    await store.publish({ yaml: v('c-2', 20), author: 'ana' });
    const again = await store.registerFile(v('f-1'), '/srv/config/icp.yaml');
    expect(again).toMatchObject({ registered: false, entry: { revision: 1 } });
    expect((await store.active())?.version).toBe('c-2');
    const bad = await store.registerFile(v('f-2').replace('weight: 30', 'weight: 0'), '/srv/config/icp.yaml').catch((e: unknown) => e);
    expect((bad as ConfigError).problems).toContain('icp.yaml: criteria[1].weight: must be > 0');
  });

  it('exports every entry oldest first as YAML files that still validate', async () => {
    await store.publish({ yaml: v('2026.11'), author: 'ana', note: 'line one\nline two' });
    await store.publish({ yaml: v('2026/12 draft', 20), author: 'bo' });
    const files = await store.exportHistory();
    expect(files.map((f) => f.fileName)).toEqual(['0001-2026.11.yaml', '0002-2026_12_draft.yaml']);
    expect(files[0]?.yaml).toContain('# note:\n#   line one\n#   line two\n');
    for (const f of files) expect(parseModelText(f.yaml, 'icp.yaml').ok).toBe(true);
  });
});
