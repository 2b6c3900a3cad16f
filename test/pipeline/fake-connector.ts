/**
 * An in-memory CrmConnector for pipeline tests: HubSpot-shaped (companies, batches of 100, numbers
 * read back as strings, tags `a;b`), counting every call, with injectable failures.
 */
import type {
  CrmConnector,
  CrmRecord,
  FieldValue,
  IncrementalPage,
  OutputField,
  OutputValues,
  Page,
  RecordChange,
  SetupReport,
  SetupSpec,
  WriteOutcome,
  RecordFailure,
  WriteOptions,
} from '../../src/connectors/port.ts';

export const FAKE_OUTPUT_FIELDS: readonly OutputField[] = [
  { key: 'score', name: 'icp_fit_score', kind: 'number' },
  { key: 'tier', name: 'icp_tier', kind: 'enum' },
  { key: 'tags', name: 'icp_tags', kind: 'multi' },
  { key: 'reasons', name: 'icp_fit_reasons', kind: 'text' },
  { key: 'completeness', name: 'icp_completeness', kind: 'percent' },
  { key: 'modelVersion', name: 'icp_model_version', kind: 'text' },
  { key: 'scoredAt', name: 'icp_scored_at', kind: 'datetime' },
];

export interface FakeCalls {
  read: number;
  list: number;
  write: number;
  setup: number;
}

export interface FakeConnector extends CrmConnector {
  records: Map<string, Record<string, unknown>>;
  modified: Map<string, string>;
  calls: FakeCalls;
  /** Throws this (once per call) before the next calls, in order. */
  failNext: Error[];
  /** Per-record write failures by id. */
  refuse: Map<string, RecordFailure>;
  /** Ids each write call carried. */
  writes: string[][];
  /** Size of each write call made in bulk mode (only with `bulkWriteThreshold`). */
  bulkWrites: number[];
  setupSpecs: SetupSpec[];
  /** Changes a record as a user would (bumps its modification time). */
  edit(id: string, fields: Record<string, unknown>): void;
}

/** `bulkWriteThreshold`: a bulk API taking any number of changes in `bulk` mode over that many. */
export function createFakeConnector(options: { batchSize?: number; pageSize?: number; bulkWriteThreshold?: number } = {}): FakeConnector {
  const batch = options.batchSize ?? 100;
  const pageSize = options.pageSize ?? batch;
  const records = new Map<string, Record<string, unknown>>();
  const modified = new Map<string, string>();
  const calls: FakeCalls = { read: 0, list: 0, write: 0, setup: 0 };
  const failNext: Error[] = [];
  const refuse = new Map<string, RecordFailure>();
  const writes: string[][] = [];
  const bulkWrites: number[] = [];
  const setupSpecs: SetupSpec[] = [];

  const maybeFail = (): void => {
    const err = failNext.shift();
    if (err) throw err;
  };
  const asRead = (id: string, fields: readonly string[]): CrmRecord => {
    const src = records.get(id) ?? {};
    const out: Record<string, unknown> = {};
    // HubSpot returns every property value as a string (or null).
    for (const f of fields) out[f] = src[f] === undefined || src[f] === null ? null : String(src[f]);
    return { id, fields: out, modifiedAt: modified.get(id) ?? '1970-01-01T00:00:00.000Z' };
  };
  const sortedIds = (): string[] => [...records.keys()].sort((a, b) => Number(a) - Number(b));

  const connector: FakeConnector = {
    crm: 'hubspot',
    objectTypes: ['companies'],
    personObjectTypes: [],
    objectKinds: { companies: 'account' },
    batchSize: { read: batch, write: batch },
    ...(options.bulkWriteThreshold === undefined ? {} : { bulkWriteThreshold: options.bulkWriteThreshold }),
    records,
    modified,
    calls,
    failNext,
    refuse,
    writes,
    bulkWrites,
    setupSpecs,
    edit(id, fields) {
      records.set(id, { ...(records.get(id) ?? {}), ...fields });
      modified.set(id, new Date().toISOString());
    },
    outputFields: () => FAKE_OUTPUT_FIELDS,
    encode(field: OutputField, v: OutputValues): FieldValue {
      switch (field.key) {
        case 'tags':
          return (v.tags ?? []).join(';');
        case 'completeness':
          return v.completeness === undefined ? null : Math.round(v.completeness * 100);
        default:
          return v[field.key] as FieldValue;
      }
    },
    async readByIds(_t, ids, fields) {
      calls.read += 1;
      maybeFail();
      return ids.filter((id) => records.has(id)).map((id) => asRead(id, fields));
    },
    async listAll(_t, fields, cursor): Promise<Page> {
      calls.list += 1;
      maybeFail();
      const ids = sortedIds();
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = ids.slice(start, start + pageSize);
      const next = start + pageSize < ids.length ? String(start + pageSize) : undefined;
      return { records: page.map((id) => asRead(id, fields)), ...(next === undefined ? {} : { next }), total: ids.length };
    },
    async listModifiedSince(_t, fields, since, cursor): Promise<IncrementalPage> {
      calls.list += 1;
      maybeFail();
      const ids = sortedIds()
        .filter((id) => (modified.get(id) ?? '') >= since)
        .sort((a, b) => (modified.get(a) ?? '').localeCompare(modified.get(b) ?? ''));
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = ids.slice(start, start + pageSize);
      const next = start + pageSize < ids.length ? String(start + pageSize) : undefined;
      const last = page[page.length - 1];
      return {
        records: page.map((id) => asRead(id, fields)),
        ...(next === undefined ? {} : { next }),
        ...(last === undefined ? {} : { watermark: modified.get(last) ?? since }),
      };
    },
    async writeChanges(_t, changes: readonly RecordChange[], writeOptions: WriteOptions = {}): Promise<WriteOutcome> {
      calls.write += 1;
      maybeFail();
      const bulk = writeOptions.mode === 'bulk' && options.bulkWriteThreshold !== undefined && changes.length > options.bulkWriteThreshold;
      if (bulk) bulkWrites.push(changes.length);
      else if (changes.length > batch) throw new Error(`batch of ${changes.length} is over ${batch}`);
      writes.push(changes.map((c) => c.id));
      const written: string[] = [];
      const failed: RecordFailure[] = [];
      for (const c of changes) {
        const refusal = refuse.get(c.id);
        if (refusal) {
          failed.push(refusal);
          continue;
        }
        records.set(c.id, { ...(records.get(c.id) ?? {}), ...c.fields });
        modified.set(c.id, new Date().toISOString());
        written.push(c.id);
      }
      return { written, failed, calls: 1 };
    },
    async setup(spec: SetupSpec): Promise<SetupReport> {
      calls.setup += 1;
      setupSpecs.push(spec);
      return { changed: [], unchanged: ['fields'], problems: [] };
    },
    async close() {},
  };
  return connector;
}
