/**
 * `setup` through the Metadata API: creates or updates the output fields on each synced object, keeps the
 * tier and tag picklists in line with the model, grants the integration user read/edit on the fields with a
 * permission set (fields are invisible to the API without field-level security) and assigns it. Idempotent:
 * what already matches is left alone. `dryRun` reads only.
 */
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { OutputField, SetupReport, SetupSpec } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import {
  PERMISSION_SET_LABEL,
  PERMISSION_SET_NAME,
  fieldDefinition,
  fieldDifferences,
  inMetadataOrder,
  neededBySpec,
  peopleGrants,
  type CustomFieldDefinition,
  type FieldGrant,
  type ObjectGrant,
  valueText,
} from './field-definitions.ts';
import { METADATA_BATCH } from './limits.ts';
import { picklistCollisions } from './picklist-names.ts';
import { soqlString } from './soql.ts';

const saveResult = z.looseObject({
  fullName: z.string().optional(),
  success: z.boolean(),
  errors: z.unknown().optional(),
});

const idRows = z.object({ records: z.array(z.looseObject({ Id: z.string() })) });

type MetadataRecord = Record<string, unknown>;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function errorText(errors: unknown): string {
  const list = Array.isArray(errors) ? errors : errors === undefined ? [] : [errors];
  return list.map((e) => `${String((e as { statusCode?: unknown }).statusCode ?? '')}: ${String((e as { message?: unknown }).message ?? '')}`).join('; ');
}

const asList = (v: unknown): Array<Record<string, unknown>> =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
const isTrue = (v: unknown) => String(v) === 'true';

/** Whether the permission set already gives at least this field access. */
function fieldGranted(ps: MetadataRecord | undefined, want: FieldGrant): boolean {
  return asList(ps?.fieldPermissions).some(
    (p) => String(p.field) === want.field && (!want.readable || isTrue(p.readable)) && (!want.editable || isTrue(p.editable)),
  );
}

/** Whether the permission set already gives at least this object access. */
function objectGranted(ps: MetadataRecord | undefined, want: ObjectGrant): boolean {
  return asList(ps?.objectPermissions).some(
    (p) => String(p.object) === want.object && (!want.allowRead || isTrue(p.allowRead)) && (!want.allowEdit || isTrue(p.allowEdit)),
  );
}

export interface MetadataSetupInput {
  client: SalesforceClient;
  logger: Logger;
  objectTypes: readonly string[];
  /** The output fields of one object type; those the model does not need are left out here. */
  outputFields: (objectType: string) => readonly OutputField[];
  spec: SetupSpec;
  dryRun: boolean;
}


export async function runMetadataSetup(input: MetadataSetupInput): Promise<SetupReport> {
  const { client, spec, dryRun } = input;
  const report: SetupReport = { changed: [], unchanged: [], problems: [] };
  const verb = dryRun ? 'would be ' : '';

  // 0. Model values that would share one picklist API name: only the first is kept, so say which.
  const named = [
    ['tiers', spec.tiers],
    ['tags', spec.tags],
    ['priority tiers', spec.people?.priorityTiers ?? []],
  ] as const;
  for (const [what, values] of named) {
    for (const c of picklistCollisions(values)) {
      report.problems.push(`the model's ${what} ${c.values.map((v) => `"${v}"`).join(' and ')} share the Salesforce picklist API name ${c.apiName}: rename one (only "${c.values[0] ?? ''}" gets a value)`);
    }
  }

  // 1. Fields.
  const wanted: CustomFieldDefinition[] = [];
  for (const objectType of input.objectTypes) {
    for (const field of input.outputFields(objectType).filter((f) => neededBySpec(f, spec))) {
      wanted.push(fieldDefinition(objectType, field, spec));
    }
  }
  const existing = new Map<string, MetadataRecord>();
  for (const group of chunks(wanted, METADATA_BATCH)) {
    const records = await client.run('metadata.read', (conn) => conn.metadata.read('CustomField', group.map((f) => f.fullName)));
    for (const r of records as unknown as MetadataRecord[]) {
      if (typeof r?.fullName === 'string' && r.fullName !== '') existing.set(r.fullName, r);
    }
  }
  const toSave: Array<{ def: CustomFieldDefinition; line: string }> = [];
  for (const def of wanted) {
    const have = existing.get(def.fullName);
    if (!have) {
      const values = def.valueSet ? `: ${def.valueSet.valueSetDefinition.value.map(valueText).join(', ')}` : '';
      toSave.push({ def, line: `${def.fullName} ${verb}created (${def.type}${values})` });
      continue;
    }
    const { diffs, merged } = fieldDifferences(def, have);
    if (diffs.length === 0) report.unchanged.push(`${def.fullName} is up to date`);
    else toSave.push({ def: merged, line: `${def.fullName} ${verb}updated: ${diffs.join('; ')}` });
  }
  if (dryRun) {
    report.changed.push(...toSave.map((s) => s.line));
  } else {
    for (const group of chunks(toSave, METADATA_BATCH)) {
      const results = await client.run('metadata.upsert', (conn) => conn.metadata.upsert('CustomField', group.map((g) => inMetadataOrder(g.def)) as never[]));
      const list = z.array(saveResult).parse(Array.isArray(results) ? results : [results]);
      group.forEach((g, i) => {
        const r = list[i];
        if (r?.success) report.changed.push(g.line);
        else report.problems.push(`${g.def.fullName} could not be saved: ${errorText(r?.errors)}`);
      });
    }
  }

  // 2. Permission set granting read/edit on every field that exists (or is about to), and what people need.
  const grantable = wanted.filter((d) => dryRun || existing.has(d.fullName) || report.changed.some((l) => l.startsWith(`${d.fullName} `)));
  const people = peopleGrants(spec, input.objectTypes);
  const perms: FieldGrant[] = [...grantable.map((d) => ({ field: d.fullName, readable: true, editable: true })), ...people.fields];
  const psRaw = (await client.run('metadata.read', (conn) => conn.metadata.read('PermissionSet', [PERMISSION_SET_NAME]))) as unknown as MetadataRecord[];
  const ps = psRaw[0] && typeof psRaw[0].fullName === 'string' && psRaw[0].fullName !== '' ? psRaw[0] : undefined;
  const missingPerms = perms.filter((p) => !fieldGranted(ps, p));
  const missingObjects = people.objects.filter((o) => !objectGranted(ps, o));
  if (!ps || missingPerms.length > 0 || missingObjects.length > 0) {
    const what = [
      ...missingPerms.map((p) => `${p.editable ? 'read/edit' : 'read'} ${p.field}`),
      ...missingObjects.map((o) => `${o.allowEdit ? 'read/edit' : 'read'} ${o.object} records`),
    ];
    const line = `permission set ${PERMISSION_SET_NAME} ${verb}${ps ? 'updated' : 'created'}: ${what.join(', ')}`;
    if (dryRun) report.changed.push(line);
    else {
      const res = await client.run('metadata.upsert', (conn) =>
        conn.metadata.upsert(
          'PermissionSet',
          inMetadataOrder({
            fullName: PERMISSION_SET_NAME,
            label: PERMISSION_SET_LABEL,
            description: 'Lets the icp-sync integration user read and write the ICP fields.',
            fieldPermissions: perms,
            ...(people.objects.length > 0 ? { objectPermissions: people.objects } : {}),
          }) as never,
        ),
      );
      const r = saveResult.parse(Array.isArray(res) ? res[0] : res);
      if (r.success) report.changed.push(line);
      else report.problems.push(`permission set ${PERMISSION_SET_NAME} could not be saved: ${errorText(r.errors)}`);
    }
  } else {
    const objects = people.objects.length > 0 ? ` and access to ${people.objects.map((o) => o.object).join(', ')}` : '';
    report.unchanged.push(`permission set ${PERMISSION_SET_NAME} grants read/edit on all ${grantable.length} fields${people.fields.length > 0 ? `, read on ${people.fields.length} standard fields` : ''}${objects}`);
  }

  // 3. Assignment to the integration user.
  const me = await client.session.ensure();
  const psRows = await client.rest(
    'permissionSet.find',
    { method: 'GET', url: `/query?q=${encodeURIComponent(`SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET_NAME)}`)}` },
    idRows,
  );
  const psId = psRows.records[0]?.Id;
  if (!psId) {
    if (dryRun) report.changed.push(`permission set ${PERMISSION_SET_NAME} would be assigned to the integration user ${me.userId}`);
    else report.problems.push(`permission set ${PERMISSION_SET_NAME} was not found after saving it; assign it to user ${me.userId} by hand`);
    return report;
  }
  const assigned = await client.rest(
    'permissionSetAssignment.find',
    {
      method: 'GET',
      url: `/query?q=${encodeURIComponent(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(me.userId)} AND PermissionSetId = ${soqlString(psId)}`)}`,
    },
    idRows,
  );
  if (assigned.records.length > 0) {
    report.unchanged.push(`permission set ${PERMISSION_SET_NAME} is assigned to the integration user ${me.userId}`);
  } else if (dryRun) {
    report.changed.push(`permission set ${PERMISSION_SET_NAME} would be assigned to the integration user ${me.userId}`);
  } else {
    try {
      await client.rest(
        'permissionSetAssignment.create',
        { method: 'POST', url: '/sobjects/PermissionSetAssignment', body: { AssigneeId: me.userId, PermissionSetId: psId } },
        z.looseObject({ id: z.string() }),
      );
      report.changed.push(`permission set ${PERMISSION_SET_NAME} assigned to the integration user ${me.userId}`);
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      report.problems.push(`could not assign permission set ${PERMISSION_SET_NAME} to user ${me.userId}: ${err.message}`);
    }
  }
  input.logger.info({ crm: 'salesforce', changed: report.changed.length, problems: report.problems.length, dryRun }, 'salesforce setup done');
  return report;
}
