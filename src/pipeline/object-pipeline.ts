/**
 * Everything the pipeline needs to process one CRM object type: its connector, its kind, mapping,
 * the output fields under their configured names, and the fields a read must request.
 */
import { COMMITTEE_OUTPUT_KEYS, PERSON_OUTPUT_KEYS, type CrmConnector, type OutputField, type RecordKind } from '../connectors/port.ts';
import type { CrmName } from '../errors.ts';
import { inputFields } from '../mappings/apply.ts';
import { PERSON_ATTRIBUTES } from '../mappings/defaults.ts';
import type { Mappings, ObjectMapping } from '../mappings/types.ts';

export interface ObjectPipeline {
  crm: CrmName;
  objectType: string;
  kind: RecordKind;
  connector: CrmConnector;
  mapping: ObjectMapping;
  /** Output fields, with names from `outputs:` in the mappings where set. */
  outputFields: readonly OutputField[];
  /** Mapped input fields, then output fields (their current values feed the diff). */
  readFields: readonly string[];
}

/** What the model asks of people: `roles` (person fields) and some `required` role (committee fields). */
export interface PeopleOptions {
  roles: boolean;
  committee: boolean;
}

const NO_PEOPLE: PeopleOptions = { roles: false, committee: false };

export function objectPipeline(connector: CrmConnector, mappings: Mappings, objectType: string, people: PeopleOptions = NO_PEOPLE): ObjectPipeline {
  const found = mappings[connector.crm][objectType];
  if (!found) throw new Error(`no field mapping for ${connector.crm} ${objectType}`);
  const kind = connector.objectKinds[objectType] ?? 'account';
  // A model without roles reads and writes exactly what it did before roles existed.
  const mapping: ObjectMapping = people.roles
    ? found
    : { ...found, attributes: Object.fromEntries(Object.entries(found.attributes).filter(([name]) => !PERSON_ATTRIBUTES.includes(name))) };
  const outputFields = connector
    .outputFields(objectType)
    .filter((f) => (people.roles || !PERSON_OUTPUT_KEYS.includes(f.key)) && (people.committee || !COMMITTEE_OUTPUT_KEYS.includes(f.key)))
    .map((f) => ({ ...f, name: mapping.outputs[f.key] ?? f.name }));
  const readFields = [...new Set([...inputFields(mapping), ...outputFields.map((f) => f.name)])];
  return { crm: connector.crm, objectType, kind, connector, mapping, outputFields, readFields };
}
