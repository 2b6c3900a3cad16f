/**
 * Metadata API definitions of the custom fields (PRODUCT.md §3) and of the permission set that grants the
 * integration user read/edit on them. Used by `icp-sync setup salesforce`; the same shapes ship as source
 * in `integrations/salesforce/`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm
 */
import { COMMITTEE_OUTPUT_KEYS, PERSON_OUTPUT_KEYS, type OutputField, type SetupSpec } from '../port.ts';
import { REASONS_MAX_LENGTH } from './limits.ts';

export interface PicklistValue {
  fullName: string;
  default: boolean;
  label: string;
  isActive?: boolean;
}

/**
 * A multi-select picklist needs at least one value; a model without tags gets this one, inactive, so the field
 * exists (and reads/writes of an empty selection work) without offering a choice.
 */
export const NO_TAGS_PLACEHOLDER = 'icp-no-tags';

export interface CustomFieldDefinition {
  fullName: string;
  label: string;
  type: 'Number' | 'Percent' | 'Text' | 'LongTextArea' | 'Picklist' | 'MultiselectPicklist' | 'DateTime';
  description: string;
  inlineHelpText?: string;
  precision?: number;
  scale?: number;
  length?: number;
  visibleLines?: number;
  valueSet?: { restricted: boolean; valueSetDefinition: { sorted: boolean; value: PicklistValue[] } };
}

/** API name of the permission set setup creates and assigns. */
export const PERMISSION_SET_NAME = 'ICP_Sync';
export const PERMISSION_SET_LABEL = 'ICP Sync';

const picklist = (values: readonly string[]): CustomFieldDefinition['valueSet'] => ({
  restricted: true,
  valueSetDefinition: { sorted: false, value: values.map((v) => ({ fullName: v, default: false, label: v })) },
});

/** The definition of one output field on one object. */
export function fieldDefinition(objectType: string, field: OutputField, spec: SetupSpec): CustomFieldDefinition {
  const fullName = `${objectType}.${field.name}`;
  const base = { fullName, description: 'Written by icp-sync; do not edit by hand.' };
  switch (field.key) {
    case 'score':
      return { ...base, label: 'ICP Fit Score', type: 'Number', precision: 3, scale: 0, inlineHelpText: 'Ideal Customer Profile fit, 0 to 100.' };
    case 'tier':
      return { ...base, label: 'ICP Tier', type: 'Picklist', valueSet: picklist(spec.tiers) };
    case 'tags': {
      const valueSet = picklist(spec.tags.length > 0 ? spec.tags : [NO_TAGS_PLACEHOLDER]);
      if (spec.tags.length === 0) for (const v of valueSet?.valueSetDefinition.value ?? []) v.isActive = false;
      return { ...base, label: 'ICP Tags', type: 'MultiselectPicklist', visibleLines: 4, valueSet };
    }
    case 'reasons':
      return { ...base, label: 'ICP Fit Reasons', type: 'LongTextArea', length: REASONS_MAX_LENGTH, visibleLines: 5, inlineHelpText: 'Why this score: each criterion and its points.' };
    case 'completeness':
      return { ...base, label: 'ICP Completeness', type: 'Percent', precision: 3, scale: 0, inlineHelpText: 'Share of the model weight whose data was known.' };
    case 'modelVersion':
      return { ...base, label: 'ICP Model Version', type: 'Text', length: 64 };
    case 'scoredAt':
      return { ...base, label: 'ICP Scored At', type: 'DateTime' };
    case 'committeeCoverage':
      return { ...base, label: 'ICP Committee Coverage', type: 'Percent', precision: 3, scale: 0, inlineHelpText: 'Share of the required buying roles held by a contact of the account.' };
    case 'missingRoles':
      return { ...base, label: 'ICP Missing Roles', type: 'Text', length: 255, inlineHelpText: 'Required buying roles no contact of the account holds.' };
    case 'buyingRole':
      return { ...base, label: 'ICP Buying Role', type: 'Picklist', valueSet: rolePicklist(spec) };
    case 'priorityScore':
      return { ...base, label: 'ICP Priority Score', type: 'Number', precision: 3, scale: 0, inlineHelpText: 'Priority of the (account, role) couple, 0 to 100.' };
    case 'priorityTier':
      return { ...base, label: 'ICP Priority Tier', type: 'Picklist', valueSet: picklist(spec.people?.priorityTiers ?? []) };
    case 'accountTier':
      return { ...base, label: 'ICP Account Tier', type: 'Picklist', valueSet: picklist(spec.tiers) };
  }
}

/** Whether the model needs this output field: person fields come with roles, committee fields with a required role. */
export function neededBySpec(field: OutputField, spec: SetupSpec): boolean {
  if (PERSON_OUTPUT_KEYS.includes(field.key)) return spec.people !== undefined;
  if (COMMITTEE_OUTPUT_KEYS.includes(field.key)) return spec.people?.committee === true;
  return true;
}

/** Field-level security granted by the permission set. */
export interface FieldGrant {
  field: string;
  readable: boolean;
  editable: boolean;
}

/** Object access granted by the permission set (Metadata API `ObjectPermissions`, every flag sent). */
export interface ObjectGrant {
  allowCreate: boolean;
  allowDelete: boolean;
  allowEdit: boolean;
  allowRead: boolean;
  modifyAllRecords: boolean;
  object: string;
  viewAllRecords: boolean;
}

/**
 * What reading people needs besides the ICP fields, when the model has roles: Contacts read and edited (the
 * ICP fields are written on them), their `Title` and `AccountId` read, Opportunities read (access to
 * OpportunityContactRole follows the Opportunity: it has no object permission of its own) and the contact
 * role's `Role` read; a Lead's `Title` when Leads are synced.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm
 */
export function peopleGrants(spec: SetupSpec, objectTypes: readonly string[]): { fields: FieldGrant[]; objects: ObjectGrant[] } {
  if (!spec.people) return { fields: [], objects: [] };
  const read = (field: string): FieldGrant => ({ field, readable: true, editable: false });
  const object = (name: string, edit: boolean): ObjectGrant => ({
    allowCreate: false,
    allowDelete: false,
    allowEdit: edit,
    allowRead: true,
    modifyAllRecords: false,
    object: name,
    viewAllRecords: false,
  });
  return {
    fields: [read('Contact.AccountId'), read('Contact.Title'), ...(objectTypes.includes('Lead') ? [read('Lead.Title')] : []), read('OpportunityContactRole.Role')],
    objects: [object('Contact', true), object('Opportunity', false)],
  };
}

/** Role picklist: API names are the role ids (snake_case, safe), labels the role labels; plus `none`. */
function rolePicklist(spec: SetupSpec): CustomFieldDefinition['valueSet'] {
  const roles = [...(spec.people?.roles ?? []), { id: 'none', label: 'none' }];
  return { restricted: true, valueSetDefinition: { sorted: false, value: roles.map((r) => ({ fullName: r.id, default: false, label: r.label })) } };
}

/** Differences that need an update, in words; empty when the existing field already matches. */
export function fieldDifferences(want: CustomFieldDefinition, have: Readonly<Record<string, unknown>>): { diffs: string[]; merged: CustomFieldDefinition } {
  const diffs: string[] = [];
  if (have.type !== want.type) diffs.push(`type ${String(have.type)} → ${want.type}`);
  for (const k of ['label', 'precision', 'scale', 'length', 'visibleLines'] as const) {
    const w = want[k];
    if (w !== undefined && String(have[k] ?? '') !== String(w)) diffs.push(`${k} ${String(have[k] ?? '(none)')} → ${String(w)}`);
  }
  let merged = want;
  if (want.valueSet) {
    const haveValues = readPicklistValues(have);
    const missing = want.valueSet.valueSetDefinition.value.filter((v) => !haveValues.includes(v.fullName));
    if (missing.length > 0) diffs.push(`add values ${missing.map((v) => v.fullName).join(', ')}`);
    // Values no longer in the model are kept: records may still hold them and reports may filter on them.
    const extra = haveValues.filter((v) => !want.valueSet?.valueSetDefinition.value.some((x) => x.fullName === v));
    merged = {
      ...want,
      valueSet: {
        ...want.valueSet,
        valueSetDefinition: {
          ...want.valueSet.valueSetDefinition,
          value: [
            ...want.valueSet.valueSetDefinition.value,
            ...extra.map((v) => ({ fullName: v, default: false, label: v, ...(v === NO_TAGS_PLACEHOLDER ? { isActive: false } : {}) })),
          ],
        },
      },
    };
  }
  return { diffs, merged };
}

/**
 * Metadata API SOAP messages follow the WSDL's element sequence: `fullName` (from the base type) first, then
 * each type's fields in alphabetical order. jsforce serialises keys as given, so definitions are put in that
 * order before sending ("Element … invalid at this location" otherwise).
 */
export function inMetadataOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => inMetadataOrder(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a === 'fullName' ? -1 : b === 'fullName' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, inMetadataOrder(v)])) as T;
}

export function readPicklistValues(have: Readonly<Record<string, unknown>>): string[] {
  const vs = have.valueSet as { valueSetDefinition?: { value?: unknown } } | undefined;
  const raw = vs?.valueSetDefinition?.value;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((v) => String((v as { fullName?: unknown }).fullName ?? '')).filter(Boolean);
}
