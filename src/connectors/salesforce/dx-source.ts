/**
 * Renders the Salesforce DX source project shipped in `integrations/salesforce/` from the same definitions
 * `icp-sync setup salesforce` uses: the custom fields, the ICP_Sync permission set, and per object an
 * outbound message plus two record-triggered flows that send it (on create; on update only when a mapped
 * input field changed, never on the ICP fields themselves). When the model has roles, Contacts get the same
 * (their flows watch Title and AccountId), Leads also watch Title, and the permission set grants what reading
 * people needs. Deploy with `sf project deploy start`.
 */
import type { OutputField, SetupSpec } from '../port.ts';
import {
  PERMISSION_SET_LABEL,
  PERMISSION_SET_NAME,
  fieldDefinition,
  neededBySpec,
  peopleGrants,
  type CustomFieldDefinition,
  type FieldGrant,
  type ObjectGrant,
} from './field-definitions.ts';
import { failureObjectFiles, flowTestClassFiles, flowXml } from './dx-flows.ts';
import { HEADER, NS, tag } from './dx-xml.ts';
import { listViewXml, type ListViewDefinition } from './list-views.ts';

/**
 * Input fields whose change triggers a rescore (the default mappings of PRODUCT.md §3). Country and state
 * codes are left out: they exist only with State and Country picklists, and change together with the names.
 */
export const TRIGGER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'BillingCountry', 'BillingState', 'BillingCity', 'YearStarted'],
  Lead: ['Company', 'Website', 'Industry', 'NumberOfEmployees', 'AnnualRevenue', 'Country', 'State', 'City'],
  Contact: ['Title', 'AccountId'],
};

/** Input fields of people (PRODUCT.md §2): watched too when the model has roles. */
export const PERSON_TRIGGER_FIELDS: Readonly<Record<string, readonly string[]>> = { Lead: ['Title'] };

/**
 * The people part of the shipped project when the model it is rendered from has no roles: the roles of
 * PRODUCT.md §2's example (two of them required) and the default priority tiers, then the excluded tier.
 * A model with roles renders its own.
 */
export function examplePeopleSpec(excludedTier: string): NonNullable<SetupSpec['people']> {
  return {
    roles: [
      { id: 'decision_maker', label: 'Décideur' },
      { id: 'buyer', label: 'Acheteur' },
      { id: 'user', label: 'Utilisateur' },
      { id: 'influencer', label: 'Influenceur' },
    ],
    priorityTiers: ['P1', 'P2', 'P3', 'P4', excludedTier],
    committee: true,
  };
}

export interface DxOptions {
  /** Accounts and Leads; Contact is added when `spec.people` is set. */
  objectTypes: readonly string[];
  /** The output fields of one object (those the model does not need are left out). */
  outputFields: (objectType: string) => readonly OutputField[];
  spec: SetupSpec;
  apiVersion: string;
  /** Outbound message endpoint, including `?token=`. */
  endpointUrl: string;
  /** Username the outbound messages are sent as (the integration user). */
  integrationUsername: string;
  /** The ICP list views (`plannedListViews`); none when unset. */
  listViews?: readonly ListViewDefinition[];
}


function fieldXml(def: CustomFieldDefinition): string {
  const name = def.fullName.split('.')[1] ?? def.fullName;
  let body = tag('fullName', name) + tag('description', def.description) + tag('externalId', false);
  if (def.inlineHelpText) body += tag('inlineHelpText', def.inlineHelpText);
  body += tag('label', def.label);
  if (def.length !== undefined) body += tag('length', def.length);
  if (def.precision !== undefined) body += tag('precision', def.precision);
  if (def.type !== 'LongTextArea' && def.type !== 'MultiselectPicklist') body += tag('required', false);
  if (def.scale !== undefined) body += tag('scale', def.scale);
  body += tag('trackHistory', false);
  body += tag('type', def.type);
  if (def.type === 'Number' || def.type === 'Text') body += tag('unique', false);
  if (def.valueSet) {
    const values = def.valueSet.valueSetDefinition.value
      .map(
        (v) =>
          `            <value>\n${tag('fullName', v.fullName, '                ')}${tag('default', v.default, '                ')}` +
          `${v.isActive === false ? tag('isActive', false, '                ') : ''}${tag('label', v.label, '                ')}            </value>\n`,
      )
      .join('');
    body += `    <valueSet>\n${tag('restricted', true, '        ')}        <valueSetDefinition>\n${tag('sorted', false, '            ')}${values}        </valueSetDefinition>\n    </valueSet>\n`;
  }
  if (def.visibleLines !== undefined) body += tag('visibleLines', def.visibleLines);
  return `${HEADER}<CustomField ${NS}>\n${body}</CustomField>\n`;
}

function permissionSetXml(defs: readonly CustomFieldDefinition[], people: { fields: FieldGrant[]; objects: ObjectGrant[] }): string {
  const grants: FieldGrant[] = [...defs.map((d) => ({ field: d.fullName, readable: true, editable: true })), ...people.fields];
  const perms = grants
    .sort((a, b) => a.field.localeCompare(b.field))
    .map((g) => `    <fieldPermissions>\n${tag('editable', g.editable, '        ')}${tag('field', g.field, '        ')}${tag('readable', g.readable, '        ')}    </fieldPermissions>\n`)
    .join('');
  const objects = [...people.objects]
    .sort((a, b) => a.object.localeCompare(b.object))
    .map(
      (o) =>
        `    <objectPermissions>\n${tag('allowCreate', o.allowCreate, '        ')}${tag('allowDelete', o.allowDelete, '        ')}${tag('allowEdit', o.allowEdit, '        ')}` +
        `${tag('allowRead', o.allowRead, '        ')}${tag('modifyAllRecords', o.modifyAllRecords, '        ')}${tag('object', o.object, '        ')}${tag('viewAllRecords', o.viewAllRecords, '        ')}    </objectPermissions>\n`,
    )
    .join('');
  return (
    `${HEADER}<PermissionSet ${NS}>\n` +
    tag('description', 'Lets the icp-sync integration user read and write the ICP fields. Assign it to that user.') +
    perms +
    tag('hasActivationRequired', false) +
    tag('label', PERMISSION_SET_LABEL) +
    objects +
    `</PermissionSet>\n`
  );
}

function workflowXml(objectType: string, o: DxOptions): string {
  const fields = ['Id', 'LastModifiedById', 'SystemModstamp'].map((f) => tag('fields', f, '        ')).join('');
  return (
    `${HEADER}<Workflow ${NS}>\n    <outboundMessages>\n` +
    tag('fullName', `ICP_Sync_${objectType}`, '        ') +
    tag('apiVersion', o.apiVersion, '        ') +
    tag('description', `Tells icp-sync that this ${objectType} needs rescoring. Sent by the ICP_Sync_${objectType} flows.`, '        ') +
    tag('endpointUrl', o.endpointUrl, '        ') +
    fields +
    tag('includeSessionId', false, '        ') +
    tag('integrationUser', o.integrationUsername, '        ') +
    tag('name', `ICP Sync ${objectType}`, '        ') +
    tag('protected', false, '        ') +
    tag('useDeadLetterQueue', false, '        ') +
    `    </outboundMessages>\n</Workflow>\n`
  );
}

/** Path (relative to the project root) → file content. */
export function renderDxProject(o: DxOptions): Map<string, string> {
  const files = new Map<string, string>();
  const root = 'force-app/main/default';
  const defs: CustomFieldDefinition[] = [];
  const objectTypes = o.spec.people && !o.objectTypes.includes('Contact') ? [...o.objectTypes, 'Contact'] : o.objectTypes;
  for (const objectType of objectTypes) {
    for (const f of o.outputFields(objectType).filter((x) => neededBySpec(x, o.spec))) {
      const def = fieldDefinition(objectType, f, o.spec);
      defs.push(def);
      files.set(`${root}/objects/${objectType}/fields/${f.name}.field-meta.xml`, fieldXml(def));
    }
    files.set(`${root}/workflows/${objectType}.workflow-meta.xml`, workflowXml(objectType, o));
    const watched = [...(TRIGGER_FIELDS[objectType] ?? []), ...(o.spec.people ? (PERSON_TRIGGER_FIELDS[objectType] ?? []) : [])];
    files.set(`${root}/flows/ICP_Sync_${objectType}_Created.flow-meta.xml`, flowXml({ objectType, trigger: 'Create', watched: [], apiVersion: o.apiVersion }));
    files.set(`${root}/flows/ICP_Sync_${objectType}_Changed.flow-meta.xml`, flowXml({ objectType, trigger: 'Update', watched, apiVersion: o.apiVersion }));
  }
  for (const [rel, text] of [...failureObjectFiles(), ...flowTestClassFiles(objectTypes, o.apiVersion)]) files.set(`${root}/${rel}`, text);
  for (const v of o.listViews ?? []) {
    files.set(`${root}/objects/${v.objectType}/listViews/${v.fullName.split('.')[1] ?? v.fullName}.listView-meta.xml`, listViewXml(v));
  }
  files.set(`${root}/permissionsets/${PERMISSION_SET_NAME}.permissionset-meta.xml`, permissionSetXml(defs, peopleGrants(o.spec, objectTypes)));
  files.set(
    'sfdx-project.json',
    `${JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'icp-sync', namespace: '', sourceApiVersion: o.apiVersion }, null, 2)}\n`,
  );
  return files;
}
