/**
 * Batch updates (≤ 100 per call). Every input carries `objectWriteTraceId` = its record id, so HubSpot
 * answers a partial failure with 207 and per-input errors that name the record. When HubSpot still
 * refuses a whole batch (400/404), the batch is split in halves until the bad records are isolated:
 * the good ones are written and each bad one fails with HubSpot's own message.
 */
import { CrmAuthError, CrmError, CrmRateLimitError } from '../../errors.ts';
import type { RecordChange, RecordFailure, WriteOutcome } from '../port.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import { BATCH_SIZE } from './limits.ts';
import { parseErrorBody } from './map-error.ts';
import { toWireValue } from './output-fields.ts';
import type { HubSpotPaths } from './paths.ts';
import { batchResponseSchema, idsOfError, parseVendor, type BatchError } from './records.ts';

/** Categories a later retry of the same write can fix. */
const RETRYABLE_CATEGORIES = new Set(['RATE_LIMITS', 'RATE_LIMIT', 'LOCKED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);

function failureOf(id: string, error: { category?: string | undefined; message: string }): RecordFailure {
  const code = error.category ?? 'ERROR';
  return { id, code, message: error.message || code, retryable: RETRYABLE_CATEGORIES.has(code) };
}

/** Merges several changes of one record (HubSpot refuses duplicate ids in a batch); later values win. */
export function mergeChanges(changes: readonly RecordChange[]): RecordChange[] {
  const byId = new Map<string, Record<string, RecordChange['fields'][string]>>();
  for (const c of changes) byId.set(c.id, { ...(byId.get(c.id) ?? {}), ...c.fields });
  return [...byId.entries()].map(([id, fields]) => ({ id, fields }));
}

async function writeChunk(client: HubSpotHttpClient, path: string, chunk: readonly RecordChange[], out: WriteOutcome): Promise<void> {
  let res;
  try {
    res = await client.request({
      method: 'POST',
      path,
      body: {
        inputs: chunk.map((c) => ({
          id: c.id,
          properties: Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, toWireValue(v)])),
          objectWriteTraceId: c.id,
        })),
      },
      accept: [207, 400, 404],
    });
  } catch (err) {
    if (err instanceof CrmAuthError || (err instanceof CrmRateLimitError && err.daily)) throw err;
    // Nothing written by this call yet: let the queue retry the whole job (and pause on 429).
    if (out.written.length === 0 && out.failed.length === 0) throw err;
    out.calls += 1;
    const e = err instanceof CrmError ? err : undefined;
    for (const c of chunk) {
      out.failed.push({ id: c.id, code: e?.vendorCode ?? 'ERROR', message: err instanceof Error ? err.message : String(err), retryable: e?.retryable ?? true });
    }
    return;
  }
  out.calls += res.attempts;

  if (res.status === 400 || res.status === 404) {
    const err = parseErrorBody(res.body);
    const message = err.message ?? `HTTP ${res.status}`;
    const category = err.category ?? (res.status === 404 ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR');
    if (chunk.length === 1) {
      out.failed.push(failureOf((chunk[0] as RecordChange).id, { category, message }));
      return;
    }
    const half = Math.ceil(chunk.length / 2);
    await writeChunk(client, path, chunk.slice(0, half), out);
    await writeChunk(client, path, chunk.slice(half), out);
    return;
  }

  const body = parseVendor(batchResponseSchema, res.body, 'batch update');
  const inChunk = new Set(chunk.map((c) => c.id));
  const failedIds = new Set<string>();
  const unattributed: BatchError[] = [];
  for (const error of body.errors) {
    const ids = idsOfError(error).filter((id) => inChunk.has(id));
    if (ids.length === 0) unattributed.push(error);
    for (const id of ids) {
      if (failedIds.has(id)) continue;
      failedIds.add(id);
      out.failed.push(failureOf(id, error));
    }
  }
  const returned = new Set(body.results.map((r) => r.id));
  for (const c of chunk) {
    if (failedIds.has(c.id)) continue;
    if (returned.has(c.id) || (body.errors.length === 0 && res.status === 200)) out.written.push(c.id);
    else {
      const error = unattributed[0] ?? { message: 'HubSpot did not confirm this update', category: 'UNCONFIRMED' };
      out.failed.push({ ...failureOf(c.id, error), retryable: true });
    }
  }
}

/**
 * Writes every change in batches of at most 100, sequentially (the shared limiter sets the pace).
 * Records with nothing to write cost nothing and count as written.
 */
export async function writeBatches(
  client: HubSpotHttpClient,
  paths: HubSpotPaths,
  objectType: string,
  changes: readonly RecordChange[],
): Promise<WriteOutcome> {
  const out: WriteOutcome = { written: [], failed: [], calls: 0 };
  const merged = mergeChanges(changes);
  const toSend: RecordChange[] = [];
  for (const c of merged) {
    if (!/^\d+$/.test(c.id)) out.failed.push({ id: c.id, code: 'INVALID_ID', message: `"${c.id}" is not a HubSpot record id`, retryable: false });
    else if (Object.keys(c.fields).length === 0) out.written.push(c.id);
    else toSend.push(c);
  }
  const path = `${paths.objects(objectType)}/batch/update`;
  for (let i = 0; i < toSend.length; i += BATCH_SIZE) {
    await writeChunk(client, path, toSend.slice(i, i + BATCH_SIZE), out);
  }
  return out;
}
