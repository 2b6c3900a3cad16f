/**
 * Presents the pipeline runtime (`src/pipeline/runtime-types.ts`) as the narrow port the HTTP
 * routes use: admin answers become JSON objects, readiness becomes resolve/reject.
 */
import type { Runtime } from '../pipeline/runtime-types.ts';
import type { HttpRuntime } from './runtime-port.ts';

export function toHttpRuntime(runtime: Runtime): HttpRuntime {
  return {
    producer: runtime.producer,
    connector: (crm) => {
      const c = runtime.connectors.get(crm);
      // The routes accept every synced type: people too when the model has roles.
      return c === undefined
        ? undefined
        : {
            crm: c.crm,
            objectTypes: runtime.objectTypes(crm),
            // The names the mappings configure, and only the fields the model writes.
            outputFields: (t) => runtime.fields(crm, t).output,
            inputFields: (t) => runtime.fields(crm, t).input,
          };
    },
    queues: () => runtime.queues(),
    ready: async () => {
      if (!(await runtime.ready())) throw new Error('Redis does not answer');
    },
    status: async () => ({ ...(await runtime.status()) }),
    startBackfill: async (crm, objectType) => ({ run: (await runtime.startBackfill(crm, objectType)).id, crm, objectType: objectType ?? 'all' }),
    backfillStatus: async (crm) => ({ backfills: await runtime.backfillStatus(crm) }),
    rescore: async (crm, objectType, ids) => ({ ...(await runtime.rescore(crm, objectType, ids)), crm, objectType }),
    explain: async (crm, objectType, id) => ({ ...(await runtime.explain(crm, objectType, id)) }),
    ...(runtime.modelHealth === undefined
      ? {}
      : {
          modelHealth: async ({ check }: { check: boolean }) => {
            const monitor = runtime.modelHealth;
            if (monitor === undefined) return {};
            const ran = check ? (await monitor.check()).ran : undefined;
            return { ...(await monitor.snapshot()), ...(ran === undefined ? {} : { check: { ran } }) };
          },
        }),
    failed: {
      list: async (page) => ({ ...(await runtime.failed.list(page)) }),
      retry: async (ids) => ({ retried: await runtime.failed.retry(ids) }),
    },
  };
}
