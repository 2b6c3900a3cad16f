/**
 * A full pass through the connector as the pipeline makes it: list everything, score with the real
 * model and mappings, write only the records whose values changed. Shared by tests and measurements.
 */
import { COMMITTEE_OUTPUT_KEYS, type CrmConnector, type FieldValue, type OutputValues, type RecordChange } from '../../../src/connectors/port.ts';
import { reasonsText } from '../../../src/domain/reasons-text.ts';
import type { Scorer } from '../../../src/domain/scorer.ts';
import { inputFields, mapRecord } from '../../../src/mappings/apply.ts';
import { DEFAULT_MAPPINGS } from '../../../src/mappings/defaults.ts';
import { diffFields } from '../../../src/pipeline/diff.ts';

export interface PassResult {
  listed: number;
  changed: number;
  written: number;
  failed: number;
}

export async function fullPass(connector: CrmConnector, scorer: Scorer): Promise<PassResult> {
  const mapping = DEFAULT_MAPPINGS.hubspot['companies']!;
  // A model without roles: the committee fields are not written.
  const outputs = connector.outputFields('companies').filter((o) => !COMMITTEE_OUTPUT_KEYS.includes(o.key));
  const fields = [...inputFields(mapping), ...outputs.map((o) => o.name)];
  const result: PassResult = { listed: 0, changed: 0, written: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const page = await connector.listAll('companies', fields, cursor);
    const changes: RecordChange[] = [];
    for (const record of page.records) {
      const score = scorer.score(mapRecord(mapping, record).attributes);
      const values: OutputValues = {
        score: score.score,
        tier: score.tier,
        tags: score.tags,
        reasons: reasonsText(score, { maxLength: 1000 }),
        completeness: score.completeness,
        modelVersion: scorer.model.version,
        scoredAt: new Date().toISOString(),
      };
      const encoded: Record<string, FieldValue> = {};
      for (const o of outputs) encoded[o.name] = connector.encode(o, values);
      const diff = diffFields(outputs, encoded, record.fields);
      if (diff.length > 0) changes.push({ id: record.id, fields: Object.fromEntries(diff.map((d) => [d.field, d.next])) });
    }
    result.listed += page.records.length;
    result.changed += changes.length;
    const out = await connector.writeChanges('companies', changes);
    result.written += out.written.length;
    result.failed += out.failed.length;
    cursor = page.next;
  } while (cursor !== undefined);
  return result;
}
