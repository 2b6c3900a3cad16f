/** A runtime double for HTTP tests: records every call, answers with canned JSON. */
import type { Queue } from 'bullmq';
import type { CrmName, OutputField } from '../../src/connectors/port.ts';
import type { RescoreRequest } from '../../src/pipeline/requests.ts';
import type { ConnectorInfo, HttpRuntime, JsonObject } from '../../src/http/runtime-port.ts';

export interface FakeCall {
  method: string;
  args: unknown[];
}

const HUBSPOT_FIELDS: readonly OutputField[] = [
  { key: 'score', name: 'icp_fit_score', kind: 'number' },
  { key: 'tier', name: 'icp_tier', kind: 'enum' },
];

export function fakeConnector(crm: CrmName, objectTypes: readonly string[]): ConnectorInfo {
  return { crm, objectTypes, outputFields: () => HUBSPOT_FIELDS };
}

export interface FakeRuntime extends HttpRuntime {
  calls: FakeCall[];
  enqueued: RescoreRequest[];
}

export function createFakeRuntime(overrides: Partial<HttpRuntime> = {}, queues: readonly Queue[] = []): FakeRuntime {
  const calls: FakeCall[] = [];
  const enqueued: RescoreRequest[] = [];
  const record = (method: string, ...args: unknown[]): JsonObject => {
    calls.push({ method, args });
    return { ok: true, method };
  };
  const connectors: Partial<Record<CrmName, ConnectorInfo>> = {
    hubspot: fakeConnector('hubspot', ['companies']),
    salesforce: fakeConnector('salesforce', ['Account', 'Lead']),
  };
  const base: HttpRuntime = {
    producer: {
      async enqueue(requests) {
        enqueued.push(...requests);
      },
    },
    connector: (crm) => connectors[crm],
    queues: () => queues,
    ready: async () => undefined,
    status: async () => record('status'),
    startBackfill: async (crm, objectType) => record('startBackfill', crm, objectType),
    backfillStatus: async (crm) => record('backfillStatus', crm),
    rescore: async (crm, objectType, ids) => record('rescore', crm, objectType, ids),
    explain: async (crm, objectType, id) => record('explain', crm, objectType, id),
    failed: {
      list: async (page) => record('failed.list', page),
      retry: async (ids) => record('failed.retry', ids),
    },
  };
  return Object.assign(base, overrides, { calls, enqueued });
}
