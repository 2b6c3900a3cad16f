/**
 * The what-if preview of a draft model on the cached sample of one object type: the draft is
 * validated like a publish, the sample's CRM fields are mapped to attributes (once per sample,
 * cached in memory), then `whatIf` compares the draft with the active model. CRM values only: the
 * preview calls no enrichment provider.
 */
import type { CrmRecord } from '../connectors/port.ts';
import type { ModelChange } from '../domain/calibration/model-diff.ts';
import type { ClosedDeal } from '../domain/calibration/deal.ts';
import { parseModelText } from '../domain/model-schema.ts';
import { diffModelVersions } from '../domain/model-version-diff.ts';
import { compileModel, type Scorer } from '../domain/scorer.ts';
import { whatIf, type WhatIfRecord, type WhatIfResult } from '../domain/what-if.ts';
import { ConfigError, type CrmName } from '../errors.ts';
import { mapRecord } from '../mappings/apply.ts';
import { parseMappingsText } from '../mappings/load.ts';
import type { ObjectMapping } from '../mappings/types.ts';
import { mappingCoverage, type AttributeCoverage } from './mapping-coverage.ts';
import type { SampleCache, SampleStatus } from './sample-cache.ts';
import { dealCheckOf, type DealCheck } from './deal-check.ts';
import type { CachedDeals, DealCache } from './deal-cache.ts';

/** No sample has been read yet for this object type: call `samples.refresh` and wait for `ready`. */
export class SampleNotReadyError extends Error {
  override readonly name = 'SampleNotReadyError';
  readonly status: SampleStatus;
  constructor(status: SampleStatus) {
    super(`no preview sample of ${status.crm} ${status.objectType} yet (${status.state}${status.error ? `: ${status.error}` : ''})`);
    this.status = status;
  }
}

export interface PreviewRequest {
  crm: CrmName;
  objectType: string;
  /** The draft model text (YAML or JSON). */
  draft: string;
  /** Closed deals with their accounts' attributes: adds AUC and top-tier win rate. */
  deals?: readonly ClosedDeal[];
  /** Movers listed (default 20). */
  top?: number;
}

export interface PreviewResult {
  crm: CrmName;
  objectType: string;
  /** The sample used: its size and when it was read. */
  sample: { count: number; readAt: string };
  current: { version: string; revision?: number };
  draft: { version: string };
  /** What the draft changes, in words (as the publish diff). */
  changes: ModelChange[];
  whatIf: WhatIfResult;
  /**
   * The CRM's closed deals behind `whatIf.deals` (draft against current: AUC, top-tier win rate):
   * whether they are read, how many, and whether there are enough to compare. Absent when the
   * preview has no deal cache (or the request brought its own deals).
   */
  dealCheck?: DealCheck;
  /** Time spent computing, ms (sample mapping included when it was not cached). */
  ms: number;
}

export interface MappingPreviewRequest {
  crm: CrmName;
  objectType: string;
  /** The whole edited mappings text (as `config/mappings.yaml`). */
  mappings: string;
  top?: number;
}

export interface MappingPreviewResult {
  crm: CrmName;
  objectType: string;
  sample: { count: number; readAt: string };
  /** The active model scores both sides; only the attributes differ. */
  model: { version: string; revision?: number };
  coverage: { current: AttributeCoverage[]; draft: AttributeCoverage[] };
  /** Draft fields the sample did not read: they look empty here (refresh the sample with `fields`). */
  unreadFields: string[];
  whatIf: WhatIfResult;
  ms: number;
}

export interface ModelPreview {
  /**
   * @throws ConfigError (`problems`: the `icp-sync validate` lines) when the draft is invalid.
   * @throws SampleNotReadyError while no sample was read for that object type.
   */
  preview(req: PreviewRequest): Promise<PreviewResult>;
  /** Per attribute of the current mapping: coverage on the sample, fields used, examples. @throws SampleNotReadyError */
  coverage(crm: CrmName, objectType: string): Promise<{ sample: { count: number; readAt: string }; attributes: AttributeCoverage[] }>;
  /**
   * The effect of an edited mappings text on completeness and scores over the sample.
   * @throws ConfigError (`problems`: the messages a start would print, `mappings.yaml: …`).
   * @throws SampleNotReadyError
   */
  previewMappings(req: MappingPreviewRequest): Promise<MappingPreviewResult>;
}

/** Scores `records` with the draft against `current`; the pure core of `preview`, for benchmarks too. */
export function mapSample(mapping: ObjectMapping, records: readonly CrmRecord[], nameField?: string): WhatIfRecord[] {
  return records.map((r) => {
    const name = nameField === undefined ? undefined : r.fields[nameField];
    return { id: r.id, ...(typeof name === 'string' && name !== '' ? { name } : {}), attributes: mapRecord(mapping, r).attributes };
  });
}

export interface ModelPreviewOptions {
  samples: SampleCache;
  /** The mapping of a synced object type (the pipeline's). */
  mapping(crm: CrmName, objectType: string): ObjectMapping;
  /** The model the process scores with now. */
  active(): { scorer: Scorer; revision?: number };
  /** The CRM's closed deals: when set, previews compare draft and current on them (read on first use). */
  deals?: DealCache;
  /** Closed deals needed before the comparison is shown (`MODEL_HEALTH_MIN_DEALS`; default 30). */
  minDeals?: number;
}

/** The CRM field holding a record's display name, by object type, when the sample reads it. */
const NAME_FIELDS: Readonly<Record<string, string>> = { companies: 'name', Account: 'Name', Lead: 'Company', contacts: 'lastname', Contact: 'Name' };

export function createModelPreview(o: ModelPreviewOptions): ModelPreview {
  const mapped = new Map<string, { readAt: string; records: WhatIfRecord[] }>();
  async function sampleOf(crm: CrmName, objectType: string): Promise<{ records: CrmRecord[]; readAt: string }> {
    const sample = await o.samples.records(crm, objectType);
    if (sample === undefined) throw new SampleNotReadyError(await o.samples.status(crm, objectType));
    return sample;
  }
  const dealMemo = new Map<CrmName, CachedDeals>();
  /** The cached deals of a CRM and where they stand; starts the first read. */
  async function dealsOf(crm: CrmName): Promise<{ check: DealCheck; deals?: readonly ClosedDeal[] } | undefined> {
    const cache = o.deals;
    if (cache === undefined) return undefined;
    let status = await cache.status(crm);
    if (status.state === 'empty') status = await cache.refresh(crm);
    let cached = dealMemo.get(crm);
    if (status.readAt !== undefined && cached?.readAt !== status.readAt) {
      cached = await cache.deals(crm);
      if (cached !== undefined) dealMemo.set(crm, cached);
    }
    const deals = cached?.readAt === status.readAt ? cached?.deals : undefined;
    const check = dealCheckOf(status, deals, o.minDeals);
    return { check, ...(check.enough && deals !== undefined ? { deals } : {}) };
  }
  const modelAttributes = (s: Scorer): string[] => [...new Set([...s.model.criteria, ...s.model.exclusions].map((c) => c.attribute))];
  return {
    async coverage(crm, objectType) {
      const sample = await sampleOf(crm, objectType);
      return {
        sample: { count: sample.records.length, readAt: sample.readAt },
        attributes: mappingCoverage(o.mapping(crm, objectType), sample.records, modelAttributes(o.active().scorer)),
      };
    },
    async previewMappings(req) {
      const draftMappings = parseMappingsText(req.mappings);
      const draftMapping = draftMappings[req.crm][req.objectType];
      if (draftMapping === undefined) throw new ConfigError([`mappings.yaml: ${req.crm}.${req.objectType}: no mapping for this object type`]);
      const sample = await sampleOf(req.crm, req.objectType);
      const started = performance.now();
      const current = o.mapping(req.crm, req.objectType);
      const active = o.active();
      const name = NAME_FIELDS[req.objectType];
      const records: WhatIfRecord[] = mapSample(current, sample.records, name).map((r, i) => ({
        ...r,
        draftAttributes: mapRecord(draftMapping, sample.records[i] as CrmRecord).attributes,
      }));
      // A field the current mapping reads was asked for when the sample was read (a CRM may leave an
      // empty one out of its answer); any other field absent from every record was not asked for.
      const read = new Set([...sample.records.flatMap((r) => Object.keys(r.fields)), ...Object.values(current.attributes).flatMap((a) => a.fields)]);
      const unreadFields = [...new Set(Object.values(draftMapping.attributes).flatMap((a) => a.fields))].filter((f) => !read.has(f) && sample.records.length > 0);
      const attrs = modelAttributes(active.scorer);
      return {
        crm: req.crm,
        objectType: req.objectType,
        sample: { count: sample.records.length, readAt: sample.readAt },
        model: { version: active.scorer.model.version, ...(active.revision === undefined ? {} : { revision: active.revision }) },
        coverage: { current: mappingCoverage(current, sample.records, attrs), draft: mappingCoverage(draftMapping, sample.records, attrs) },
        unreadFields,
        whatIf: whatIf({ current: active.scorer, draft: active.scorer, records, ...(req.top === undefined ? {} : { top: req.top }) }),
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
    },
    async preview(req) {
      const parsed = parseModelText(req.draft.replace(/^\uFEFF/, ''), 'icp.yaml');
      if (!parsed.ok) throw new ConfigError(parsed.problems, `invalid ICP model:\n${parsed.problems.join('\n')}`);
      const draft = compileModel(parsed.model);
      const sample = await sampleOf(req.crm, req.objectType);
      const started = performance.now();
      const key = `${req.crm}:${req.objectType}`;
      let cached = mapped.get(key);
      if (cached === undefined || cached.readAt !== sample.readAt) {
        cached = { readAt: sample.readAt, records: mapSample(o.mapping(req.crm, req.objectType), sample.records, NAME_FIELDS[req.objectType]) };
        mapped.set(key, cached);
      }
      const active = o.active();
      const fromCache = req.deals === undefined ? await dealsOf(req.crm) : undefined;
      const deals = req.deals ?? fromCache?.deals;
      const result = whatIf({ current: active.scorer, draft, records: cached.records, ...(deals ? { deals } : {}), ...(req.top === undefined ? {} : { top: req.top }) });
      return {
        crm: req.crm,
        objectType: req.objectType,
        sample: { count: cached.records.length, readAt: sample.readAt },
        current: { version: active.scorer.model.version, ...(active.revision === undefined ? {} : { revision: active.revision }) },
        draft: { version: parsed.model.version },
        changes: diffModelVersions(active.scorer.model, parsed.model),
        whatIf: result,
        ...(fromCache === undefined ? {} : { dealCheck: fromCache.check }),
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
    },
  };
}
