/**
 * Redis keys of the model history, under the pipeline's hash-tagged prefix (one Cluster slot, so
 * that the publish script may touch them all).
 */
import type { CrmName } from '../errors.ts';
import { hashTagPrefix } from '../pipeline/keys.ts';

export interface ModelStoreKeys {
  /** Hash: revision → JSON entry (without its revision). */
  readonly entries: string;
  /** Hash: model version → newest revision holding it. */
  readonly versions: string;
  /** String: the highest revision (the active model). */
  readonly head: string;
  /** Pub/sub channel: the new head revision, sent after each publish. */
  readonly channel: string;
  /** String: the revision whose model-change work (CRM options, backfill) was done for a CRM. */
  syncedRevision(crm: CrmName): string;
}

export function modelStoreKeys(prefix: string): ModelStoreKeys {
  const p = hashTagPrefix(prefix);
  return {
    entries: `${p}:models:entries`,
    versions: `${p}:models:versions`,
    head: `${p}:models:head`,
    channel: `${p}:models:changed`,
    syncedRevision: (crm) => `${p}:models:synced-revision:${crm}`,
  };
}
