/**
 * The port every CRM connector implements (HubSpot companies and contacts; Salesforce Accounts,
 * Leads and Contacts).
 * Orchestration — chunking, enrichment, scoring, diffing, per-record errors — lives once in
 * `src/pipeline/`, outside the connectors. Every method turns vendor failures into the typed
 * errors of `src/errors.ts`; raw SDK errors never escape.
 */
import type { CrmName } from '../errors.ts';

export type { CrmName } from '../errors.ts';

/** A value written to a CRM field. `null` clears the field. */
export type FieldValue = string | number | boolean | null;

/** One CRM record as read: the requested fields, values as the vendor returned them. */
export interface CrmRecord {
  id: string;
  /** Requested field name → raw value (`null` when empty). Unrequested fields may be absent. */
  fields: Readonly<Record<string, unknown>>;
  /** Last-modified timestamp (ISO 8601) when the vendor gives one (hs_lastmodifieddate, SystemModstamp). */
  modifiedAt?: string;
  /**
   * People only (`person` object types): the id of the one account the person counts for (HubSpot:
   * the primary associated company, else the lowest company id; Salesforce Contact: `AccountId`),
   * `null` when the person has none. Absent on other object types.
   */
  accountId?: string | null;
}

/**
 * What a record is to the ICP: an `account` (HubSpot company, Salesforce Account) gets a fit score
 * and its buying-committee coverage; a `person` (HubSpot contact, Salesforce Contact) gets a role and
 * the priority of the (account, role) couple; a `lead` (Salesforce Lead) gets both a fit score and a
 * role, its own fit score standing for its account's.
 */
export type RecordKind = 'account' | 'person' | 'lead';

/** One page of a listing. `next` is an opaque, resumable cursor; absent on the last page. */
export interface Page {
  records: CrmRecord[];
  next?: string;
  /** Records in the whole listing, when the vendor tells (SOQL `totalSize`); drives the backfill ETA. */
  total?: number;
}

/** A page of an incremental listing, with the highest modification time seen so far. */
export interface IncrementalPage extends Page {
  /** ISO 8601; store it as the next watermark once the page's records are safely queued. */
  watermark?: string;
}

/** What to write on one record: CRM field name → encoded value. */
export interface RecordChange {
  id: string;
  fields: Readonly<Record<string, FieldValue>>;
}

export interface RecordFailure {
  id: string;
  /** Vendor error code (`VALIDATION_ERROR`, `UNABLE_TO_LOCK_ROW`, …). */
  code: string;
  /** The vendor's own message, for RevOps. */
  message: string;
  /** Whether trying the same write again later can succeed. */
  retryable: boolean;
}

export interface WriteOutcome {
  /** Ids written successfully. */
  written: string[];
  /** Ids that failed, each with the vendor's reason. The others were kept. */
  failed: RecordFailure[];
  /** API calls this write cost (for metrics and benchmarks). */
  calls: number;
}

export interface WriteOptions {
  /**
   * `live` (default): synchronous batch calls. `bulk`: the connector may use an asynchronous bulk API
   * (Salesforce Bulk API 2.0) when the change set is large.
   */
  mode?: 'live' | 'bulk';
  /** Bulk work (backfill) passes `true`: the connector refuses when the daily budget is under its reserve. */
  background?: boolean;
}

/** The kind of an output field, which tells the diff how to compare current and new values. */
export type OutputFieldKind = 'number' | 'text' | 'enum' | 'multi' | 'datetime' | 'percent';

/** The fit of an account or lead (PRODUCT.md §3). */
export interface FitValues {
  score: number;
  tier: string;
  tags: readonly string[];
  /** Short text form of the reasons. */
  reasons: string;
  /** 0..1 */
  completeness: number;
}

/** The buying committee of an account, when the model has required roles (PRODUCT.md §2, buying roles). */
export interface CommitteeValues {
  /** 0..100 */
  committeeCoverage: number;
  /** Labels of the uncovered required roles joined by `; `; `""` when none is missing. */
  missingRoles: string;
}

/** The (account, role) couple of a person or lead, when the model has roles. */
export interface PersonValues {
  /** Role id, or `none`. */
  buyingRole: string;
  /** 0..100; `null` for a person without an account (the field is cleared). */
  priorityScore: number | null;
  /** Priority tier name; `null` for a person without an account. */
  priorityTier: string | null;
  /** The tier of the person's account; `null` without an account. Not written on leads. */
  accountTier: string | null;
}

/**
 * The values icp-sync computes for one record. Which groups are present depends on the record's
 * kind and on the model: an account has fit (and committee values when some role is required), a
 * person has person values, a lead has fit and person values. A connector is only asked to encode
 * the fields of values that are present.
 */
export type OutputValues = Partial<FitValues & CommitteeValues & PersonValues> & {
  modelVersion: string;
  /** ISO 8601 */
  scoredAt: string;
};

export type OutputKey = keyof FitValues | keyof CommitteeValues | keyof PersonValues | 'modelVersion' | 'scoredAt';

/** The output keys that exist only when the model has roles. */
export const PERSON_OUTPUT_KEYS: readonly OutputKey[] = ['buyingRole', 'priorityScore', 'priorityTier', 'accountTier'];
/** The output keys that exist only when some role is `required`. */
export const COMMITTEE_OUTPUT_KEYS: readonly OutputKey[] = ['committeeCoverage', 'missingRoles'];

export interface OutputField {
  key: OutputKey;
  /** CRM field name (`icp_fit_score`, `ICP_Fit_Score__c`). */
  name: string;
  kind: OutputFieldKind;
}

/** What setup must make exist in the CRM. */
export interface SetupSpec {
  /** All tier names, including the excluded tier. */
  tiers: readonly string[];
  /** Every tag the model can emit. */
  tags: readonly string[];
  /** Optional built-in HubSpot tier mapping (`A` → `tier_1`…). */
  builtinTierMap?: Readonly<Record<string, string>>;
  /**
   * Present when the model has roles: setup also creates the person fields (on people and leads)
   * and, when some role is required, the committee fields on accounts.
   */
  people?: {
    /** Roles in model order (the role field's options, plus `none`). */
    roles: readonly { id: string; label: string }[];
    /** Priority tier names in model order, then the excluded tier. */
    priorityTiers: readonly string[];
    /** Whether some role is required (committee fields on accounts). */
    committee: boolean;
  };
}

export interface SetupReport {
  /** What was created or changed, one line each, in words an admin understands. */
  changed: string[];
  /** What already existed as required. */
  unchanged: string[];
  /** Problems the admin must fix (missing scopes, permissions). Non-empty means setup is incomplete. */
  problems: string[];
}

/** One field of a CRM object as the CRM describes it (HubSpot property, Salesforce describe field): the Mappings page lists them. */
export interface CrmFieldInfo {
  /** API name (`numberofemployees`, `BillingCountryCode`). */
  name: string;
  /** Display label in the CRM. */
  label: string;
  /** The CRM's own type (HubSpot `number`, `enumeration`…; Salesforce `double`, `picklist`…). */
  type: string;
  /** Created by the customer (HubSpot: not `hubspotDefined`; Salesforce: `custom`). */
  custom: boolean;
  /** Option values of a picklist or enumeration (0 for free fields). */
  options: number;
}

/** A record found by name (console record search). */
export interface RecordMatch {
  id: string;
  /** The record's display name (company or account name, a person's full name). */
  name: string;
  /** A second line to tell records apart: a domain, an email, a lead's company. */
  detail?: string;
}

export interface CrmConnector {
  readonly crm: CrmName;
  /** Object types this connector syncs whatever the model (`companies`; `Account`, `Lead`). */
  readonly objectTypes: readonly string[];
  /**
   * Object types of people (`contacts`; `Contact`), synced only when the model has roles. Reads of
   * these types fill `CrmRecord.accountId`.
   */
  readonly personObjectTypes: readonly string[];
  /** The kind of every type in `objectTypes` and `personObjectTypes`. */
  readonly objectKinds: Readonly<Record<string, RecordKind>>;
  /** Largest batch for reads and for synchronous writes (HubSpot 100; Salesforce 200). */
  readonly batchSize: { read: number; write: number };
  /**
   * Set when the connector has an asynchronous bulk write API: `writeChanges(…, { mode: 'bulk' })`
   * uses it for more than this many changes (Salesforce Bulk API 2.0, `SALESFORCE_BULK_THRESHOLD`,
   * default 2,000). Backfills then gather their changes and write them in bulk. Absent: no bulk API.
   */
  readonly bulkWriteThreshold?: number;

  /** The output fields written on this object type, with their CRM names. */
  outputFields(objectType: string): readonly OutputField[];
  /**
   * Encodes one output value the way this CRM accepts it (tags `a;b`, percent 0–100…). Only called
   * for a field whose value is present in `values`; a `null` person value encodes as `null` (clear).
   */
  encode(field: OutputField, values: OutputValues): FieldValue;

  /**
   * Reads records by id, in as few calls as the vendor allows, only the given fields.
   * Ids that do not exist (deleted, merged away) are absent from the result; never an error.
   */
  readByIds(objectType: string, ids: readonly string[], fields: readonly string[]): Promise<CrmRecord[]>;

  /** One page of the full listing (backfill). Pass the previous page's `next` to resume. */
  listAll(objectType: string, fields: readonly string[], cursor?: string): Promise<Page>;

  /**
   * One page of records modified at or after `since` (inclusive; callers subtract their own overlap).
   * Pass the previous page's `next` to continue. Must get past vendor result caps (HubSpot 10,000).
   */
  listModifiedSince(
    objectType: string,
    fields: readonly string[],
    since: string,
    cursor?: string,
  ): Promise<IncrementalPage>;

  /**
   * Ids of records deleted at or after `since`, for CRMs that tell no one of deletions (Salesforce
   * sends no outbound message): the incremental sync rescores them, so that a deleted person leaves
   * its account's committee. `watermark`: where the next call starts. Absent: deletions arrive by
   * webhook (HubSpot).
   */
  listDeletedSince?(objectType: string, since: string): Promise<{ ids: string[]; watermark: string }>;

  /**
   * The CRM's daily API allocation as the CRM last reported it (Salesforce `Sforce-Limit-Info`, HubSpot
   * `X-HubSpot-RateLimit-Daily` and `-Daily-Remaining`), shared between processes; undefined until a call
   * reported it or once the reading is stale. Never throws. The dispatcher batches live edits harder once
   * half of it is spent. Absent: the CRM reports no daily allocation (test doubles).
   */
  dailyUsage?(): Promise<{ used: number; limit: number } | undefined>;

  /**
   * Display labels of the option values of `fields` on `objectType`, as the CRM defines them (HubSpot
   * property `options[].label` vs `value`, Salesforce describe `picklistValues[].label` vs `value`):
   * field → (value → label), only for fields that have options. For the reasons text; scoring always
   * matches values. Cached by the connector; never throws (a failed read gives an empty map, asked again
   * next time). Absent: the CRM has no option labels.
   */
  valueLabels?(objectType: string, fields: readonly string[]): Promise<ReadonlyMap<string, ReadonlyMap<string, string>>>;

  /**
   * Every field of `objectType` the integration user can see, sorted by name (HubSpot
   * `GET /crm/v3/properties/{objectType}`, Salesforce `GET /sobjects/{type}/describe`). Throws the
   * connector's typed errors. Absent in test doubles.
   */
  describeFields?(objectType: string): Promise<CrmFieldInfo[]>;

  /**
   * Records of `objectType` whose name contains `text` (case-insensitive), at most `limit`, for the
   * console's record search (HubSpot CRM search `query`, under the search rate limit; Salesforce SOQL
   * `LIKE` with quotes and wildcards escaped). Throws the connector's typed errors. Absent in test doubles.
   */
  searchByName?(objectType: string, text: string, limit: number): Promise<RecordMatch[]>;

  /** Writes the changes in batch calls; partial failures fail only their records. */
  writeChanges(objectType: string, changes: readonly RecordChange[], options?: WriteOptions): Promise<WriteOutcome>;

  /** Creates or updates output fields/properties and options. Idempotent. `dryRun` changes nothing. */
  setup(spec: SetupSpec, options?: { dryRun?: boolean }): Promise<SetupReport>;

  /** Releases sockets and timers. */
  close(): Promise<void>;
}
