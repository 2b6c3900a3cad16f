/**
 * Setup: the `icp_sync` property group, the output properties, and the `icp_tier`/`icp_tags` options
 * kept in line with the model — options are added, never removed (records may still hold them).
 * When the model has roles (`spec.people`), the same on contacts (`icp_buying_role`, priority, account
 * tier, model version, scored at) and, when some role is required, the committee properties on
 * companies. Property groups are per object type, so contacts get their own `icp_sync` group.
 * Idempotent: a second run finds everything in place and changes nothing. Also checks token scopes.
 */
import { z } from 'zod';
import { CrmAuthError, CrmError } from '../../errors.ts';
import { COMMITTEE_OUTPUT_KEYS, type OutputField, type OutputKey, type SetupReport, type SetupSpec } from '../port.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import { BUILTIN_TIER_PROPERTY, OUTPUT_DEFS, OUTPUT_GROUP } from './output-fields.ts';
import type { HubSpotPaths } from './paths.ts';
import { parseVendor } from './records.ts';

/** Scopes icp-sync needs on companies (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/scopes). */
export const REQUIRED_SCOPES: Readonly<Record<string, string>> = {
  'crm.objects.companies.read': 'read companies',
  'crm.objects.companies.write': 'write the ICP properties on companies',
  'crm.schemas.companies.read': 'read company property definitions',
  'crm.schemas.companies.write': 'create the ICP properties and their options',
};

/** Scopes icp-sync needs on contacts when the model has roles (PRODUCT.md §2, buying roles). */
export const PEOPLE_SCOPES: Readonly<Record<string, string>> = {
  'crm.objects.contacts.read': 'read contacts, their job titles, buying roles and companies',
  'crm.objects.contacts.write': 'write the buying role and priority on contacts',
  'crm.schemas.contacts.read': 'read contact property definitions',
  'crm.schemas.contacts.write': 'create the buying-role and priority properties and their options',
};

/**
 * Scopes of the segmented views (active lists, `views` in the mappings): setup creates and updates them
 * (https://developers.hubspot.com/docs/api-reference/crm-lists-v3/guide).
 */
export const LISTS_SCOPES: Readonly<Record<string, string>> = {
  'crm.lists.read': 'find the ICP lists icp-sync created',
  'crm.lists.write': 'create, update and remove the ICP lists',
};

/**
 * Scopes the app also requests for optional commands; scoring and setup work without them. Static-auth apps
 * can only declare required scopes
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/scopes), so
 * `integrations/hubspot` lists these under `requiredScopes` too.
 */
export const FEATURE_SCOPES: Readonly<Record<string, string>> = {
  'crm.objects.deals.read': 'read closed deals for `icp-sync calibrate --crm hubspot`',
};

const optionSchema = z.object({ label: z.string(), value: z.string(), displayOrder: z.number().optional(), hidden: z.boolean().optional() }).loose();
const propertySchema = z
  .object({
    name: z.string(),
    type: z.string(),
    fieldType: z.string(),
    groupName: z.string().optional(),
    options: z.array(optionSchema).default([]),
    modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).loose().optional(),
  })
  .loose();
const propertyListSchema = z.object({ results: z.array(propertySchema) });
type Property = z.infer<typeof propertySchema>;

/**
 * Reads the token's scopes: private-app tokens through `/oauth/v2/private-apps/get/access-token-info`,
 * OAuth tokens through `/oauth/v1/access-tokens/{token}`. `undefined` when neither answers (service keys).
 */
export async function readTokenScopes(client: HubSpotHttpClient, token: string): Promise<string[] | undefined> {
  const scopesOf = (body: unknown) => z.object({ scopes: z.array(z.string()) }).loose().safeParse(body);
  const quiet = [400, 401, 403, 404, 405, 501];
  const attempts = [
    () => client.request({ method: 'POST', path: '/oauth/v2/private-apps/get/access-token-info', body: { tokenKey: token }, label: 'token info (private app)', accept: quiet }),
    () => client.request({ method: 'GET', path: `/oauth/v1/access-tokens/${encodeURIComponent(token)}`, label: 'token info (OAuth)', accept: quiet }),
  ];
  for (const attempt of attempts) {
    try {
      const res = await attempt();
      const parsed = scopesOf(res.body);
      if (res.status === 200 && parsed.success) return parsed.data.scopes;
    } catch (err) {
      // Introspection is a convenience: when it fails, the calls themselves reveal missing scopes.
      if (!(err instanceof CrmError) || err instanceof CrmAuthError) throw err;
    }
  }
  return undefined;
}

/**
 * Missing scopes as problem lines; an empty list when all are granted or when scopes cannot be read.
 * `extra`: scopes needed on top of the company ones (`PEOPLE_SCOPES` when the model has roles).
 */
export function missingScopeProblems(scopes: readonly string[] | undefined, extra: Readonly<Record<string, string>> = {}): string[] {
  if (scopes === undefined) return [];
  return Object.entries({ ...REQUIRED_SCOPES, ...extra })
    .filter(([s]) => !scopes.includes(s))
    .map(([s, why]) => `the token lacks scope ${s} (needed to ${why}): add it to the app and reinstall, or create a new token`);
}

function optionList(options: readonly WantedOption[], start: number) {
  return options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: start + i, hidden: false }));
}

/**
 * HubSpot requires options on an enumeration property at creation
 * (https://developers.hubspot.com/docs/api/crm/properties: "options" is required for enumerations),
 * so `icp_tags` of a model without tags gets this one option, hidden from users (`hidden: true`)
 * and never written: a record without tags gets `""`. The model's tags are added next to it later.
 */
export const NO_TAGS_PLACEHOLDER = { label: 'No ICP tags yet', value: 'icp-no-tags', displayOrder: 0, hidden: true } as const;

function creationOptions(key: OutputField['key'], wanted: readonly WantedOption[]) {
  if (key === 'tags' && wanted.length === 0) return [NO_TAGS_PLACEHOLDER];
  return optionList(wanted, 0);
}

export interface SetupContext {
  client: HubSpotHttpClient;
  paths: HubSpotPaths;
  accessToken: string;
  /** The company object type (`companies`). */
  objectType: string;
  /** Company output fields (fit, then committee). */
  outputs: readonly OutputField[];
  /** Contact output fields, set up only when the spec has `people`. */
  contactOutputs?: readonly OutputField[];
}

/** An option as setup wants it: internal value and the label users see. */
interface WantedOption {
  value: string;
  label: string;
}

/** Label of the role option every contact without a role gets. */
export const NO_ROLE_OPTION: WantedOption = { value: 'none', label: 'No role' };

const plain = (values: readonly string[]): WantedOption[] => values.map((v) => ({ value: v, label: v }));

/** The options an output property must hold, by key; `[]` for properties without options. */
function wantedOptions(key: OutputKey, spec: SetupSpec): WantedOption[] {
  switch (key) {
    case 'tier':
    case 'accountTier':
      return plain(spec.tiers);
    case 'tags':
      return plain(spec.tags);
    case 'buyingRole':
      return [...(spec.people?.roles ?? []).map((r) => ({ value: r.id, label: r.label })), NO_ROLE_OPTION];
    case 'priorityTier':
      return plain(spec.people?.priorityTiers ?? []);
    default:
      return [];
  }
}

export async function runSetup(ctx: SetupContext, spec: SetupSpec, dryRun: boolean): Promise<SetupReport> {
  const report: SetupReport = { changed: [], unchanged: [], problems: [] };
  const people = spec.people;

  const scopes = await readTokenScopes(ctx.client, ctx.accessToken);
  report.problems.push(...missingScopeProblems(scopes, people ? PEOPLE_SCOPES : {}));
  if (scopes === undefined) report.unchanged.push('token scopes could not be read (service key?): checked by the calls themselves');
  else if (report.problems.length === 0) report.unchanged.push('token has every scope icp-sync needs');

  // Without roles, setup is what it always was: the committee and contact properties are not touched.
  const companyFields = ctx.outputs.filter((f) => people?.committee === true || !COMMITTEE_OUTPUT_KEYS.includes(f.key));
  await setupObject(ctx, ctx.objectType, 'company', companyFields, spec, dryRun, report);
  if (people) await setupObject(ctx, 'contacts', 'contact', ctx.contactOutputs ?? [], spec, dryRun, report);
  return report;
}

/** The `icp_sync` group and the output properties of one object type. A missing scope is a problem line, not a crash. */
async function setupObject(
  ctx: SetupContext,
  objectType: string,
  noun: string,
  fields: readonly OutputField[],
  spec: SetupSpec,
  dryRun: boolean,
  report: SetupReport,
): Promise<void> {
  const would = dryRun ? 'would ' : '';
  const { client, paths } = ctx;
  // Company lines keep the wording they always had; contact lines say which object they are about.
  const on = noun === 'company' ? '' : ` on ${objectType}`;
  try {
    const group = await client.request({ method: 'GET', path: `${paths.groups(objectType)}/${OUTPUT_GROUP.name}`, accept: [404] });
    if (group.status === 404) {
      if (!dryRun) {
        await client.request({ method: 'POST', path: paths.groups(objectType), body: OUTPUT_GROUP, accept: [409] });
      }
      report.changed.push(`${would}create property group ${OUTPUT_GROUP.name} ("${OUTPUT_GROUP.label}")${on}`);
    } else report.unchanged.push(`property group ${OUTPUT_GROUP.name} exists${on}`);

    const list = await client.request({ method: 'GET', path: paths.properties(objectType), query: { archived: false } });
    const existing = new Map(parseVendor(propertyListSchema, list.body, 'properties list').results.map((p) => [p.name, p]));

    for (const field of fields) {
      if (field.name === BUILTIN_TIER_PROPERTY) {
        checkBuiltinTier(existing.get(field.name), spec, report);
        continue;
      }
      const def = OUTPUT_DEFS[field.key];
      const wanted = wantedOptions(field.key, spec);
      const prop = existing.get(field.name);
      if (!prop) {
        if (def.type === 'enumeration' && wanted.length === 0 && def.fieldType === 'select') {
          report.problems.push(`cannot create ${field.name}${on}: the model has no ${field.key} values`);
          continue;
        }
        if (!dryRun) {
          await client.request({
            method: 'POST',
            path: paths.properties(objectType),
            body: {
              name: field.name,
              label: def.label,
              type: def.type,
              fieldType: def.fieldType,
              groupName: OUTPUT_GROUP.name,
              description: noun === 'company' ? def.description : (CONTACT_DESCRIPTIONS[field.key] ?? def.description),
              ...(def.type === 'enumeration' ? { options: creationOptions(field.key, wanted) } : {}),
            },
            accept: [409],
          });
        }
        report.changed.push(`${would}create property ${field.name}${on} (${def.type}/${def.fieldType}${wanted.length ? `, ${wanted.length} options` : ''})`);
        continue;
      }
      if (prop.type !== def.type) {
        report.problems.push(
          `property ${field.name}${on} exists with type ${prop.type}, expected ${def.type}: rename or delete it in HubSpot, or map this value to another property name`,
        );
        continue;
      }
      if (def.type !== 'enumeration') {
        report.unchanged.push(`property ${field.name}${on} exists (${prop.type})`);
        continue;
      }
      const have = new Map(prop.options.map((o) => [o.value, o]));
      const seen = new Set<string>();
      const missing = wanted.filter((o) => !have.has(o.value) && !seen.has(o.value) && seen.add(o.value));
      // Role labels come from the model and may be renamed there; tier and tag labels are their values.
      const relabelled = wanted.filter((o) => have.has(o.value) && o.label !== o.value && have.get(o.value)?.label !== o.label);
      if (missing.length === 0 && relabelled.length === 0) {
        report.unchanged.push(`property ${field.name}${on} has every ${field.key} option (${wanted.length})`);
        continue;
      }
      if (!dryRun) {
        const labels = new Map(relabelled.map((o) => [o.value, o.label]));
        const kept = prop.options.map((o, i) => ({ label: labels.get(o.value) ?? o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false }));
        await client.request({
          method: 'PATCH',
          path: `${paths.properties(objectType)}/${field.name}`,
          body: { options: [...kept, ...optionList(missing, kept.length)] },
        });
      }
      if (missing.length > 0) {
        report.changed.push(`${would}add option${missing.length > 1 ? 's' : ''} ${missing.map((o) => o.value).join(', ')} to ${field.name}${on}`);
      }
      if (relabelled.length > 0) {
        report.changed.push(`${would}relabel option${relabelled.length > 1 ? 's' : ''} ${relabelled.map((o) => `${o.value} → "${o.label}"`).join(', ')} of ${field.name}${on}`);
      }
    }
  } catch (err) {
    if (err instanceof CrmAuthError) {
      report.problems.push(noun === 'company' ? err.message : `${objectType}: ${err.message}`);
      return;
    }
    throw err;
  }
}

/** Descriptions of the properties shared by companies and contacts, as a contact's record shows them. */
const CONTACT_DESCRIPTIONS: Partial<Record<OutputKey, string>> = {
  modelVersion: 'Version of the ICP model that scored the contact (icp-sync).',
  scoredAt: 'When icp-sync last scored the contact.',
};

function checkBuiltinTier(prop: Property | undefined, spec: SetupSpec, report: SetupReport): void {
  const map = spec.builtinTierMap ?? {};
  if (!prop) {
    report.problems.push(`${BUILTIN_TIER_PROPERTY} does not exist in this portal: unset HUBSPOT_TIER_MAP`);
    return;
  }
  if (prop.modificationMetadata?.readOnlyValue) {
    report.problems.push(`${BUILTIN_TIER_PROPERTY} is read-only in this portal: unset HUBSPOT_TIER_MAP`);
    return;
  }
  const values = new Set(prop.options.map((o) => o.value));
  const unknown = Object.values(map).filter((v) => !values.has(v));
  if (unknown.length > 0) report.problems.push(`${BUILTIN_TIER_PROPERTY} has no option ${unknown.join(', ')}: fix HUBSPOT_TIER_MAP`);
  else report.unchanged.push(`${BUILTIN_TIER_PROPERTY} accepts ${Object.entries(map).map(([k, v]) => `${k}→${v}`).join(', ')}`);
}
