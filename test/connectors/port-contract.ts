/**
 * The contract every `CrmConnector` adapter passes (STYLE.md §13). Each adapter's test file calls
 * `runConnectorContract(name, setup)` with a connector pointed at a seeded sandbox (or a recorded
 * fake) and the ids it seeded. Nothing here knows a vendor: only the port's documented behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMITTEE_OUTPUT_KEYS, PERSON_OUTPUT_KEYS, type CrmConnector, type CrmRecord, type OutputField, type OutputValues, type RecordChange } from '../../src/connectors/port.ts';

export interface ContractFixture {
  connector: CrmConnector;
  objectType: string;
  /** Ids of existing records (at least 3). Records may be written by the suite. */
  seedIds: string[];
  /** Input fields to read (at least one). */
  readFields: string[];
  /** The field holding a record's name (a company's, an account's, a lead's company): `searchByName` finds records by it. */
  nameField?: string;
  /** An id shaped like the vendor's ids that does not exist. Defaults to a large numeric string. */
  unknownId?: string;
  teardown(): Promise<void>;
}

const SAMPLE: OutputValues = {
  score: 87,
  tier: 'A',
  tags: ['saas', 'fintech'],
  reasons: '+30 Secteur: Software · +15 Effectif: 320 · 0 Pays: US',
  completeness: 0.756,
  modelVersion: 'contract-1',
  scoredAt: '2026-11-20T09:30:00.000Z',
};

function field(fields: readonly OutputField[], key: OutputField['key']): OutputField {
  const found = fields.find((f) => f.key === key);
  if (!found) throw new Error(`connector declares no output field for ${key}`);
  return found;
}

/** Loose equality between what was written and what the CRM gives back (CRMs return strings). */
function sameValue(kind: OutputField['kind'], written: unknown, read: unknown): boolean {
  if (written === null || written === '') return read === null || read === '' || read === undefined;
  switch (kind) {
    case 'number':
    case 'percent':
      return Number(read) === Number(written);
    case 'datetime':
      return Date.parse(String(read)) === Date.parse(String(written));
    case 'multi':
      return String(read).split(';').sort().join(';') === String(written).split(';').sort().join(';');
    default:
      return String(read) === String(written);
  }
}

export function runConnectorContract(name: string, setup: () => Promise<ContractFixture>): void {
  describe(`CrmConnector contract: ${name}`, () => {
    let fx: ContractFixture;
    let outputs: readonly OutputField[];

    beforeAll(async () => {
      fx = await setup();
      // As the pipeline does for a model without roles: no person or committee fields.
      outputs = fx.connector.outputFields(fx.objectType).filter((o) => !PERSON_OUTPUT_KEYS.includes(o.key) && !COMMITTEE_OUTPUT_KEYS.includes(o.key));
    });
    afterAll(async () => {
      await fx?.teardown();
    });

    it('declares its object types, batch sizes and every output field', () => {
      expect(fx.connector.objectTypes).toContain(fx.objectType);
      expect(fx.connector.batchSize.read).toBeGreaterThan(0);
      expect(fx.connector.batchSize.write).toBeGreaterThan(0);
      const keys = outputs.map((o) => o.key).sort();
      expect(keys).toEqual(['completeness', 'modelVersion', 'reasons', 'score', 'scoredAt', 'tags', 'tier'].sort());
    });

    it('encodes values in the CRM formats', () => {
      const c = fx.connector;
      expect(c.encode(field(outputs, 'score'), SAMPLE)).toBe(87);
      expect(c.encode(field(outputs, 'tier'), SAMPLE)).toBe('A');
      const tags = c.encode(field(outputs, 'tags'), SAMPLE);
      expect(typeof tags).toBe('string');
      expect(String(tags).startsWith(';')).toBe(false);
      expect(String(tags).split(';').sort()).toEqual(['fintech', 'saas']);
      const empty = c.encode(field(outputs, 'tags'), { ...SAMPLE, tags: [] });
      expect(empty === '' || empty === null).toBe(true);
      expect(c.encode(field(outputs, 'completeness'), SAMPLE)).toBe(76);
      expect(c.encode(field(outputs, 'modelVersion'), SAMPLE)).toBe('contract-1');
      expect(c.encode(field(outputs, 'reasons'), SAMPLE)).toBe(SAMPLE.reasons);
      expect(Date.parse(String(c.encode(field(outputs, 'scoredAt'), SAMPLE)))).toBe(Date.parse(SAMPLE.scoredAt));
    });

    it('reads records by id and ignores unknown ids', async () => {
      const ids = fx.seedIds.slice(0, 3);
      const unknown = fx.unknownId ?? '987654321987';
      const records = await fx.connector.readByIds(fx.objectType, [...ids, unknown], fx.readFields);
      expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
      for (const r of records) {
        for (const f of fx.readFields) expect(Object.keys(r.fields)).toContain(f);
      }
      expect(await fx.connector.readByIds(fx.objectType, [], fx.readFields)).toEqual([]);
    });

    it('finds a record by its name, within the limit, and nothing for a blank text', async (ctx) => {
      const search = fx.connector.searchByName?.bind(fx.connector);
      if (search === undefined || fx.nameField === undefined) return ctx.skip();
      const [record] = await fx.connector.readByIds(fx.objectType, [fx.seedIds[0] ?? ''], [fx.nameField]);
      const name = String(record?.fields[fx.nameField] ?? '');
      expect(name).not.toBe('');
      const found = await search(fx.objectType, name.toUpperCase(), 200);
      expect(found.map((m) => m.id)).toContain(record?.id);
      expect(found.find((m) => m.id === record?.id)?.name).toBeTruthy();
      expect((await search(fx.objectType, name.slice(0, 2), 2)).length).toBeLessThanOrEqual(2);
      expect(await search(fx.objectType, '  ', 20)).toEqual([]);
    });

    it('lists every record exactly once across pages', async () => {
      const seen = new Map<string, number>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await fx.connector.listAll(fx.objectType, fx.readFields, cursor);
        for (const r of page.records) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
        cursor = page.next;
        pages += 1;
        expect(pages).toBeLessThan(10_000);
      } while (cursor !== undefined);
      for (const id of fx.seedIds) expect(seen.get(id)).toBe(1);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    });

    it('writes changes and reads back the encoded values', async () => {
      const id = fx.seedIds[0]!;
      const fields: Record<string, ReturnType<CrmConnector['encode']>> = {};
      for (const o of outputs) fields[o.name] = fx.connector.encode(o, SAMPLE);
      const outcome = await fx.connector.writeChanges(fx.objectType, [{ id, fields }]);
      expect(outcome.failed).toEqual([]);
      expect(outcome.written).toEqual([id]);
      expect(outcome.calls).toBeGreaterThanOrEqual(1);
      const [back] = await fx.connector.readByIds(fx.objectType, [id], outputs.map((o) => o.name));
      expect(back).toBeDefined();
      for (const o of outputs) {
        expect(sameValue(o.kind, fields[o.name], (back as CrmRecord).fields[o.name]), `${o.name}`).toBe(true);
      }
    });

    it('writes nothing and costs nothing for an empty change set', async () => {
      const outcome = await fx.connector.writeChanges(fx.objectType, []);
      expect(outcome).toEqual({ written: [], failed: [], calls: 0 });
    });

    it('fails only the records that failed and keeps the rest', async () => {
      const [a, b] = fx.seedIds;
      const unknown = fx.unknownId ?? '987654321987';
      const score = field(outputs, 'score').name;
      const changes: RecordChange[] = [
        { id: a!, fields: { [score]: 41 } },
        { id: unknown, fields: { [score]: 42 } },
        { id: b!, fields: { [score]: 43 } },
      ];
      const outcome = await fx.connector.writeChanges(fx.objectType, changes);
      expect(outcome.written.sort()).toEqual([a!, b!].sort());
      expect(outcome.failed).toHaveLength(1);
      expect(outcome.failed[0]?.id).toBe(unknown);
      expect(outcome.failed[0]?.message.length).toBeGreaterThan(0);
      const back = await fx.connector.readByIds(fx.objectType, [a!, b!], [score]);
      const byId = new Map(back.map((r) => [r.id, r]));
      expect(Number(byId.get(a!)?.fields[score])).toBe(41);
      expect(Number(byId.get(b!)?.fields[score])).toBe(43);
    });

    it('lists records modified since a time, including a record just written', async () => {
      const id = fx.seedIds[2]!;
      const before = new Date(Date.now() - 2_000).toISOString();
      const score = field(outputs, 'score').name;
      const w = await fx.connector.writeChanges(fx.objectType, [{ id, fields: { [score]: 55 } }]);
      expect(w.written).toEqual([id]);
      const found: CrmRecord[] = [];
      let cursor: string | undefined;
      let watermark: string | undefined;
      do {
        const page = await fx.connector.listModifiedSince(fx.objectType, fx.readFields, before, cursor);
        found.push(...page.records);
        watermark = page.watermark ?? watermark;
        cursor = page.next;
      } while (cursor !== undefined);
      expect(found.map((r) => r.id)).toContain(id);
      for (const r of found) {
        if (r.modifiedAt !== undefined) expect(Date.parse(r.modifiedAt)).toBeGreaterThanOrEqual(Date.parse(before));
      }
      expect(watermark).toBeDefined();
      expect(Date.parse(watermark!)).toBeGreaterThanOrEqual(Date.parse(before));
    });
  });
}
