/**
 * Merges provider answers into a CRM record. Pure. Among providers, the first (in the configured
 * order) to supply a value wins; a present CRM value wins over every provider unless the
 * attribute is in `preferEnriched` (the enricher's set or the record's own list). Missing values
 * (PRODUCT.md §2) never win anything.
 */
import { isMissing } from '../domain/normalize.ts';
import type { EnrichedAttributes, EnrichInput, Provenance } from './port.ts';

export function mergeEnrichment(
  input: EnrichInput,
  answers: readonly (EnrichedAttributes | null)[],
  preferEnriched: ReadonlySet<string>,
): EnrichedAttributes {
  const attributes: Record<string, unknown> = { ...input.attributes };
  const provenance: Record<string, Provenance> = { ...input.provenance };
  const supplied = new Set<string>();
  const providerWins = (name: string) => preferEnriched.has(name) || (input.preferEnriched?.includes(name) ?? false);
  for (const answer of answers) {
    if (answer === null) continue;
    for (const [name, value] of Object.entries(answer.attributes)) {
      if (supplied.has(name) || isMissing(value)) continue;
      supplied.add(name);
      if (!isMissing(input.attributes[name]) && !providerWins(name)) continue;
      attributes[name] = value;
      const prov = answer.provenance[name];
      if (prov) provenance[name] = prov;
      else delete provenance[name];
    }
  }
  return { attributes, provenance };
}
