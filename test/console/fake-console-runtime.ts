/** A console runtime double: canned status, explanations and failures; records every call. */
import type { ConsoleRuntime } from '../../src/console/port.ts';
import type { CrmConnector, CrmName } from '../../src/connectors/port.ts';
import { RecordNotFoundError } from '../../src/errors.ts';
import type { BackfillState } from '../../src/pipeline/backfill.ts';
import type { Explanation } from '../../src/pipeline/explain.ts';
import type { PipelineStatus } from '../../src/pipeline/runtime-types.ts';

export interface FakeConsoleRuntime extends ConsoleRuntime {
  calls: Array<{ method: string; args: unknown[] }>;
  backfills: BackfillState[];
}

export const HOSTILE = '<script>alert("x")</script>';

export function explanationOf(id: string): Explanation {
  return {
    crm: 'hubspot',
    objectType: 'companies',
    kind: 'account',
    id,
    modelVersion: 'v-test',
    attributes: [
      { name: 'industry', value: HOSTILE, source: 'crm:industry' },
      { name: 'employees', value: 120, source: 'crm:numberofemployees' },
    ],
    criteria: [{ id: 'size', label: 'Effectif', attribute: 'employees', weight: 30, value: 120, points: 1, contribution: 100, status: 'match' }],
    exclusions: [],
    result: { score: 30, tier: 'C', excluded: false, completeness: 0.5, tags: ['taille-cible'], reasons: 'Effectif' },
    values: { icp_fit_score: 30 },
    current: { icp_fit_score: null },
    diff: [{ field: 'icp_fit_score', key: 'score', current: null, next: 30 }],
    wouldWrite: true,
  };
}

export function createFakeConsoleRuntime(): FakeConsoleRuntime {
  const calls: FakeConsoleRuntime['calls'] = [];
  const backfills: BackfillState[] = [];
  const connectors = new Map<CrmName, CrmConnector>([['hubspot', { crm: 'hubspot' } as CrmConnector]]);
  return {
    calls,
    backfills,
    connectors,
    objectTypes: (crm) => (crm === 'hubspot' ? ['companies', 'contacts'] : []),
    async status(): Promise<PipelineStatus> {
      return {
        modelVersion: 'v-test',
        syncedModelVersion: { hubspot: 'v-test' },
        queues: [{ queue: 'batch-hubspot', waiting: 2, active: 1, delayed: 0, prioritized: 0, failed: 1, completed: 40 }],
        objects: [{ crm: 'hubspot', objectType: 'companies', pending: 3, watermark: '2026-12-01T10:00:00.000Z' }],
        backfills,
      };
    },
    async startBackfill(crm, objectType) {
      calls.push({ method: 'startBackfill', args: [crm, objectType] });
      return { id: 'run-1' };
    },
    async backfillStatus() {
      return backfills;
    },
    async rescore(crm, objectType, ids) {
      calls.push({ method: 'rescore', args: [crm, objectType, ids] });
      return { queued: ids.length };
    },
    async explain(crm, objectType, id) {
      calls.push({ method: 'explain', args: [crm, objectType, id] });
      if (id === '404') throw new RecordNotFoundError('hubspot', objectType ?? 'companies', id);
      return explanationOf(id);
    },
    failed: {
      async list() {
        return {
          total: 1,
          entries: [{ id: 'record:hubspot:companies:77', kind: 'record', crm: 'hubspot', objectType: 'companies', recordIds: ['77'], code: 'INVALID', message: `bad value ${HOSTILE}`, failedAt: '2026-12-01T09:00:00.000Z', attempts: 3 }],
        };
      },
      async retry(ids) {
        calls.push({ method: 'retry', args: [ids] });
        return ids === 'all' ? 1 : ids.length;
      },
    },
  };
}
