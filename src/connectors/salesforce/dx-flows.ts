/**
 * The automation part of the Salesforce DX project: per object, two record-triggered flows that send the
 * object's outbound message, each with a fault path; the `ICP_Sync_Failure__c` object the fault paths record
 * into; and the Apex test class a production deploy needs.
 *
 * Why each piece is there:
 * - Fault path: an after-save flow whose action fails without one makes the user's save fail ("An unhandled
 *   fault has occurred in this flow"). With the fault connector, the save goes through and the failure is
 *   kept as an `ICP_Sync_Failure__c` record (object, record id, flow, `$Flow.FaultMessage`), which an admin
 *   can list; the record is rescored by the next backfill. Delivery failures after queueing are not flow
 *   faults: Salesforce retries those for 24 hours (Setup > Outbound Messages).
 * - Apex test: in production, flows arrive inactive unless the org enables "Deploy processes and flows as
 *   active" (FlowSettings `enableFlowDeployAsActiveEnabled`, off by default in production), and then the
 *   deploy's Apex tests must launch the org's flow test coverage percentage of active autolaunched flows
 *   (75 % by default) or it is rolled back (Salesforce Help "Deploy Processes and Flows as Active"; Tooling
 *   API `FlowTestCoverage`). `ICP_Sync_Flows_Test` creates and then changes one record per object, which
 *   launches every flow of the project, and checks that no fault path ran. Deploy it with
 *   `--test-level RunSpecifiedTests --tests ICP_Sync_Flows_Test`.
 * - No `nameSegment`/`versionSegment` on the action call: both are deprecated from API 62.0 (Flow metadata,
 *   `FlowActionCall`); `actionName` and `actionType` name the outbound message.
 */
import { HEADER, NS, tag } from './dx-xml.ts';

/** The custom object the fault paths write into. */
export const FAILURE_OBJECT = 'ICP_Sync_Failure__c';
/** The Apex test class that launches every flow of the project. */
export const FLOW_TEST_CLASS = 'ICP_Sync_Flows_Test';

/** One scoring input per object that the Apex test changes to launch the `_Changed` flow, with a value. */
const TEST_CHANGES: Readonly<Record<string, { create: string; field: string; value: string }>> = {
  Account: { create: `Name = 'ICP Sync flow test'`, field: 'Website', value: `'https://icp-sync-flow-test.example.org'` },
  Lead: { create: `LastName = 'ICP Sync flow test', Company = 'ICP Sync flow test'`, field: 'Website', value: `'https://icp-sync-flow-test.example.org'` },
  Contact: { create: `LastName = 'ICP Sync flow test'`, field: 'Title', value: `'Head of Sales'` },
};

export interface FlowOptions {
  objectType: string;
  trigger: 'Create' | 'Update';
  /** Fields whose change launches the `Update` flow. */
  watched: readonly string[];
  apiVersion: string;
}

const inner = (name: string, value: string | number | boolean) => tag(name, value, '        ');

function faultRecordXml(flowName: string, objectType: string): string {
  const assign = (field: string, value: string) => `        <inputAssignments>\n${tag('field', field, '            ')}            <value>\n${value}            </value>\n        </inputAssignments>\n`;
  const ref = (r: string) => tag('elementReference', r, '                ');
  const str = (s: string) => tag('stringValue', s, '                ');
  return (
    `    <recordCreates>\n${inner('name', 'Record_ICP_Sync_Failure')}${inner('label', 'Record the ICP sync failure')}${inner('locationX', 440)}${inner('locationY', 431)}` +
    assign('Fault_Message__c', ref('$Flow.FaultMessage')) +
    assign('Flow__c', str(flowName)) +
    assign('Object_Type__c', str(objectType)) +
    assign('Record_Id__c', ref('$Record.Id')) +
    `${inner('object', FAILURE_OBJECT)}${inner('storeOutputAutomatically', true)}    </recordCreates>\n`
  );
}

/** `flows/ICP_Sync_<Object>_<Created|Changed>.flow-meta.xml`. */
export function flowXml(o: FlowOptions): string {
  const { objectType, trigger, watched } = o;
  const flowName = `ICP_Sync_${objectType}_${trigger === 'Create' ? 'Created' : 'Changed'}`;
  // ISCHANGED is only accepted in entry conditions of update-only flows, hence a separate flow for creation.
  const formula = watched.map((f) => `ISCHANGED({!$Record.${f}})`).join(', ');
  const label = trigger === 'Create' ? `ICP Sync: ${objectType} created` : `ICP Sync: ${objectType} scoring inputs changed`;
  return (
    `${HEADER}<Flow ${NS}>\n` +
    `    <actionCalls>\n${inner('name', 'Send_ICP_Outbound_Message')}${inner('label', 'Send ICP outbound message')}` +
    `${inner('locationX', 176)}${inner('locationY', 323)}${inner('actionName', `${objectType}.ICP_Sync_${objectType}`)}` +
    // The outbound message action takes no inputs: it sends the record that triggered the flow.
    `${inner('actionType', 'outboundMessage')}` +
    `        <faultConnector>\n${tag('targetReference', 'Record_ICP_Sync_Failure', '            ')}        </faultConnector>\n` +
    `${inner('flowTransactionModel', 'CurrentTransaction')}    </actionCalls>\n` +
    tag('apiVersion', o.apiVersion) +
    tag(
      'description',
      trigger === 'Create'
        ? `Sends the ICP_Sync_${objectType} outbound message when a ${objectType} is created. A failure is recorded as an ${FAILURE_OBJECT} record instead of failing the save.`
        : `Sends the ICP_Sync_${objectType} outbound message when a field icp-sync scores on changes. Never fires on the ICP fields themselves. A failure is recorded as an ${FAILURE_OBJECT} record instead of failing the save.`,
    ) +
    tag('environments', 'Default') +
    tag('interviewLabel', `${label} {!$Flow.CurrentDateTime}`) +
    tag('label', label) +
    `    <processMetadataValues>\n${inner('name', 'BuilderType')}        <value>\n${tag('stringValue', 'LightningFlowBuilder', '            ')}        </value>\n    </processMetadataValues>\n` +
    `    <processMetadataValues>\n${inner('name', 'CanvasMode')}        <value>\n${tag('stringValue', 'AUTO_LAYOUT_CANVAS', '            ')}        </value>\n    </processMetadataValues>\n` +
    tag('processType', 'AutoLaunchedFlow') +
    faultRecordXml(flowName, objectType) +
    `    <start>\n${inner('locationX', 50)}${inner('locationY', 0)}` +
    `        <connector>\n${tag('targetReference', 'Send_ICP_Outbound_Message', '            ')}        </connector>\n` +
    (watched.length > 0 ? inner('filterFormula', watched.length === 1 ? formula : `OR(${formula})`) : '') +
    `${inner('object', objectType)}${inner('recordTriggerType', trigger)}${inner('triggerType', 'RecordAfterSave')}    </start>\n` +
    tag('status', 'Active') +
    `</Flow>\n`
  );
}

function failureFieldXml(name: string, label: string, type: 'Text' | 'LongTextArea', length: number, description: string): string {
  return (
    `${HEADER}<CustomField ${NS}>\n` +
    tag('fullName', name) +
    tag('description', description) +
    tag('externalId', false) +
    tag('label', label) +
    tag('length', length) +
    (type === 'Text' ? tag('required', false) : '') +
    tag('trackHistory', false) +
    tag('type', type) +
    (type === 'Text' ? tag('unique', false) : tag('visibleLines', 5)) +
    `</CustomField>\n`
  );
}

/** The files of `ICP_Sync_Failure__c` (relative to `force-app/main/default`). */
export function failureObjectFiles(): Map<string, string> {
  const dir = `objects/${FAILURE_OBJECT}`;
  const files = new Map<string, string>();
  files.set(
    `${dir}/${FAILURE_OBJECT}.object-meta.xml`,
    `${HEADER}<CustomObject ${NS}>\n` +
      tag('deploymentStatus', 'Deployed') +
      tag('description', 'One record per ICP Sync flow whose outbound message could not be queued; the record was saved, and is rescored by the next backfill. Written by the ICP_Sync flows.') +
      tag('enableActivities', false) +
      tag('enableBulkApi', true) +
      tag('enableFeeds', false) +
      tag('enableHistory', false) +
      tag('enableReports', true) +
      tag('enableSearch', false) +
      tag('enableSharing', true) +
      tag('enableStreamingApi', true) +
      tag('label', 'ICP Sync Failure') +
      `    <nameField>\n${inner('displayFormat', 'ICPF-{000000}')}${inner('label', 'ICP Sync Failure Number')}${inner('trackHistory', false)}${inner('type', 'AutoNumber')}    </nameField>\n` +
      tag('pluralLabel', 'ICP Sync Failures') +
      tag('sharingModel', 'ReadWrite') +
      tag('visibility', 'Public') +
      `</CustomObject>\n`,
  );
  const fields: Array<[string, string, 'Text' | 'LongTextArea', number, string]> = [
    ['Fault_Message__c', 'Fault Message', 'LongTextArea', 32_768, 'The flow fault message ($Flow.FaultMessage).'],
    ['Flow__c', 'Flow', 'Text', 80, 'API name of the flow whose outbound message failed.'],
    ['Object_Type__c', 'Object Type', 'Text', 40, 'Account, Lead or Contact.'],
    ['Record_Id__c', 'Record Id', 'Text', 18, 'Id of the record that was not sent to icp-sync.'],
  ];
  for (const [name, label, type, length, description] of fields) files.set(`${dir}/fields/${name}.field-meta.xml`, failureFieldXml(name, label, type, length, description));
  return files;
}

/** `classes/ICP_Sync_Flows_Test.cls` and its meta file: launches both flows of each object. */
export function flowTestClassFiles(objectTypes: readonly string[], apiVersion: string): Map<string, string> {
  const methods = objectTypes
    .filter((t) => TEST_CHANGES[t] !== undefined)
    .map((t) => {
      const c = TEST_CHANGES[t] as { create: string; field: string; value: string };
      const v = t.toLowerCase();
      return (
        `    @IsTest\n    static void ${v}FlowsSendWithoutFault() {\n` +
        `        ${t} ${v} = new ${t}(${c.create});\n` +
        `        Test.startTest();\n` +
        `        insert ${v}; // ICP_Sync_${t}_Created\n` +
        `        ${v}.${c.field} = ${c.value};\n` +
        `        update ${v}; // ICP_Sync_${t}_Changed (${c.field} is a scoring input)\n` +
        `        Test.stopTest();\n` +
        `        Assert.areEqual(0, [SELECT COUNT() FROM ${FAILURE_OBJECT} WHERE Record_Id__c = :${v}.Id], 'the outbound message action took its fault path');\n` +
        `    }\n`
      );
    })
    .join('\n');
  const cls =
    `/**\n * Launches every ICP Sync flow (one record created, then one scoring input changed, per object), so that a\n` +
    ` * production deploy with "Deploy processes and flows as active" keeps them active:\n` +
    ` *   sf project deploy start --test-level RunSpecifiedTests --tests ${FLOW_TEST_CLASS}\n` +
    ` * Generated by integrations/salesforce/generate.ts.\n */\n` +
    `@IsTest\nprivate class ${FLOW_TEST_CLASS} {\n${methods}}\n`;
  const meta = `${HEADER}<ApexClass ${NS}>\n${tag('apiVersion', apiVersion)}${tag('status', 'Active')}</ApexClass>\n`;
  return new Map([
    [`classes/${FLOW_TEST_CLASS}.cls`, cls],
    [`classes/${FLOW_TEST_CLASS}.cls-meta.xml`, meta],
  ]);
}
