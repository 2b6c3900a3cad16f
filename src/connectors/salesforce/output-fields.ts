/**
 * The custom fields icp-sync writes on Accounts and Leads (PRODUCT.md §3), their default API names,
 * and how each value is encoded for Salesforce.
 */
import type { FieldValue, OutputField, OutputKey, OutputValues } from '../port.ts';
import { multiValues } from '../multi-value.ts';
import { REASONS_MAX_LENGTH } from './limits.ts';

/** Default API names, the same on Account and Lead. */
export const DEFAULT_OUTPUT_FIELD_NAMES: Readonly<Record<OutputKey, string>> = {
  score: 'ICP_Fit_Score__c',
  tier: 'ICP_Tier__c',
  tags: 'ICP_Tags__c',
  reasons: 'ICP_Fit_Reasons__c',
  completeness: 'ICP_Completeness__c',
  modelVersion: 'ICP_Model_Version__c',
  scoredAt: 'ICP_Scored_At__c',
};

const KINDS: Readonly<Record<OutputKey, OutputField['kind']>> = {
  score: 'number',
  tier: 'enum',
  tags: 'multi',
  reasons: 'text',
  completeness: 'percent',
  modelVersion: 'text',
  scoredAt: 'datetime',
};

const ORDER: readonly OutputKey[] = ['score', 'tier', 'tags', 'reasons', 'completeness', 'modelVersion', 'scoredAt'];

const CUSTOM_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/** The output fields with overrides applied; throws when an override is not a custom field API name. */
export function buildOutputFields(overrides: Partial<Record<OutputKey, string>> = {}): readonly OutputField[] {
  return ORDER.map((key) => {
    const name = overrides[key] ?? DEFAULT_OUTPUT_FIELD_NAMES[key];
    if (!CUSTOM_FIELD_NAME.test(name)) {
      throw new Error(`Salesforce output field for "${key}" must be a custom field API name ending in __c, got "${name}"`);
    }
    return { key, name, kind: KINDS[key] };
  });
}

/** Encodes one output value as Salesforce accepts it through the REST and Bulk APIs. */
export function encodeOutputValue(field: OutputField, values: OutputValues): FieldValue {
  switch (field.key) {
    case 'score':
      return Math.round(values.score);
    case 'tier':
      return values.tier;
    case 'tags': {
      // Multi-select picklists take `a;b`; an empty selection is a null value.
      const tags = multiValues(values.tags, 'Salesforce');
      return tags.length === 0 ? null : tags.join(';');
    }
    case 'reasons':
      return values.reasons.length > REASONS_MAX_LENGTH ? values.reasons.slice(0, REASONS_MAX_LENGTH) : values.reasons;
    case 'completeness':
      // Percent fields hold 0–100, not a 0–1 ratio.
      return Math.round(values.completeness * 100);
    case 'modelVersion':
      return values.modelVersion.slice(0, 64);
    case 'scoredAt':
      return new Date(values.scoredAt).toISOString();
  }
}
