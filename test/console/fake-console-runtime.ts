/** A console runtime double: canned status, explanations and failures; records every call. */
import type { ConsoleRuntime } from '../../src/console/port.ts';
import type { CrmConnector, CrmName } from '../../src/connectors/port.ts';
import type { Redis } from 'ioredis';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { compileModel, type Scorer } from '../../src/domain/scorer.ts';
import { CrmError, RecordNotFoundError } from '../../src/errors.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createModelStore } from '../../src/model-store/store.ts';
import { createMappingStore } from '../../src/mapping-store/store.ts';
import type { LoadedMappings } from '../../src/mapping-store/mapping-watcher.ts';
import type { CrmFieldInfo } from '../../src/connectors/port.ts';
import { createModelPreview } from '../../src/preview/model-preview.ts';
import type { SampleCache, SampleStatus } from '../../src/preview/sample-cache.ts';
import type { BackfillState } from '../../src/pipeline/backfill.ts';
import type { Explanation } from '../../src/pipeline/explain.ts';
import type { PipelineStatus } from '../../src/pipeline/runtime-types.ts';
import { createCalibrationRuns } from '../../src/calibration/calibration-runs.ts';
import type { ClosedDealReader } from '../../src/calibration/deal-source.ts';
import type { AccountRow } from '../../src/domain/calibration/account-row.ts';
import { createDealCache } from '../../src/preview/deal-cache.ts';
import { createLogger } from '../../src/logging.ts';
import { syntheticDeals } from '../calibration/synthetic-deals.ts';

export interface FakeConsoleRuntime extends ConsoleRuntime {
  calls: Array<{ method: string; args: unknown[] }>;
  backfills: BackfillState[];
  /** The closed deals the CRM "holds" (read by the calibration and the preview's deal check); tests may replace them. */
  closedDeals: AccountRow[];
}

/** Closed deals as the CRM reader returns them: 400 synthetic deals whose outcome follows industry and size. */
export function closedDealRows(n = 400): AccountRow[] {
  return syntheticDeals({ deals: n, seed: 7 }).map((d, i) => ({
    ids: { accountId: d.account },
    attributes: d.attributes,
    won: d.won,
    source: `deal ${9000 + i}`,
    ...(d.amount === undefined ? {} : { amount: d.amount }),
    ...(d.cycleDays === undefined ? {} : { cycleDays: d.cycleDays }),
    ...(d.closeDate === undefined ? {} : { closeDate: d.closeDate }),
  }));
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

export const MODEL_V1 = `version: "v1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C, min: 0 }
criteria:
  - id: size
    label: Effectif
    attribute: employees
    weight: 50
    match: { kind: range, bands: [{ min: 50, points: 1 }] }
  - id: country
    label: Pays
    attribute: country
    weight: 50
    match: { kind: category, values: { FR: 1 } }
`;

/** Twenty companies: half in France, every other one with 100 employees; four hold a committee coverage (100, 50, 0, 100). */
function sampleRecords() {
  const coverage = ['100', '50', '0', '100'];
  return Array.from({ length: 20 }, (_, i) => ({
    id: String(1000 + i),
    fields: { name: `Company ${i}`, numberofemployees: i % 2 === 0 ? 100 : 5, country: i < 10 ? 'France' : 'Italy', icp_committee_coverage: coverage[i] ?? null },
  }));
}

/** Eight contacts as icp-sync wrote them: priority tiers P1 ×2, P2 ×3, X ×1, two not scored yet; roles. */
function contactRecords() {
  const tiers = ['P1', 'P2', 'P1', 'P2', 'P2', 'X', '', null];
  const roles = ['decision_maker', 'user', 'decision_maker', 'none', 'user', 'user', null, null];
  return tiers.map((tier, i) => ({ id: String(5000 + i), fields: { lastname: `Person ${i}`, icp_priority_tier: tier, icp_buying_role: roles[i] ?? null } }));
}

/** A sample cache already holding {@link sampleRecords} for HubSpot companies. */
function readySamples(): SampleCache {
  const readAt = '2026-12-01T08:00:00.000Z';
  const records = (crm: CrmName, objectType: string) => (crm !== 'hubspot' ? undefined : objectType === 'companies' ? sampleRecords() : objectType === 'contacts' ? contactRecords() : undefined);
  const status = async (crm: CrmName, objectType: string): Promise<SampleStatus> => {
    const held = records(crm, objectType);
    return held !== undefined ? { crm, objectType, state: 'ready', count: held.length, size: 1000, readAt } : { crm, objectType, state: 'empty', count: 0, size: 1000 };
  };
  return {
    status,
    refresh: status,
    async records(crm, objectType) {
      const held = records(crm, objectType);
      return held === undefined ? undefined : { records: held, readAt };
    },
    async settled() {},
  };
}

/**
 * A console runtime: the real model store (on `redis` under `prefix`) and the real preview over a
 * fixed sample; canned pipeline answers elsewhere.
 */
export function createFakeConsoleRuntime(redis?: Redis, prefix = 'icpconsole-unused'): FakeConsoleRuntime {
  const calls: FakeConsoleRuntime['calls'] = [];
  const models = createModelStore({ redis: redis as Redis, prefix });
  const parsed = parseModelText(MODEL_V1, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  let active: { scorer: Scorer; revision?: number } = { scorer: compileModel(parsed.model) };
  const follow = async () => {
    const entry = await models.active();
    const p = entry === undefined ? undefined : parseModelText(entry.yaml, 'icp.yaml');
    if (entry !== undefined && p?.ok) active = { scorer: compileModel(p.model), revision: entry.revision };
  };
  const mappingStore = createMappingStore({ redis: redis as Redis, prefix });
  let loadedMappings: LoadedMappings = { mappings: DEFAULT_MAPPINGS };
  const followMappings = async () => {
    const entry = await mappingStore.active();
    const r = entry === undefined ? undefined : mappingStore.validate(entry.yaml);
    if (entry !== undefined && r?.ok) loadedMappings = { mappings: r.mappings, entry: { ...entry } };
  };
  const mappingOf = (crm: CrmName, type: string) => loadedMappings.mappings[crm][type] ?? DEFAULT_MAPPINGS.hubspot['companies']!;
  const mappingPreview = createModelPreview({ samples: readySamples(), mapping: mappingOf, active: () => active });
  const backfills: BackfillState[] = [];
  const logger = createLogger({ level: 'silent' });
  const state = { closedDeals: closedDealRows() };
  const readDeals: ClosedDealReader = async (_crm, _since, onProgress) => {
    onProgress?.(state.closedDeals.length);
    return { rows: state.closedDeals, withoutAccount: 0, notes: [] };
  };
  const dealCache = createDealCache({ redis: redis as Redis, prefix, logger, read: readDeals });
  const calibration = createCalibrationRuns({ redis: redis as Redis, prefix, logger, read: readDeals, current: () => active.scorer.model, rechallengeMonths: 6 });
  /** Name search over a few canned records; 'boom' fails as a CRM error would. */
  const searchByName: CrmConnector['searchByName'] = async (objectType, text, limit) => {
    calls.push({ method: 'searchByName', args: [objectType, text, limit] });
    if (text === 'boom') throw new CrmError('HubSpot POST /crm/objects/2026-03/companies/search failed: 502', { crm: 'hubspot', status: 502 });
    const all =
      objectType === 'companies'
        ? [{ id: '42', name: `Acme ${HOSTILE}`, detail: 'acme.fr' }, { id: '43', name: 'Acme Industrie' }]
        : [{ id: '901', name: 'Camille Acme', detail: 'camille@acme.fr' }];
    return all.filter((r) => r.name.toLowerCase().includes(text.toLowerCase())).slice(0, limit);
  };
  const connectors = new Map<CrmName, CrmConnector>([['hubspot', { crm: 'hubspot', searchByName } as CrmConnector]]);
  return {
    calls,
    backfills,
    get closedDeals() {
      return state.closedDeals;
    },
    set closedDeals(rows: AccountRow[]) {
      state.closedDeals = rows;
    },
    calibration,
    connectors,
    models: {
      ...models,
      async publish(input) {
        const entry = await models.publish(input);
        await follow();
        return entry;
      },
      async rollback(revision, by) {
        const entry = await models.rollback(revision, by);
        await follow();
        return entry;
      },
    },
    activeModel: () => ({ version: active.scorer.model.version, model: active.scorer.model }),
    mappings: {
      ...mappingStore,
      async save(input) {
        const entry = await mappingStore.save(input);
        await followMappings();
        calls.push({ method: 'mappings.save', args: [entry.revision] });
        return entry;
      },
      async rollback(revision, by) {
        const entry = await mappingStore.rollback(revision, by);
        await followMappings();
        return entry;
      },
    },
    activeMappings: () => loadedMappings,
    async crmFields(crm, objectType): Promise<CrmFieldInfo[]> {
      calls.push({ method: 'crmFields', args: [crm, objectType] });
      if (objectType === 'contacts') throw new Error(`HubSpot list contacts properties: 403 MISSING_SCOPES ${HOSTILE}`);
      return [
        { name: 'country', label: 'Country/Region', type: 'string', custom: false, options: 0 },
        { name: 'hs_country_code', label: 'Country code', type: 'enumeration', custom: true, options: 250 },
        { name: 'numberofemployees', label: 'Number of Employees', type: 'number', custom: false, options: 0 },
      ];
    },
    preview: {
      coverage: (crm, type) => mappingPreview.coverage(crm, type),
      previewMappings: (req) => mappingPreview.previewMappings(req),
      samples: readySamples(),
      deals: dealCache,
      preview: (req) =>
        createModelPreview({ samples: readySamples(), mapping: (crm, type) => DEFAULT_MAPPINGS[crm][type] ?? DEFAULT_MAPPINGS.hubspot['companies']!, active: () => active, deals: dealCache, minDeals: 30 }).preview(req),
    },
    objectTypes: (crm) => (crm === 'hubspot' ? ['companies', 'contacts'] : []),
    fields: (_crm, objectType) =>
      objectType === 'contacts'
        ? { input: ['jobtitle', 'hs_buying_role'], output: [{ key: 'priorityTier', name: 'icp_priority_tier', kind: 'enum' }, { key: 'buyingRole', name: 'icp_buying_role', kind: 'enum' }] }
        : { input: ['name', 'numberofemployees', 'country'], output: [{ key: 'score', name: 'icp_fit_score', kind: 'number' }, { key: 'committeeCoverage', name: 'icp_committee_coverage', kind: 'percent' }] },
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
