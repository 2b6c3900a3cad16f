/**
 * The company properties icp-sync writes (PRODUCT.md §3), how each is defined in HubSpot, and how
 * values are encoded the way HubSpot accepts them.
 */
import type { FieldValue, OutputField, OutputFieldKind, OutputKey, OutputValues } from '../port.ts';
import { multiValues } from '../multi-value.ts';
import { STRING_MAX_LENGTH } from './limits.ts';

export const OUTPUT_GROUP = { name: 'icp_sync', label: 'ICP Sync', displayOrder: -1 } as const;

export const DEFAULT_OUTPUT_NAMES: Readonly<Record<OutputKey, string>> = {
  score: 'icp_fit_score',
  tier: 'icp_tier',
  tags: 'icp_tags',
  reasons: 'icp_fit_reasons',
  completeness: 'icp_completeness',
  modelVersion: 'icp_model_version',
  scoredAt: 'icp_scored_at',
  committeeCoverage: 'icp_committee_coverage',
  missingRoles: 'icp_missing_roles',
  buyingRole: 'icp_buying_role',
  priorityScore: 'icp_priority_score',
  priorityTier: 'icp_priority_tier',
  accountTier: 'icp_account_tier',
};

/** The built-in "Ideal Customer Profile Tier" property (tier_1..tier_3), written only with a tier map. */
export const BUILTIN_TIER_PROPERTY = 'hs_ideal_customer_profile';

interface PropertyDef {
  kind: OutputFieldKind;
  label: string;
  type: 'number' | 'enumeration' | 'string' | 'datetime';
  fieldType: 'number' | 'select' | 'checkbox' | 'textarea' | 'text' | 'date';
  description: string;
}

export const OUTPUT_DEFS: Readonly<Record<OutputKey, PropertyDef>> = {
  score: { kind: 'number', label: 'ICP Fit Score', type: 'number', fieldType: 'number', description: 'Ideal Customer Profile fit, 0-100 (icp-sync).' },
  tier: { kind: 'enum', label: 'ICP Tier', type: 'enumeration', fieldType: 'select', description: 'ICP tier from the fit score (icp-sync).' },
  tags: { kind: 'multi', label: 'ICP Tags', type: 'enumeration', fieldType: 'checkbox', description: 'ICP criteria this company matches (icp-sync).' },
  reasons: { kind: 'text', label: 'ICP Fit Reasons', type: 'string', fieldType: 'textarea', description: 'Why the company got its score (icp-sync).' },
  completeness: { kind: 'percent', label: 'ICP Data Completeness', type: 'number', fieldType: 'number', description: 'Share of the scoring criteria with data, 0-100 (icp-sync).' },
  modelVersion: { kind: 'text', label: 'ICP Model Version', type: 'string', fieldType: 'text', description: 'Version of the ICP model that scored the company (icp-sync).' },
  scoredAt: { kind: 'datetime', label: 'ICP Scored At', type: 'datetime', fieldType: 'date', description: 'When icp-sync last scored the company.' },
  committeeCoverage: { kind: 'number', label: 'ICP Committee Coverage', type: 'number', fieldType: 'number', description: 'Share of the required buying roles held by a contact of the company, 0-100 (icp-sync).' },
  missingRoles: { kind: 'text', label: 'ICP Missing Roles', type: 'string', fieldType: 'text', description: 'Required buying roles no contact of the company holds (icp-sync).' },
  buyingRole: { kind: 'enum', label: 'ICP Buying Role', type: 'enumeration', fieldType: 'select', description: 'Buying role of the contact in the ICP model (icp-sync).' },
  priorityScore: { kind: 'number', label: 'ICP Priority Score', type: 'number', fieldType: 'number', description: 'Priority of the (company, role) couple, 0-100 (icp-sync).' },
  priorityTier: { kind: 'enum', label: 'ICP Priority Tier', type: 'enumeration', fieldType: 'select', description: 'Priority tier of the (company, role) couple (icp-sync).' },
  accountTier: { kind: 'enum', label: 'ICP Account Tier', type: 'enumeration', fieldType: 'select', description: 'ICP tier of the contact\'s company (icp-sync).' },
};

/** The company output keys written whatever the model. */
export const COMPANY_FIT_KEYS: readonly OutputKey[] = ['score', 'tier', 'tags', 'reasons', 'completeness', 'modelVersion', 'scoredAt'];

/**
 * Every company output key: the fit keys, then the committee keys. The pipeline drops the committee
 * keys when no role is `required` (`COMMITTEE_OUTPUT_KEYS`), and setup only creates their properties then.
 */
export const COMPANY_KEYS: readonly OutputKey[] = [...COMPANY_FIT_KEYS, 'committeeCoverage', 'missingRoles'];

/** The contact output keys (PRODUCT.md §2, buying roles). */
export const CONTACT_KEYS: readonly OutputKey[] = ['buyingRole', 'priorityScore', 'priorityTier', 'accountTier', 'modelVersion', 'scoredAt'];

function fieldsOf(keys: readonly OutputKey[], overrides: Partial<Record<OutputKey, string>>): OutputField[] {
  return keys.map((key) => ({ key, name: overrides[key] ?? DEFAULT_OUTPUT_NAMES[key], kind: OUTPUT_DEFS[key].kind }));
}

/**
 * Company output fields with names overridden where asked; plus the built-in tier property when a tier
 * map is set. `fitOnly` leaves out the committee fields (what a model without required roles writes).
 */
export function buildOutputFields(
  overrides: Partial<Record<OutputKey, string>> = {},
  builtinTierMap?: Readonly<Record<string, string>>,
  fitOnly = false,
): OutputField[] {
  const fields = fieldsOf(fitOnly ? COMPANY_FIT_KEYS : COMPANY_KEYS, overrides);
  if (builtinTierMap && Object.keys(builtinTierMap).length > 0) fields.push({ key: 'tier', name: BUILTIN_TIER_PROPERTY, kind: 'enum' });
  return fields;
}

/** Contact output fields, names overridden where asked. */
export function buildContactOutputFields(overrides: Partial<Record<OutputKey, string>> = {}): OutputField[] {
  return fieldsOf(CONTACT_KEYS, overrides);
}

/**
 * Encodes one value. Tags become `a;b` — without a leading `;`, which HubSpot reads as "append" —
 * so a write replaces the whole set; no tags is `""`, which clears the property.
 */
export function encodeOutput(field: OutputField, values: OutputValues, builtinTierMap?: Readonly<Record<string, string>>): FieldValue {
  if (field.name === BUILTIN_TIER_PROPERTY && field.key === 'tier') return values.tier === undefined ? null : (builtinTierMap?.[values.tier] ?? '');
  switch (field.key) {
    case 'score':
      return values.score === undefined ? null : Math.round(values.score);
    case 'tier':
      return values.tier ?? null;
    case 'tags':
      return values.tags === undefined ? null : multiValues(values.tags, 'HubSpot').join(';');
    case 'reasons':
      return values.reasons === undefined ? null : truncate(values.reasons);
    case 'completeness':
      return values.completeness === undefined ? null : Math.round(values.completeness * 100);
    case 'modelVersion':
      return values.modelVersion;
    case 'scoredAt':
      return new Date(values.scoredAt).toISOString();
    case 'committeeCoverage':
      return values.committeeCoverage ?? null;
    case 'missingRoles':
      return values.missingRoles === undefined ? null : truncate(values.missingRoles);
    case 'buyingRole':
      return values.buyingRole ?? null;
    case 'priorityScore':
      return values.priorityScore ?? null;
    case 'priorityTier':
      return values.priorityTier ?? null;
    case 'accountTier':
      return values.accountTier ?? null;
  }
}

function truncate(text: string): string {
  return text.length > STRING_MAX_LENGTH ? text.slice(0, STRING_MAX_LENGTH) : text;
}

/** A value as HubSpot's JSON wants it: every property value is a string; `""` clears. */
export function toWireValue(value: FieldValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Parses `A:tier_1,B:tier_2` (HUBSPOT_TIER_MAP). Throws `RangeError` naming the bad entry. */
export function parseTierMap(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const map: Record<string, string> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^:]+):(tier_[1-9])$/.exec(entry);
    if (!m) throw new RangeError(`HUBSPOT_TIER_MAP: "${entry}" must look like A:tier_1`);
    map[(m[1] as string).trim()] = m[2] as string;
  }
  return map;
}
