/**
 * The mappings history on a real Redis (isolated prefix, removed afterwards): file registration,
 * console saves with their readable changes, refusals, rollback, diff, and the watcher every
 * process runs (pub/sub, else the poll).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { MappingRevisionNotFoundError, MappingsUnchangedError } from '../../src/mapping-store/errors.ts';
import { watchMappings } from '../../src/mapping-store/mapping-watcher.ts';
import { startProcessMappings } from '../../src/mapping-store/process-mappings.ts';
import { createMappingStore } from '../../src/mapping-store/store.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { parseMappingsText } from '../../src/mappings/load.ts';
import { removeTestKeys } from '../redis-keys.ts';
import { silentLogger, until } from '../pipeline/helpers.ts';

const redis = new Redis('redis://127.0.0.1:6379');
const prefixes: string[] = [];
const freshStore = () => {
  const prefix = `icptest-map-${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  return createMappingStore({ redis, prefix });
};

afterAll(async () => {
  for (const p of prefixes) await removeTestKeys(redis, p);
  redis.disconnect();
});

const FILE = `version: 1
hubspot:
  companies:
    attributes:
      siren: { field: siren, transform: text }
`;
const EDIT = `version: 1
hubspot:
  companies:
    attributes:
      siren: { field: siren, transform: text }
      country: { fields: [hs_country_code, country], transform: country }
    outputs:
      score: acme_fit_score
salesforce:
  Lead:
    attributes:
      state: null
`;

describe('mapping store', () => {
  it('registers a mappings file once per text; a console save survives a restart with the same file', async () => {
    const store = freshStore();
    const first = await store.registerFile(FILE, 'config/mappings.yaml');
    expect(first.registered).toBe(true);
    expect(first.entry).toMatchObject({ revision: 1, author: 'file', source: 'file', path: 'config/mappings.yaml', changes: ['+ hubspot.companies.siren: field siren · transforms text'] });
    // The same text (a BOM and trailing blank lines do not count) is not registered again.
    expect((await store.registerFile(`\uFEFF${FILE}\n\n`, 'config/mappings.yaml')).registered).toBe(false);
    const saved = await store.save({ yaml: EDIT, author: ' Camille ', note: 'country code first' });
    expect(saved).toMatchObject({ revision: 2, author: 'Camille', note: 'country code first', source: 'console' });
    expect(saved.changes).toEqual([
      '~ hubspot.companies.country: fields country → hs_country_code, country',
      '~ hubspot.companies.outputs.score: icp_fit_score → acme_fit_score',
      '- salesforce.Lead.state (was field State · transforms text)',
    ]);
    // A restart with the file as it was keeps the console's edit active.
    const again = await store.registerFile(FILE, 'config/mappings.yaml');
    expect(again).toMatchObject({ registered: false, entry: { revision: 1 } });
    expect((await store.active())?.revision).toBe(2);
    // A new file text deployed from Git becomes active.
    const deployed = await store.registerFile(`${FILE}      # reviewed\n`, 'config/mappings.yaml');
    expect(deployed).toMatchObject({ registered: true, entry: { revision: 3 } });
    expect((await store.history()).map((h) => h.revision)).toEqual([3, 2, 1]);
  });

  it('refuses an invalid text with the loader messages, an empty author and a save that changes nothing', async () => {
    const store = freshStore();
    const bad = 'hubspot:\n  companies:\n    attributes:\n      employees: { field: numberofemployees, transform: round }\n';
    const error = await store.save({ yaml: bad, author: 'ana' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const expected = (() => {
      try {
        parseMappingsText(bad);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    })();
    expect((error as ConfigError).problems).toEqual(expected);
    expect(expected[0]).toMatch(/^mappings\.yaml: hubspot\.companies\.attributes\.employees/);
    expect(store.validate(bad)).toEqual({ ok: false, problems: expected });
    await expect(store.save({ yaml: EDIT, author: '  ' })).rejects.toBeInstanceOf(ConfigError);
    await store.save({ yaml: EDIT, author: 'ana' });
    // Another layout of the same mappings is no change either.
    await expect(store.save({ yaml: `${EDIT}\n# same mappings\n`, author: 'ana' })).rejects.toBeInstanceOf(MappingsUnchangedError);
    expect(await store.head()).toBe(1);
  });

  it('rolls back to an earlier revision as a new entry, and diffs two revisions', async () => {
    const store = freshStore();
    await store.registerFile(FILE, 'config/mappings.yaml');
    await store.save({ yaml: EDIT, author: 'ana' });
    const back = await store.rollback(1, { author: 'bo', note: 'outputs not created yet' });
    expect(back).toMatchObject({ revision: 3, source: 'rollback', rollbackOf: 1, author: 'bo', yaml: FILE });
    expect(back.changes).toContain('~ hubspot.companies.outputs.score: acme_fit_score → icp_fit_score');
    const diff = await store.diff(1, 2);
    expect(diff.changes).toHaveLength(3);
    expect(diff.lines.filter((l) => l.op === '+').map((l) => l.text)).toContain('      country: { fields: [hs_country_code, country], transform: country }');
    await expect(store.rollback(9, { author: 'bo' })).rejects.toBeInstanceOf(MappingRevisionNotFoundError);
    await expect(store.diff(1, 9)).rejects.toBeInstanceOf(MappingRevisionNotFoundError);
  });
});

describe('mappings watcher', () => {
  it('follows a save through pub/sub within a second, tells its listeners once, and keeps the mappings a batch took', async () => {
    const store = freshStore();
    const watcher = await startProcessMappings({
      store,
      channel: store.keys.channel,
      subscriber: redis.duplicate(),
      logger: silentLogger,
      file: { mappings: parseMappingsText(FILE), text: FILE, path: 'config/mappings.yaml' },
      // Long: passing proves the message did the work.
      pollMs: 60_000,
    });
    const seen: string[] = [];
    watcher.onChange((next, previous) => {
      seen.push(`${previous.entry?.revision ?? 0}→${next.entry?.revision ?? 0}`);
    });
    try {
      expect(watcher.current().entry?.revision).toBe(1);
      const taken = watcher.current().mappings;
      // Another process saves.
      const conn = redis.duplicate();
      const other = createMappingStore({ redis: conn, prefix: prefixes.at(-1) ?? '' });
      const t0 = Date.now();
      await other.save({ yaml: EDIT, author: 'ana' });
      conn.disconnect();
      await until(() => watcher.current().entry?.revision === 2, 2000, 'the pub/sub message');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(watcher.current().mappings.hubspot['companies']?.attributes['country']?.fields).toEqual(['hs_country_code', 'country']);
      expect(taken.hubspot['companies']?.attributes['country']?.fields).toEqual(['country']);
      expect(await watcher.refresh()).toBe(false);
      expect(seen).toEqual(['1→2']);
    } finally {
      await watcher.close();
    }
  });

  it('catches a save whose message it missed at its next poll', async () => {
    const store = freshStore();
    const watcher = watchMappings({
      store,
      channel: `${store.keys.channel}-elsewhere`,
      subscriber: redis.duplicate(),
      initial: { mappings: DEFAULT_MAPPINGS },
      logger: silentLogger,
      pollMs: 100,
    });
    try {
      await store.save({ yaml: EDIT, author: 'ana' });
      await until(() => watcher.current().entry?.revision === 1, 2000, 'the poll');
      expect(watcher.current().mappings.salesforce['Lead']?.attributes['state']).toBeUndefined();
    } finally {
      await watcher.close();
    }
  });
});
