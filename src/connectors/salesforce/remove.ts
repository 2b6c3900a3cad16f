/**
 * `setup salesforce --remove`: deletes what setup created — the ICP list views, the ICP_Sync permission set
 * (unassigned first: Salesforce does not delete an assigned permission set) and the output fields — and
 * nothing else, through the Metadata API `deleteMetadata` (same type per call, 10 components at most,
 * https://developer.salesforce.com/docs/platform/api-metadata/references/crud-based-calls/meta-deletemetadata.html).
 * Everything is read first (`readMetadata`), so only what exists is deleted and a dry run writes nothing.
 *
 * Ownership: a list view is icp-sync's by its developer name (`ICP_Top_Tier`, `ICP_Top_Priority`,
 * `ICP_Incomplete_Committee`, see list-views.ts); a field by its name (an output field name, whatever the
 * current model) **and** the description setup gives it ("Written by icp-sync…"); the permission set by its
 * name and its description ("Lets the icp-sync…"). A field of yours with an output name keeps its own
 * description and is kept. What the DX project deploys besides (flows, outbound messages, the
 * `ICP_Sync_Failure__c` object, the Apex test) is not setup's: it is reported, not deleted.
 */
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { OutputField, SetupReport } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import { FAILURE_OBJECT } from './dx-flows.ts';
import { PERMISSION_SET_NAME } from './field-definitions.ts';
import { METADATA_BATCH } from './limits.ts';
import { LIST_VIEW_DEVELOPER_NAMES } from './list-views.ts';
import { soqlString } from './soql.ts';

type Rec = Record<string, unknown>;
/** The metadata types remove reads and deletes. */
type Kind = 'ListView' | 'PermissionSet' | 'CustomField' | 'CustomObject';
const asList = (v: unknown): Rec[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is Rec => typeof x === 'object' && x !== null);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const deleteResult = z.looseObject({ fullName: z.string().optional(), success: z.boolean(), errors: z.unknown().optional() });
const idRows = z.object({ records: z.array(z.looseObject({ Id: z.string() })) });

/** What setup writes in a field's description and a permission set's description. */
const OURS_FIELD = /^Written by icp-sync/;
const OURS_PERMISSION_SET = /^Lets the icp-sync/;

/** Every object setup may have created fields and views on, whatever `SALESFORCE_OBJECTS` says today. */
export const REMOVABLE_OBJECTS = ['Account', 'Lead', 'Contact'] as const;

export interface SalesforceRemoveInput {
  client: SalesforceClient;
  /** Object type → every output field icp-sync may have created on it (whatever the current model). */
  outputs: ReadonlyArray<readonly [objectType: string, fields: readonly OutputField[]]>;
  dryRun: boolean;
}

function chunks<T>(list: readonly T[], size = METADATA_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function errorText(errors: unknown): string {
  return asList(errors).map((e) => `${text(e.statusCode)}: ${text(e.message)}`).join('; ');
}

/** The components of `type` among `names` that exist, as `readMetadata` returns them. */
export async function readExisting(client: SalesforceClient, type: Kind, names: readonly string[]): Promise<Map<string, Rec>> {
  const found = new Map<string, Rec>();
  for (const group of chunks(names)) {
    const records = await client.run('metadata.read', (conn) => conn.metadata.read(type, [...group]));
    for (const r of asList(records)) if (text(r.fullName) !== '') found.set(text(r.fullName), r);
  }
  return found;
}

/** Deletes `items` of one type (10 per call), one report line each. */
async function deleteAll(client: SalesforceClient, type: Kind, items: ReadonlyArray<{ fullName: string; line: string }>, dryRun: boolean, report: SetupReport): Promise<void> {
  if (dryRun) {
    report.changed.push(...items.map((i) => i.line));
    return;
  }
  for (const group of chunks(items)) {
    const results = await client.run('metadata.delete', (conn) => conn.metadata.delete(type, group.map((g) => g.fullName)));
    const list = z.array(deleteResult).parse(Array.isArray(results) ? results : [results]);
    group.forEach((g, i) => {
      const r = list[i];
      if (r?.success) report.changed.push(g.line);
      else report.problems.push(`${type} ${g.fullName} could not be deleted: ${errorText(r?.errors) || 'no result'}`);
    });
  }
}

/** Every list view name icp-sync may have created. */
export function candidateListViews(): string[] {
  return REMOVABLE_OBJECTS.flatMap((o) => Object.values(LIST_VIEW_DEVELOPER_NAMES).map((d) => `${o}.${d}`));
}

export async function runSalesforceRemove(input: SalesforceRemoveInput): Promise<SetupReport> {
  const { client, dryRun } = input;
  const report: SetupReport = { changed: [], unchanged: [], problems: [] };
  const would = dryRun ? 'would ' : '';
  try {
    // 1. List views first: they show and filter on the fields.
    const views = await readExisting(client, 'ListView', candidateListViews());
    await deleteAll(client, 'ListView', [...views.values()].map((v) => ({ fullName: text(v.fullName), line: `${would}delete list view ${text(v.fullName)} ("${text(v.label)}")` })), dryRun, report);

    // 2. The permission set, once no user holds it.
    const ps = (await readExisting(client, 'PermissionSet', [PERMISSION_SET_NAME])).get(PERMISSION_SET_NAME);
    if (ps && !OURS_PERMISSION_SET.test(text(ps.description))) {
      report.unchanged.push(`permission set ${PERMISSION_SET_NAME} kept: its description does not say icp-sync created it`);
    } else if (ps) {
      const psRows = await client.rest('permissionSet.find', { method: 'GET', url: `/query?q=${encodeURIComponent(`SELECT Id FROM PermissionSet WHERE Name = ${soqlString(PERMISSION_SET_NAME)}`)}` }, idRows);
      const psId = psRows.records[0]?.Id;
      const assigned = psId
        ? (await client.rest('permissionSetAssignment.find', { method: 'GET', url: `/query?q=${encodeURIComponent(`SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlString(psId)}`)}` }, idRows)).records
        : [];
      let unassigned = true;
      for (const a of assigned) {
        if (!dryRun) {
          try {
            await client.rest('permissionSetAssignment.delete', { method: 'DELETE', url: `/sobjects/PermissionSetAssignment/${a.Id}` }, z.unknown());
          } catch (err) {
            if (!(err instanceof CrmError)) throw err;
            unassigned = false;
            report.problems.push(`could not remove the assignment ${a.Id} of permission set ${PERMISSION_SET_NAME}: ${err.message}`);
            continue;
          }
        }
        report.changed.push(`${would}remove permission set ${PERMISSION_SET_NAME} from its assignee (assignment ${a.Id})`);
      }
      if (unassigned) await deleteAll(client, 'PermissionSet', [{ fullName: PERMISSION_SET_NAME, line: `${would}delete permission set ${PERMISSION_SET_NAME}` }], dryRun, report);
    }

    // 3. The fields setup created (its description), whatever the current model needs.
    const names = input.outputs.flatMap(([objectType, fields]) => fields.map((f) => `${objectType}.${f.name}`));
    const fields = await readExisting(client, 'CustomField', [...new Set(names)]);
    const ours = [...fields.values()].filter((f) => OURS_FIELD.test(text(f.description)));
    for (const f of fields.values()) {
      if (!ours.includes(f)) report.unchanged.push(`field ${text(f.fullName)} kept: its description does not say icp-sync created it`);
    }
    await deleteAll(client, 'CustomField', ours.map((f) => ({ fullName: text(f.fullName), line: `${would}delete field ${text(f.fullName)} (${text(f.type)})` })), dryRun, report);

    // 4. What the DX project deploys besides is the admin's to remove with the Salesforce CLI.
    const failures = await readExisting(client, 'CustomObject', [FAILURE_OBJECT]);
    if (failures.size > 0) {
      report.unchanged.push(
        `${FAILURE_OBJECT}, the ICP_Sync flows, outbound messages and Apex test come from integrations/salesforce, not from setup: remove them with "sf project delete source --source-dir force-app" there`,
      );
    }
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    report.problems.push(err.message);
  }
  return report;
}

/**
 * For `setup --check`: list views and fields icp-sync created that the current model (or `views`) no longer
 * needs. Reported, never deleted (`--remove` deletes everything icp-sync created).
 */
export async function unneededByModel(
  client: SalesforceClient,
  plannedViews: readonly string[],
  neededFields: ReadonlyArray<readonly [objectType: string, all: readonly OutputField[], needed: (f: OutputField) => boolean]>,
): Promise<string[]> {
  const lines: string[] = [];
  const views = await readExisting(client, 'ListView', candidateListViews());
  for (const [name, v] of views) {
    if (!plannedViews.includes(name)) lines.push(`list view ${name} ("${text(v.label)}") was created by icp-sync and the current model no longer needs it (\`setup salesforce --remove\` deletes everything icp-sync created)`);
  }
  const unneeded = neededFields.flatMap(([objectType, all, needed]) => all.filter((f) => !needed(f)).map((f) => `${objectType}.${f.name}`));
  const fields = await readExisting(client, 'CustomField', [...new Set(unneeded)]);
  for (const [name, f] of fields) {
    if (OURS_FIELD.test(text(f.description))) lines.push(`field ${name} was created by icp-sync and the current model no longer needs it (records may still hold values; \`setup salesforce --remove\` deletes every icp-sync field)`);
  }
  return lines;
}
