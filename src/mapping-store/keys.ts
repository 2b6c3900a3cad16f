/** Redis keys of the mappings history, under the pipeline's hash-tagged prefix (one Cluster slot for the save script). */
import type { CrmName } from '../errors.ts';
import { hashTagPrefix } from '../pipeline/keys.ts';

export interface MappingStoreKeys {
  /** Hash: revision → JSON entry (without its revision). */
  readonly entries: string;
  /** Hash: text hash of a registered file → its revision. */
  readonly files: string;
  /** String: the highest revision (the active mappings). */
  readonly head: string;
  /** Pub/sub channel: the new head revision, sent after each save. */
  readonly channel: string;
  /** String: the revision whose mapping-change work (setup, backfill) was done for a CRM. */
  syncedRevision(crm: CrmName): string;
}

export function mappingStoreKeys(prefix: string): MappingStoreKeys {
  const p = hashTagPrefix(prefix);
  return {
    entries: `${p}:mappings:entries`,
    files: `${p}:mappings:files`,
    head: `${p}:mappings:head`,
    channel: `${p}:mappings:changed`,
    syncedRevision: (crm) => `${p}:mappings:synced-revision:${crm}`,
  };
}
