/**
 * Metadata API definitions of the custom fields (PRODUCT.md §3) and of the permission set that grants the
 * integration user read/edit on them. Used by `icp-sync setup salesforce`; the same shapes ship as source
 * in `integrations/salesforce/`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm
 */
import { COMMITTEE_OUTPUT_KEYS, PERSON_OUTPUT_KEYS, type OutputField, type SetupSpec } from '../port.ts';
import { REASONS_MAX_LENGTH } from './limits.ts';
import { isSafePicklistApiName, picklistApiName } from './picklist-names.ts';

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
export const NO_TAGS_PLACEHOLDER = 'icp_no_tags';

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

/** Values labelled as in the model, with safe API names (`picklistApiName`); a value whose API name repeats an earlier one is left out. */
const picklist = (values: readonly string[]): CustomFieldDefinition['valueSet'] => {
  const seen = new Set<string>();
  const value: PicklistValue[] = [];
  for (const v of values) {
    const fullName = picklistApiName(v);
    if (seen.has(fullName)) continue;
    seen.add(fullName);
    value.push({ fullName, default: false, label: v });
  }
  return { restricted: true, valueSetDefinition: { sorted: false, value } };
};

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
  return { restricted: true, valueSetDefinition: { sorted: false, value: roles.map((r) => ({ fullName: picklistApiName(r.id), default: false, label: r.label })) } };
}

/** A value as setup prints it: the API name, and the label when it differs (`mid_market (mid-market)`). */
export const valueText = (v: PicklistValue): string => (v.label === v.fullName ? v.fullName : `${v.fullName} (${v.label})`);

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
    const wantValues = want.valueSet.valueSetDefinition.value;
    const haveEntries = readPicklistEntries(have);
    const haveValues = haveEntries.map((e) => e.fullName);
    const missing = wantValues.filter((v) => !haveValues.includes(v.fullName));
    if (missing.length > 0) diffs.push(`add values ${missing.map(valueText).join(', ')}`);
    // Values no longer in the model are kept: records may still hold them and reports may filter on them. A
    // value whose API name is unsafe (`secteur-tech`, from before safe API names) and whose safe form is
    // wanted is kept inactive, relabelled so the labels stay distinct: records still holding it are
    // rewritten with the new value the next time they are scored.
    const legacy = (v: string) => !isSafePicklistApiName(v) && wantValues.some((x) => x.fullName === picklistApiName(v));
    const toDeactivate = haveEntries.filter((e) => e.active && legacy(e.fullName)).map((e) => e.fullName);
    if (toDeactivate.length > 0) diffs.push(`deactivate legacy values ${toDeactivate.map((v) => `${v} (now ${picklistApiName(v)})`).join(', ')}`);
    const extra = haveEntries.filter((e) => !wantValues.some((x) => x.fullName === e.fullName));
    merged = {
      ...want,
      valueSet: {
        ...want.valueSet,
        valueSetDefinition: {
          ...want.valueSet.valueSetDefinition,
          value: [
            ...wantValues,
            ...extra.map((e): PicklistValue => {
              if (legacy(e.fullName)) return { fullName: e.fullName, default: false, label: `${e.fullName} (old API name)`, isActive: false };
              return { fullName: e.fullName, default: false, label: e.label ?? e.fullName, ...(e.fullName === NO_TAGS_PLACEHOLDER || !e.active ? { isActive: false } : {}) };
            }),
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

/** The values of a field as `readMetadata` returns them: `isActive` is sent only when false. */
export function readPicklistEntries(have: Readonly<Record<string, unknown>>): Array<{ fullName: string; label?: string; active: boolean }> {
  const vs = have.valueSet as { valueSetDefinition?: { value?: unknown } } | undefined;
  const raw = vs?.valueSetDefinition?.value;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Array<{ fullName?: unknown; label?: unknown; isActive?: unknown }>;
  return list
    .map((v) => ({
      fullName: String(v.fullName ?? ''),
      ...(typeof v.label === 'string' && v.label !== '' ? { label: v.label } : {}),
      active: String(v.isActive ?? 'true') !== 'false',
    }))
    .filter((e) => e.fullName !== '');
}
