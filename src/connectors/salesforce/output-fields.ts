/**
 * The custom fields icp-sync writes on Accounts, Leads and Contacts (PRODUCT.md §2 buying roles, §3),
 * their default API names, and how each value is encoded for Salesforce.
 */
import type { FieldValue, OutputField, OutputKey, OutputValues } from '../port.ts';
import { multiValues } from '../multi-value.ts';
import { REASONS_MAX_LENGTH } from './limits.ts';
import { picklistApiName } from './picklist-names.ts';

/** Default API names, the same on every object that has the field. */
export const DEFAULT_OUTPUT_FIELD_NAMES: Readonly<Record<OutputKey, string>> = {
  score: 'ICP_Fit_Score__c',
  tier: 'ICP_Tier__c',
  tags: 'ICP_Tags__c',
  reasons: 'ICP_Fit_Reasons__c',
  completeness: 'ICP_Completeness__c',
  modelVersion: 'ICP_Model_Version__c',
  scoredAt: 'ICP_Scored_At__c',
  committeeCoverage: 'ICP_Committee_Coverage__c',
  missingRoles: 'ICP_Missing_Roles__c',
  buyingRole: 'ICP_Buying_Role__c',
  priorityScore: 'ICP_Priority_Score__c',
  priorityTier: 'ICP_Priority_Tier__c',
  accountTier: 'ICP_Account_Tier__c',
};

/** Longest text of `ICP_Missing_Roles__c` (Text(255)). */
export const MISSING_ROLES_MAX_LENGTH = 255;

const KINDS: Readonly<Record<OutputKey, OutputField['kind']>> = {
  score: 'number',
  tier: 'enum',
  tags: 'multi',
  reasons: 'text',
  completeness: 'percent',
  modelVersion: 'text',
  scoredAt: 'datetime',
  committeeCoverage: 'percent',
  missingRoles: 'text',
  buyingRole: 'enum',
  priorityScore: 'number',
  priorityTier: 'enum',
  accountTier: 'enum',
};

/** The output keys written on Accounts and Leads whatever the model (person and committee keys come with roles). */
const ORDER: readonly OutputKey[] = ['score', 'tier', 'tags', 'reasons', 'completeness', 'modelVersion', 'scoredAt'];

/**
 * The output keys of each object (PRODUCT.md §2): an Account also has its buying-committee fields, a Lead
 * its own role and priority (no account tier: its own fit stands for its account's), a Contact only the
 * person fields. The pipeline leaves out the person and committee keys when the model does not need them.
 */
export const OBJECT_OUTPUT_KEYS: Readonly<Record<string, readonly OutputKey[]>> = {
  Account: [...ORDER, 'committeeCoverage', 'missingRoles'],
  Lead: [...ORDER, 'buyingRole', 'priorityScore', 'priorityTier'],
  Contact: ['buyingRole', 'priorityScore', 'priorityTier', 'accountTier', 'modelVersion', 'scoredAt'],
};

const CUSTOM_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/**
 * The fit output fields (the ones every model writes on Accounts and Leads) with overrides applied; throws when
 * an override is not a custom field API name.
 */
export function buildOutputFields(overrides: Partial<Record<OutputKey, string>> = {}): readonly OutputField[] {
  return fieldsOf(ORDER, overrides);
}

/** Every output field of `objectType` (see `OBJECT_OUTPUT_KEYS`) with overrides applied; fit fields for an unknown object. */
export function objectOutputFields(objectType: string, overrides: Partial<Record<OutputKey, string>> = {}): readonly OutputField[] {
  return fieldsOf(OBJECT_OUTPUT_KEYS[objectType] ?? ORDER, overrides);
}

function fieldsOf(keys: readonly OutputKey[], overrides: Partial<Record<OutputKey, string>>): readonly OutputField[] {
  return keys.map((key) => {
    const name = overrides[key] ?? DEFAULT_OUTPUT_FIELD_NAMES[key];
    if (!CUSTOM_FIELD_NAME.test(name)) {
      throw new Error(`Salesforce output field for "${key}" must be a custom field API name ending in __c, got "${name}"`);
    }
    return { key, name, kind: KINDS[key] };
  });
}

/**
 * Encodes one output value as Salesforce accepts it through the REST and Bulk APIs. Picklist values (tier,
 * tags, role, priority tier, account tier) are written by API name (`picklistApiName`: `secteur-tech` →
 * `secteur_tech`), which is also what reads return, so the diff compares like with like.
 */
export function encodeOutputValue(field: OutputField, values: OutputValues): FieldValue {
  switch (field.key) {
    case 'score':
      return values.score === undefined ? null : Math.round(values.score);
    case 'tier':
      return values.tier === undefined ? null : picklistApiName(values.tier);
    case 'tags': {
      if (values.tags === undefined) return null;
      // Multi-select picklists take `a;b`; an empty selection is a null value.
      const tags = [...new Set(multiValues(values.tags, 'Salesforce').map(picklistApiName))];
      return tags.length === 0 ? null : tags.join(';');
    }
    case 'reasons':
      if (values.reasons === undefined) return null;
      return values.reasons.length > REASONS_MAX_LENGTH ? values.reasons.slice(0, REASONS_MAX_LENGTH) : values.reasons;
    case 'completeness':
      // Percent fields hold 0–100, not a 0–1 ratio.
      return values.completeness === undefined ? null : Math.round(values.completeness * 100);
    case 'committeeCoverage':
      return values.committeeCoverage ?? null;
    case 'missingRoles':
      return values.missingRoles === undefined || values.missingRoles === '' ? null : truncateRoles(values.missingRoles);
    case 'buyingRole':
      return values.buyingRole == null ? null : picklistApiName(values.buyingRole);
    case 'priorityScore':
      return values.priorityScore ?? null;
    case 'priorityTier':
      return values.priorityTier == null ? null : picklistApiName(values.priorityTier);
    case 'accountTier':
      return values.accountTier == null ? null : picklistApiName(values.accountTier);
    case 'modelVersion':
      return values.modelVersion.slice(0, 64);
    case 'scoredAt':
      return new Date(values.scoredAt).toISOString();
  }
}

/** Missing-role labels cut at a `; ` boundary so that they fit Text(255), with `…` when cut. */
function truncateRoles(text: string): string {
  if (text.length <= MISSING_ROLES_MAX_LENGTH) return text;
  const parts = text.split('; ');
  let out = '';
  for (const part of parts) {
    const next = out === '' ? part : `${out}; ${part}`;
    if (next.length + 2 > MISSING_ROLES_MAX_LENGTH) break;
    out = next;
  }
  return out === '' ? `${text.slice(0, MISSING_ROLES_MAX_LENGTH - 1)}…` : `${out}; …`;
}
