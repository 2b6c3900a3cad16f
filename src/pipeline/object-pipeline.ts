/**
 * Everything the pipeline needs to process one CRM object type: its connector, mapping, the output
 * fields under their configured names, and the fields a read must request.
 */
import type { CrmConnector, OutputField } from '../connectors/port.ts';
import type { CrmName } from '../errors.ts';
import { inputFields } from '../mappings/apply.ts';
import type { Mappings, ObjectMapping } from '../mappings/types.ts';

export interface ObjectPipeline {
  crm: CrmName;
  objectType: string;
  connector: CrmConnector;
  mapping: ObjectMapping;
  /** Output fields, with names from `outputs:` in the mappings where set. */
  outputFields: readonly OutputField[];
  /** Mapped input fields, then output fields (their current values feed the diff). */
  readFields: readonly string[];
}

export function objectPipeline(connector: CrmConnector, mappings: Mappings, objectType: string): ObjectPipeline {
  const mapping = mappings[connector.crm][objectType];
  if (!mapping) throw new Error(`no field mapping for ${connector.crm} ${objectType}`);
  const outputFields = connector
    .outputFields(objectType)
    .map((f) => ({ ...f, name: mapping.outputs[f.key] ?? f.name }));
  const readFields = [...new Set([...inputFields(mapping), ...outputFields.map((f) => f.name)])];
  return { crm: connector.crm, objectType, connector, mapping, outputFields, readFields };
}
