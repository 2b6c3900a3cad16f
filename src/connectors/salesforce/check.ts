/**
 * `icp-sync setup salesforce --check`: authenticates, then checks the API version, API access, the output
 * fields' visibility and editability (field-level security), Metadata API rights and the outbound message
 * settings, and says what is wrong in words an admin can act on. When the model has roles it also checks the
 * people side: the Contact fields, Contact `Title` and `AccountId`, and that contact roles can be read.
 */
import type { Env } from '../../config/env.ts';
import type { CrmError } from '../../errors.ts';
import { ConfigError, CrmAuthError } from '../../errors.ts';
import type { OutputField } from '../port.ts';
import type { AuthFlow } from './auth.ts';
import type { SalesforceClient } from './client.ts';
import { PERMISSION_SET_NAME } from './field-definitions.ts';
import { toCrmError } from './map-error.ts';
import { isSafePicklistApiName, picklistApiName } from './picklist-names.ts';
import { sameSalesforceId } from './outbound-message.ts';
import { z } from 'zod';

export interface CheckLine {
  ok: boolean;
  text: string;
}

const describeSchema = z.object({
  fields: z.array(
    z.looseObject({
      name: z.string(),
      updateable: z.boolean().optional(),
      picklistValues: z.array(z.looseObject({ value: z.string(), active: z.boolean().optional() })).nullish(),
    }),
  ),
});

/**
 * Picklist values of the ICP fields whose API name is unsafe (`secteur-tech`, written before icp-sync used
 * safe API names): not migrated yet when the safe value (`secteur_tech`) is missing or the old one is still
 * active (setup adds the new value and deactivates the old one; records are rewritten as they are rescored).
 */
export function legacyPicklistLines(objectType: string, fields: readonly OutputField[], described: ReadonlyArray<z.infer<typeof describeSchema>['fields'][number]>): CheckLine[] {
  const lines: CheckLine[] = [];
  for (const f of fields.filter((x) => x.kind === 'enum' || x.kind === 'multi')) {
    const values = described.find((d) => d.name === f.name)?.picklistValues ?? [];
    const legacy = values.filter((v) => !isSafePicklistApiName(v.value));
    if (legacy.length === 0) continue;
    const names = new Set(values.map((v) => v.value));
    const pending = legacy.filter((v) => !names.has(picklistApiName(v.value)) || v.active !== false);
    const list = (vs: typeof legacy) => vs.map((v) => `${v.value} → ${picklistApiName(v.value)}`).join(', ');
    lines.push(
      pending.length > 0
        ? { ok: false, text: `${objectType}.${f.name}: picklist values with hyphens or other unsafe characters in their API name (${list(pending)}): run "icp-sync setup salesforce" to add the safe values and deactivate the old ones; icp-sync writes the safe ones, and records are rewritten as they are rescored (run a backfill to do it at once)` }
        : { ok: true, text: `${objectType}.${f.name}: old values ${legacy.map((v) => v.value).join(', ')} are inactive, replaced by safe API names; records still holding them are rewritten when rescored` },
    );
  }
  return lines;
}
const versionsSchema = z.array(z.looseObject({ version: z.string() }));

/** What a failed authentication means, for an admin. */
export function explainAuthFailure(err: CrmError, env: Env, flow: AuthFlow): string {
  const code = err.vendorCode ?? '';
  const text = err.message;
  const user = env.SALESFORCE_USERNAME ?? 'the integration user';
  if (/not supported on this domain/i.test(text)) {
    return 'This flow must use the org\'s own domain: set SALESFORCE_LOGIN_URL to https://<your-domain>.my.salesforce.com (Setup > My Domain).';
  }
  if (code === 'invalid_client_id') {
    return 'Salesforce does not know this client id. Put the Consumer Key of the connected app (or external client app) in SALESFORCE_CLIENT_ID, and check that SALESFORCE_LOGIN_URL points to the org where the app lives.';
  }
  if (code === 'invalid_client' || code === 'invalid_client_credentials') {
    return 'The client secret does not match the client id. Copy the Consumer Secret of the app again into SALESFORCE_CLIENT_SECRET.';
  }
  if (code === 'inactive_user') return `The user ${user} is inactive: reactivate it or use another integration user.`;
  if (code === 'invalid_grant') {
    if (/approved|pre-?authori/i.test(text)) {
      return `The user ${user} is not pre-authorised for the app. In Setup > App Manager > the app > Manage > Edit Policies, set Permitted Users to "Admin approved users are pre-authorized", then add the user's profile or a permission set to the app.`;
    }
    if (/client credentials user|run.?as/i.test(text)) {
      return 'The app has no run-as user for the client credentials flow. In the app\'s policies, enable "Client Credentials Flow" and set "Run As" to the integration user.';
    }
    if (/audience/i.test(text)) {
      return 'The JWT audience was refused. Use https://login.salesforce.com (production) or https://test.salesforce.com (sandbox) as SALESFORCE_LOGIN_URL, or your My Domain URL.';
    }
    if (/expired/i.test(text)) return 'The JWT was already expired when it arrived: check this machine\'s clock.';
    if (flow === 'client_credentials') {
      return `Salesforce refused the client credentials grant (${text.replace(/^.*invalid_grant: /, '')}). Check that the app enables the Client Credentials Flow with a Run As user, and that SALESFORCE_LOGIN_URL is the org's My Domain URL.`;
    }
    return `The JWT was refused (${text.replace(/^.*invalid_grant: /, '')}). Check that SALESFORCE_PRIVATE_KEY_FILE matches the certificate uploaded to the app ("Use digital signatures"), and that SALESFORCE_USERNAME is the integration user's exact username.`;
  }
  if (err instanceof CrmAuthError) return `Salesforce refused the credentials: ${text}`;
  return `Cannot reach Salesforce at ${env.SALESFORCE_LOGIN_URL ?? ''}: ${text}. Check SALESFORCE_LOGIN_URL and the network.`;
}

/** The people side of the check, when the model has roles. */
export interface PeopleCheck {
  /** Output fields each object needs with this model (person and committee fields included). */
  fields(objectType: string): readonly OutputField[];
}

/** Standard fields reading people needs, by object. */
const PEOPLE_READS: Readonly<Record<string, readonly string[]>> = { Contact: ['Title', 'AccountId'], Lead: ['Title'] };

export async function runSalesforceCheck(
  client: SalesforceClient,
  env: Env,
  objectTypes: readonly string[],
  fitFields: readonly OutputField[],
  people?: PeopleCheck,
): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  let me;
  try {
    me = await client.session.ensure();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => ({ ok: false, text: p }));
    return [{ ok: false, text: explainAuthFailure(toCrmError(err, { operation: 'authenticate' }), env, client.session.flow) }];
  }
  lines.push({ ok: true, text: `authenticated (${client.session.flow.replace('_', ' ')} flow) as user ${me.userId} in org ${me.orgId}` });

  try {
    const versions = await client.rest('versions', { method: 'GET', url: '/services/data/' }, versionsSchema);
    const want = env.SALESFORCE_API_VERSION ?? '65.0';
    const newest = versions.map((v) => v.version).sort((a, b) => Number(b) - Number(a))[0];
    lines.push(
      versions.some((v) => v.version === want)
        ? { ok: true, text: `API version ${want} is available (newest: ${newest ?? '?'})` }
        : { ok: false, text: `SALESFORCE_API_VERSION=${want} is not available in this org; the newest is ${newest ?? '?'}` },
    );
  } catch (err) {
    lines.push({ ok: false, text: `could not list API versions: ${(err as Error).message}` });
  }

  for (const objectType of people ? [...objectTypes, 'Contact'] : objectTypes) {
    const fields = people ? people.fields(objectType) : fitFields;
    try {
      const d = await client.rest(`describe ${objectType}`, { method: 'GET', url: `/sobjects/${objectType}/describe` }, describeSchema);
      const byName = new Map(d.fields.map((f) => [f.name, f]));
      const unreadable = people ? (PEOPLE_READS[objectType] ?? []).filter((f) => !byName.has(f)) : [];
      if (unreadable.length > 0) {
        lines.push({ ok: false, text: `${objectType}: ${unreadable.join(', ')} not visible to the integration user: buying roles need them (run "icp-sync setup salesforce" with the model, or grant read access)` });
      }
      const missing = fields.filter((f) => !byName.has(f.name)).map((f) => f.name);
      const readOnly = fields.filter((f) => byName.get(f.name)?.updateable === false).map((f) => f.name);
      if (missing.length > 0) {
        lines.push({ ok: false, text: `${objectType}: ${missing.join(', ')} not visible to the integration user: run "icp-sync setup salesforce" (it creates the fields and assigns the ${PERMISSION_SET_NAME} permission set)` });
      } else if (readOnly.length > 0) {
        lines.push({ ok: false, text: `${objectType}: ${readOnly.join(', ')} are read-only for the integration user: give it Edit access through the ${PERMISSION_SET_NAME} permission set` });
      } else {
        lines.push({ ok: true, text: `${objectType}: all ${fields.length} ICP fields are visible and editable` });
      }
      lines.push(...legacyPicklistLines(objectType, fields, d.fields));
    } catch (err) {
      lines.push({
        ok: false,
        text:
          err instanceof CrmAuthError
            ? `${objectType}: the integration user cannot use the API on ${objectType} (${err.vendorCode ?? 'refused'}): give it the "API Enabled" permission and Read/Edit on ${objectType}`
            : `${objectType}: ${(err as Error).message}`,
      });
    }
  }

  if (people) {
    try {
      await client.rest(
        'contactRoles.check',
        { method: 'GET', url: `/query?q=${encodeURIComponent('SELECT Id, ContactId, Role FROM OpportunityContactRole LIMIT 1')}` },
        z.looseObject({ records: z.array(z.unknown()) }),
      );
      lines.push({ ok: true, text: 'contact roles (OpportunityContactRole) are readable: explicit buying roles come from them' });
    } catch (err) {
      lines.push({
        ok: false,
        text: `contact roles (OpportunityContactRole) cannot be read (${(err as CrmError).vendorCode ?? (err as Error).message}): give the integration user Read on Opportunities; until then roles come from job titles only`,
      });
    }
  }

  try {
    await client.run('metadata.read', (conn) => conn.metadata.read('PermissionSet', [PERMISSION_SET_NAME]));
    lines.push({ ok: true, text: 'the Metadata API is usable (setup can create and update fields)' });
  } catch (err) {
    lines.push({
      ok: false,
      text:
        err instanceof CrmAuthError
          ? 'the integration user cannot use the Metadata API: give it "Modify Metadata Through Metadata API Functions" (or "Customize Application") so setup can create the fields, or deploy integrations/salesforce with "sf project deploy start"'
          : `the Metadata API answered: ${(err as Error).message}`,
    });
  }

  if (!env.SALESFORCE_ORG_ID) lines.push({ ok: false, text: `SALESFORCE_ORG_ID is unset: set it to ${me.orgId} so outbound messages are accepted` });
  else if (!sameSalesforceId(env.SALESFORCE_ORG_ID.padEnd(15, '?'), me.orgId)) lines.push({ ok: false, text: `SALESFORCE_ORG_ID=${env.SALESFORCE_ORG_ID} is not this org (${me.orgId})` });
  else lines.push({ ok: true, text: 'SALESFORCE_ORG_ID matches this org' });
  if (!env.SALESFORCE_WEBHOOK_TOKEN) lines.push({ ok: false, text: 'SALESFORCE_WEBHOOK_TOKEN is unset: outbound messages will be refused (401)' });
  if (!env.SALESFORCE_INTEGRATION_USER_ID) lines.push({ ok: false, text: `SALESFORCE_INTEGRATION_USER_ID is unset: set it to ${me.userId} so icp-sync ignores its own changes` });
  else if (!sameSalesforceId(env.SALESFORCE_INTEGRATION_USER_ID.padEnd(15, '?'), me.userId)) {
    lines.push({ ok: false, text: `SALESFORCE_INTEGRATION_USER_ID=${env.SALESFORCE_INTEGRATION_USER_ID} is not the authenticated user (${me.userId})` });
  }
  const usage = await client.usage();
  if (usage) lines.push({ ok: true, text: `API usage: ${usage.used} of ${usage.limit} calls in the last 24 hours` });
  return lines;
}
