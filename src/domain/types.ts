/**
 * The ICP model and the results of scoring, as plain data. This file is the contract between the
 * scoring core and everything around it (CLI, workers, connectors, calibration): see PRODUCT.md §2.
 */

/** A firmographic value as read from a CRM, a file or an enrichment provider, before matching. */
export type AttributeValue = unknown;

/** Attributes of one account, keyed by snake_case attribute name (`industry`, `employees`, …). */
export type Attributes = Readonly<Record<string, AttributeValue>>;

export interface CategoryMatcher {
  kind: 'category';
  /** Normalised text → points in [0, 1]. */
  values: Readonly<Record<string, number>>;
  default?: number;
}

export interface PrefixMatcher {
  kind: 'prefix';
  /** Code prefix (NAF/SIC/NACE) → points in [0, 1]; the longest matching prefix wins. */
  values: Readonly<Record<string, number>>;
  default?: number;
}

export interface RangeBand {
  min?: number;
  max?: number;
  points: number;
}

export interface RangeMatcher {
  kind: 'range';
  /** Inclusive bounds; the first band containing the value wins. */
  bands: readonly RangeBand[];
  default?: number;
}

export interface BooleanMatcher {
  kind: 'boolean';
  ifTrue?: number;
  ifFalse?: number;
}

export type Matcher = CategoryMatcher | PrefixMatcher | RangeMatcher | BooleanMatcher;

export interface Tier {
  name: string;
  min: number;
  label?: string;
}

export interface Criterion {
  id: string;
  /** Defaults to `id`. */
  label: string;
  attribute: string;
  weight: number;
  tag?: string;
  /** Defaults to 1. */
  tagAt: number;
  match: Matcher;
}

export interface Exclusion {
  id: string;
  label?: string;
  attribute: string;
  match: Matcher;
  reason: string;
}

/** One buying role of the model's `roles.list` (PRODUCT.md §2, buying roles), defaults applied. */
export interface RoleDef {
  /** snake_case; never `none`, which stands for "no role". */
  id: string;
  /** Defaults to `id`. */
  label: string;
  /** [0, 1]: what the role is worth in the (account, role) couple. */
  points: number;
  /** Counted in the account's committee coverage (default false). */
  required: boolean;
  /** Title patterns, as written in the model (normalised when compiled). */
  titles: readonly string[];
  /** HubSpot `hs_buying_role` internal values meaning this role, compared exactly. */
  hubspot: readonly string[];
  /** Salesforce `OpportunityContactRole.Role` picklist values meaning this role, compared exactly. */
  salesforce: readonly string[];
}

export interface RoleSet {
  /** Title patterns that prevent any inferred role (an explicit CRM role still counts). */
  ignoreTitles: readonly string[];
  /** [0, 1]: the points of a person with no role (default 0). */
  defaultPoints: number;
  /** At least one role, in priority order for ties. */
  list: readonly RoleDef[];
}

/** A validated ICP model with defaults applied (`label`, `tagAt`, `excludedTier`, `exclusions`). */
export interface IcpModel {
  version: string;
  name?: string;
  tiers: readonly Tier[];
  excludedTier: string;
  criteria: readonly Criterion[];
  exclusions: readonly Exclusion[];
  /** Buying roles: absent when the model scores accounts only. */
  roles?: RoleSet;
  /** Tiers of the (account, role) priority; absent means P1 ≥ 60, P2 ≥ 40, P3 ≥ 20, P4 ≥ 0. */
  priorityTiers?: readonly Tier[];
}

export type ReasonStatus = 'match' | 'partial' | 'miss' | 'missing';

export interface Reason {
  criterion: string;
  label: string;
  /** The attribute value as read (null when missing). */
  value: AttributeValue;
  points: number;
  /** 100 · weight · points / W, rounded to 1 decimal. */
  contribution: number;
  status: ReasonStatus;
}

export interface ExclusionHit {
  id: string;
  reason: string;
  value: AttributeValue;
}

export interface ScoreResult {
  /** Integer 0..100 (0 when excluded). */
  score: number;
  tier: string;
  excluded: boolean;
  /** Fired exclusion rules, in model order (empty when not excluded). */
  exclusions: readonly ExclusionHit[];
  /** 0..1, 2 decimals. */
  completeness: number;
  tags: readonly string[];
  /** Sorted by contribution descending, ties in criteria order. */
  reasons: readonly Reason[];
}
