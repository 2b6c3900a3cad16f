/**
 * Which CRM option labels the reasons text of a batch can show, and the lookup it passes to
 * `reasonsText`. Scoring always matches the values the CRM holds (HubSpot `COMPUTER_SOFTWARE`, as
 * models list them); only the text shows the option's label ("Computer Software").
 *
 * A label belongs to a CRM value, so it is used only for an attribute that holds the CRM's own value:
 * read from a field (provenance `crm:<field>`) through transforms that keep the value (`text`,
 * `split`, or none). A value an enrichment provider gave, or one a transform made (`country` → ISO
 * code, `map`, `number`), is shown as it is.
 */
import type { IcpModel } from '../domain/types.ts';
import type { Provenance } from '../enrichment/port.ts';
import type { ObjectMapping } from '../mappings/types.ts';
import type { ObjectPipeline } from './object-pipeline.ts';

export type FieldLabels = ReadonlyMap<string, ReadonlyMap<string, string>>;

const KEEPS_VALUE = new Set(['text', 'split']);

/** The CRM fields whose option labels the model's criteria could show, for one mapping. */
export function labelFields(mapping: ObjectMapping, model: Pick<IcpModel, 'criteria'>): string[] {
  const out = new Set<string>();
  for (const c of model.criteria) {
    const a = mapping.attributes[c.attribute];
    if (!a || !a.transforms.every((t) => KEEPS_VALUE.has(t.kind))) continue;
    for (const f of a.fields) out.add(f);
  }
  return [...out];
}

/** The option labels of a batch's object type (empty when the connector has none or the model uses no option field). */
export async function batchLabels(op: ObjectPipeline, model: Pick<IcpModel, 'criteria'>): Promise<FieldLabels> {
  if (!op.connector.valueLabels) return new Map();
  const fields = labelFields(op.mapping, model);
  if (fields.length === 0) return new Map();
  return op.connector.valueLabels(op.objectType, fields);
}

/**
 * The `valueLabel` lookup of one record for `reasonsText`: criterion → the field its value came from →
 * that field's label for the value.
 */
export function recordValueLabel(
  labels: FieldLabels,
  mapping: ObjectMapping,
  model: Pick<IcpModel, 'criteria'>,
  provenance: Readonly<Record<string, Provenance>>,
): ((criterion: string, value: string) => string | undefined) | undefined {
  if (labels.size === 0) return undefined;
  return (criterion, value) => {
    const attribute = model.criteria.find((c) => c.id === criterion)?.attribute;
    if (attribute === undefined) return undefined;
    const source = provenance[attribute]?.source;
    if (source === undefined || !source.startsWith('crm:')) return undefined;
    const transforms = mapping.attributes[attribute]?.transforms ?? [];
    if (!transforms.every((t) => KEEPS_VALUE.has(t.kind))) return undefined;
    return labels.get(source.slice('crm:'.length))?.get(value);
  };
}
