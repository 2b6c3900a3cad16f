/**
 * Bulk API 2.0 ingest jobs (update only): create, upload CSV, close, poll, results, abort, delete.
 * Rows are processed asynchronously in 10,000-row batches like Salesforce; `#N/A` clears a field and an
 * empty cell leaves it unchanged.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_bulk_v2/datafiles_understanding_bulk2_ingest.htm
 */
import { parse } from 'csv-parse/sync';
import { toCsv } from './csv.ts';
import { json, restError, type Route } from './http-types.ts';
import { KEY_PREFIX, to18 } from './ids.ts';
import { WRITABLE_SOBJECTS, type SandboxStore, type SObjectName } from './store.ts';
import { validateWrite } from './validate-write.ts';

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface Job {
  id: string;
  object: SObjectName;
  operation: 'update';
  state: JobState;
  userId: string;
  createdDate: string;
  header: string[];
  rows: Array<Record<string, string>>;
  success: Array<Record<string, unknown>>;
  failed: Array<Record<string, unknown>>;
  unprocessed: Array<Record<string, string>>;
  errorMessage?: string;
  processed: number;
}

const V = '(?<version>\\d{2}\\.0)';

export function bulkRoutes(store: SandboxStore): Route[] {
  const jobs = new Map<string, Job>();

  const info = (j: Job, version: string) => ({
    id: j.id,
    operation: j.operation,
    object: j.object,
    createdById: j.userId,
    createdDate: j.createdDate,
    systemModstamp: j.createdDate,
    state: j.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version),
    jobType: 'V2Ingest',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    contentUrl: `services/data/v${version}/jobs/ingest/${j.id}/batches`,
    numberRecordsProcessed: j.processed,
    numberRecordsFailed: j.failed.length,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    ...(j.errorMessage ? { errorMessage: j.errorMessage } : {}),
  });

  const processRow = (j: Job, row: Record<string, string>): void => {
    const id18 = to18(row.Id ?? '');
    const fail = (msg: string): void => {
      j.failed.push({ sf__Id: id18 ?? '', sf__Error: msg, ...row });
    };
    if (!id18 || !id18.startsWith(KEY_PREFIX[j.object])) return fail(`MALFORMED_ID:${j.object} ID: id value of incorrect type: ${row.Id ?? ''}:Id --`);
    if (!store.get(j.object, id18)) return fail('ENTITY_IS_DELETED:entity is deleted:--');
    if (store.takeLockFault(id18)) return fail('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--');
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k === 'Id' || v === '') continue;
      fields[k] = v === '#N/A' ? null : v;
    }
    const checked = validateWrite(store, j.object, j.userId, fields);
    if (!checked.ok) {
      const e = checked.errors[0];
      return fail(`${e?.statusCode ?? 'UNKNOWN_EXCEPTION'}:${e?.message ?? ''}:${e?.fields.join(',') ?? ''} --`);
    }
    store.applyUpdate(j.object, id18, checked.values, j.userId);
    j.success.push({ sf__Id: id18, sf__Created: 'false', ...row });
  };

  const run = (j: Job): void => {
    j.state = 'InProgress';
    const failAfter = store.bulkFailAfter;
    store.bulkFailAfter = undefined;
    let i = 0;
    const step = () => {
      if (j.state === 'Aborted') return;
      const end = Math.min(j.rows.length, i + 10_000);
      for (; i < end; i += 1) {
        if (failAfter !== undefined && i >= failAfter) {
          j.unprocessed = j.rows.slice(i);
          j.state = 'Failed';
          j.errorMessage = 'InvalidBatch : Failed to process query: batch processing timed out after 10 retries';
          return;
        }
        processRow(j, j.rows[i] as Record<string, string>);
        j.processed += 1;
      }
      if (i < j.rows.length) setTimeout(step, 5);
      else j.state = 'JobComplete';
    };
    setTimeout(step, 20);
  };

  const withJob = (id: string, fn: (j: Job) => ReturnType<Route['handle']>) => {
    const j = jobs.get(id);
    return j ? fn(j) : restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  };

  const csv = (body: string) => ({ status: 200, headers: { 'content-type': 'text/csv' }, body });

  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/?$`),
      name: 'bulk.create',
      auth: true,
      counts: true,
      handle: (req, p) => {
        const body = JSON.parse(req.body) as { object?: string; operation?: string; lineEnding?: string; columnDelimiter?: string };
        if (!WRITABLE_SOBJECTS.includes(body.object as SObjectName)) return restError(400, 'INVALIDENTITY', `Entity '${body.object ?? ''}' is not supported by the Bulk API.`);
        if (body.operation !== 'update') return restError(400, 'FEATURENOTENABLED', 'the sandbox supports update jobs only');
        if ((body.columnDelimiter ?? 'COMMA') !== 'COMMA') return restError(400, 'INVALIDJOB', 'only COMMA delimiters');
        const id = store.nextId(KEY_PREFIX.IngestJob);
        const job: Job = { id, object: body.object as SObjectName, operation: 'update', state: 'Open', userId: req.userId, createdDate: new Date().toISOString().replace('Z', '+0000'), header: [], rows: [], success: [], failed: [], unprocessed: [], processed: 0 };
        jobs.set(id, job);
        return json(200, info(job, p.version as string));
      },
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/batches/?$`),
      name: 'bulk.upload',
      auth: true,
      counts: true,
      handle: (req, p) =>
        withJob(p.id as string, (j) => {
          if (j.state !== 'Open') return restError(400, 'INVALIDJOBSTATE', 'Job is not open for uploads');
          let records: Array<Record<string, string>>;
          try {
            records = parse(req.body, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Array<Record<string, string>>;
          } catch (err) {
            return restError(400, 'INVALIDBATCH', `CSV error: ${(err as Error).message}`);
          }
          const header = Object.keys(records[0] ?? {});
          if (records.length > 0 && !header.includes('Id')) return restError(400, 'INVALIDBATCH', 'Field name not found : Id');
          j.header = header;
          j.rows.push(...records);
          return { status: 201 };
        }),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/?$`),
      name: 'bulk.state',
      auth: true,
      counts: true,
      handle: (req, p) =>
        withJob(p.id as string, (j) => {
          const { state } = JSON.parse(req.body) as { state?: string };
          if (state === 'UploadComplete' && j.state === 'Open') {
            j.state = 'UploadComplete';
            run(j);
          } else if (state === 'Aborted' && ['Open', 'UploadComplete', 'InProgress'].includes(j.state)) {
            j.state = 'Aborted';
          } else {
            return restError(400, 'INVALIDJOBSTATE', `cannot move job from ${j.state} to ${state ?? '?'}`);
          }
          return json(200, info(j, p.version as string));
        }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/?$`),
      name: 'bulk.info',
      auth: true,
      counts: true,
      handle: (_req, p) => withJob(p.id as string, (j) => json(200, info(j, p.version as string))),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/successfulResults/?$`),
      name: 'bulk.successfulResults',
      auth: true,
      counts: true,
      handle: (_req, p) => withJob(p.id as string, (j) => csv(toCsv(['sf__Id', 'sf__Created', ...j.header], j.success))),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/failedResults/?$`),
      name: 'bulk.failedResults',
      auth: true,
      counts: true,
      handle: (_req, p) => withJob(p.id as string, (j) => csv(toCsv(['sf__Id', 'sf__Error', ...j.header], j.failed))),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/unprocessedrecords/?$`),
      name: 'bulk.unprocessedrecords',
      auth: true,
      counts: true,
      handle: (_req, p) => withJob(p.id as string, (j) => csv(toCsv(j.header, j.unprocessed))),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/services/data/v${V}/jobs/ingest/(?<id>\\w+)/?$`),
      name: 'bulk.delete',
      auth: true,
      counts: true,
      handle: (_req, p) => withJob(p.id as string, (j) => {
        jobs.delete(j.id);
        return { status: 204 };
      }),
    },
  ];
}
