/**
 * Company and contact property definitions held by the sandbox, shaped like HubSpot's Property model, and the
 * validation HubSpot applies to written values (enumeration options, numbers, datetimes).
 */
import { INDUSTRIES, INDUSTRY_LABELS } from './seed.ts';

export interface SandboxOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface SandboxProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: SandboxOption[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  hasUniqueValue: boolean;
  calculated: boolean;
  externalOptions: boolean;
  createdAt: string;
  updatedAt: string;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  /** Set (true) on HubSpot's own properties only; a property created through the API has none. */
  hubspotDefined?: true;
}

export interface SandboxGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/**
 * Values HubSpot computes. `associatedcompanyid` follows the contact's primary company; whether the API
 * may write it is not documented, so the sandbox refuses (write associations instead).
 */
export const READ_ONLY_VALUES = new Set(['hs_object_id', 'hs_lastmodifieddate', 'lastmodifieddate', 'createdate', 'associatedcompanyid']);

function builtin(
  name: string,
  label: string,
  type: string,
  fieldType: string,
  options: SandboxOption[] = [],
  groupName = 'companyinformation',
): SandboxProperty {
  const at = '2019-08-06T02:41:52.000Z';
  return {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options,
    displayOrder: -1,
    hidden: false,
    formField: false,
    hasUniqueValue: false,
    calculated: false,
    externalOptions: false,
    createdAt: at,
    updatedAt: at,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: READ_ONLY_VALUES.has(name) },
    hubspotDefined: true,
  };
}


/** The default company properties the sandbox knows (a subset of a real portal's). */
export function defaultProperties(): SandboxProperty[] {
  return [
    builtin('name', 'Company name', 'string', 'text'),
    builtin('domain', 'Company Domain Name', 'string', 'text'),
    builtin(
      'industry',
      'Industry',
      'enumeration',
      'select',
      INDUSTRIES.map((v, i) => ({ label: INDUSTRY_LABELS[v], value: v, displayOrder: i, hidden: false })),
    ),
    builtin('numberofemployees', 'Number of Employees', 'number', 'number'),
    builtin('annualrevenue', 'Annual Revenue', 'number', 'number'),
    builtin('country', 'Country/Region', 'string', 'text'),
    builtin('city', 'City', 'string', 'text'),
    builtin('state', 'State/Region', 'string', 'text'),
    builtin('zip', 'Postal Code', 'string', 'text'),
    builtin('founded_year', 'Year Founded', 'string', 'text'),
    builtin('hs_object_id', 'Record ID', 'number', 'number'),
    builtin('createdate', 'Create Date', 'datetime', 'date'),
    builtin('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date'),
    builtin(
      'hs_ideal_customer_profile',
      'Ideal Customer Profile Tier',
      'enumeration',
      'radio',
      [1, 2, 3].map((n) => ({ label: `Tier ${n}`, value: `tier_${n}`, displayOrder: n - 1, hidden: false })),
    ),
    builtin('hs_is_target_account', 'Target Account', 'bool', 'booleancheckbox', [
      { label: 'True', value: 'true', displayOrder: 0, hidden: false },
      { label: 'False', value: 'false', displayOrder: 1, hidden: false },
    ]),
  ];
}

/**
 * The internal values of the contacts' "Buying Role" (`hs_buying_role`, a multiple checkbox). The
 * properties guide shows `DECISION_MAKER`, `BUDGET_HOLDER` and `END_USER`; the rest come from public
 * API notes. Portals read the live list from `GET /crm/v3/properties/contacts/hs_buying_role`.
 */
export const BUYING_ROLES = [
  ['BLOCKER', 'Blocker'],
  ['BUDGET_HOLDER', 'Budget Holder'],
  ['CHAMPION', 'Champion'],
  ['DECISION_MAKER', 'Decision Maker'],
  ['END_USER', 'End User'],
  ['EXECUTIVE_SPONSOR', 'Executive Sponsor'],
  ['INFLUENCER', 'Influencer'],
  ['LEGAL_AND_COMPLIANCE', 'Legal and Compliance'],
  ['OTHER', 'Other'],
] as const;

/** The default contact properties the sandbox knows (a subset of a real portal's). */
export function defaultContactProperties(): SandboxProperty[] {
  const group = 'contactinformation';
  return [
    builtin('firstname', 'First Name', 'string', 'text', [], group),
    builtin('lastname', 'Last Name', 'string', 'text', [], group),
    builtin('email', 'Email', 'string', 'text', [], group),
    builtin('jobtitle', 'Job Title', 'string', 'text', [], group),
    builtin(
      'hs_buying_role',
      'Buying Role',
      'enumeration',
      'checkbox',
      BUYING_ROLES.map(([value, label], i) => ({ label, value, displayOrder: i, hidden: false })),
      group,
    ),
    builtin('associatedcompanyid', 'Primary Associated Company ID', 'number', 'number', [], group),
    builtin('hs_object_id', 'Record ID', 'number', 'number', [], group),
    builtin('createdate', 'Create Date', 'datetime', 'date', [], group),
    builtin('lastmodifieddate', 'Last Modified Date', 'datetime', 'date', [], group),
  ];
}

/** HubSpot's per-property validation result, as found in `Property values were not valid` errors. */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/**
 * Validates and normalises one written value as HubSpot does. Returns the stored form, or an error.
 * `""` clears a value. Multi-checkbox values are `;`-separated; a leading `;` appends.
 */
export function validateValue(
  prop: SandboxProperty | undefined,
  name: string,
  raw: unknown,
  current: string | null,
): { value: string | null } | { error: PropertyValueError } {
  const fail = (error: string, message: string) => ({ error: { isValid: false as const, message, error, name } });
  if (prop === undefined) return fail('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
  if (prop.modificationMetadata.readOnlyValue) return fail('READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`);
  if (raw === null || raw === '') return { value: null };
  const text = typeof raw === 'string' ? raw : String(raw);
  switch (prop.type) {
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(text.trim())) return fail('INVALID_DOUBLE', `${text} was not a valid number.`);
      return { value: text.trim() };
    }
    case 'datetime':
    case 'date': {
      const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (!Number.isFinite(ms)) return fail('INVALID_DATE', `${text} was not a valid long or ISO 8601 date.`);
      return { value: new Date(ms).toISOString() };
    }
    case 'bool':
      if (text !== 'true' && text !== 'false') return fail('INVALID_BOOLEAN', `${text} was not a valid boolean.`);
      return { value: text };
    case 'enumeration': {
      const allowed = new Set(prop.options.map((o) => o.value));
      const appending = prop.fieldType === 'checkbox' && text.startsWith(';');
      const parts = prop.fieldType === 'checkbox' ? text.split(';').filter((p) => p !== '') : [text];
      for (const part of parts) {
        if (!allowed.has(part)) {
          const list = prop.options.map((o) => o.value).join(', ');
          return fail('INVALID_OPTION', `${part} was not one of the allowed options: [${list}]`);
        }
      }
      if (appending && current) {
        const merged = [...new Set([...current.split(';'), ...parts])];
        return { value: merged.join(';') };
      }
      return { value: parts.length === 0 ? null : parts.join(';') };
    }
    default:
      if (text.length > 65_536) return fail('INVALID_STRING', `${name} is longer than 65536 characters.`);
      return { value: text };
  }
}
