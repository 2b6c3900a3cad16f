import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { CrmConnector } from '../../src/connectors/port.ts';
import type { CrmName } from '../../src/errors.ts';
import { toHttpRuntime } from '../../src/http/runtime-adapter.ts';
import type { Runtime } from '../../src/pipeline/runtime-types.ts';

function runtime(ready: boolean): Runtime {
  return {
    producer: { enqueue: async () => undefined },
    connectors: new Map<CrmName, CrmConnector>(),
    objectTypes: () => [],
    fields: () => ({ input: [], output: [] }),
    queues: () => [] as Queue[],
    startBackfill: async () => ({ id: 'run-1' }),
    backfillStatus: async () => [],
    rescore: async (_crm, _t, ids) => ({ queued: ids.length }),
    explain: async () => {
      throw new Error('not used');
    },
    failed: { list: async () => ({ total: 0, entries: [] }), retry: async (ids) => (ids === 'all' ? 7 : ids.length) },
    status: async () => ({ modelVersion: '1', syncedModelVersion: {}, queues: [], objects: [], backfills: [] }),
    models: {} as Runtime['models'],
    activeModel: () => {
      throw new Error('not used');
    },
    preview: {} as Runtime['preview'],
    ready: async () => ready,
    startWorkers: async () => undefined,
    close: async () => undefined,
  };
}

describe('toHttpRuntime', () => {
  it('turns readiness false into a rejection', async () => {
    await expect(toHttpRuntime(runtime(false)).ready()).rejects.toThrow();
    await expect(toHttpRuntime(runtime(true)).ready()).resolves.toBeUndefined();
  });

  it('answers admin operations as JSON objects', async () => {
    const http = toHttpRuntime(runtime(true));
    expect(await http.startBackfill('hubspot')).toEqual({ run: 'run-1', crm: 'hubspot', objectType: 'all' });
    expect(await http.backfillStatus()).toEqual({ backfills: [] });
    expect(await http.rescore('salesforce', 'Lead', ['a', 'b'])).toEqual({ queued: 2, crm: 'salesforce', objectType: 'Lead' });
    expect(await http.failed.retry('all')).toEqual({ retried: 7 });
    expect(await http.failed.list({ limit: 5, offset: 0 })).toEqual({ total: 0, entries: [] });
    expect(http.connector('hubspot')).toBeUndefined();
  });
});
