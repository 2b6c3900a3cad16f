/**
 * The versioned history of field mappings (issue 12: Mappings page), beside the model history:
 * every process of a deployment shares it in Redis and reads attributes through the newest entry
 * (see `docs/operations.md`, "Mapping versions"). The mappings file still works: a text not seen
 * before is registered at start and becomes the active mappings.
 */
import type { Mappings } from '../mappings/types.ts';

/** Where an entry came from: the console, a mappings file deployed from Git, a rollback. */
export type MappingSource = 'console' | 'file' | 'rollback';

export interface MappingSummary {
  /** 1, 2, 3… never reused. The highest is the active mappings. */
  revision: number;
  author: string;
  /** Free text; empty when none was given. */
  note: string;
  /** ISO 8601 time of the save. */
  savedAt: string;
  source: MappingSource;
  /** Rollbacks: the revision whose text was restored. */
  rollbackOf?: number;
  /** Files: the path the text was read from. */
  path?: string;
  /** SHA-256 of the text (hex, first 16), to tell a file already registered. */
  hash: string;
  /** What changed from the previous revision, one readable line each (empty for the first). */
  changes: string[];
}

export interface MappingEntry extends MappingSummary {
  /** The exact text saved, as validated. */
  yaml: string;
}

export type MappingValidateResult = { ok: true; mappings: Mappings } | { ok: false; problems: string[] };

export interface MappingDiff {
  from: MappingSummary;
  to: MappingSummary;
  /** Readable changes (`~ hubspot.companies.country: fields country → hs_country`). */
  changes: string[];
  /** Line diff of the two texts. */
  lines: Array<{ op: ' ' | '-' | '+'; text: string }>;
}

export interface MappingStore {
  /** The checks and messages of a start (`mappings.yaml: hubspot.companies.attributes.x: …`). Never throws. */
  validate(yaml: string): MappingValidateResult;
  /**
   * Saves an edit; it becomes the mappings of every process within seconds.
   * @throws ConfigError (`problems`: the `validate` lines) when the text is invalid.
   * @throws MappingsUnchangedError when it says the same as the active mappings.
   */
  save(input: { yaml: string; author: string; note?: string }): Promise<MappingEntry>;
  /** Makes an earlier revision active again (a new entry, source `rollback`). @throws MappingRevisionNotFoundError */
  rollback(revision: number, by: { author: string; note?: string }): Promise<MappingEntry>;
  /**
   * Records the mappings file read at start when its text was never registered (it then becomes
   * active); a text registered before is left as is, so a console edit survives a restart.
   * @throws ConfigError when the text is invalid.
   */
  registerFile(yaml: string, path: string): Promise<{ registered: boolean; entry: MappingEntry }>;
  /** Newest first; `limit` default 50. */
  history(options?: { limit?: number }): Promise<MappingSummary[]>;
  get(revision: number): Promise<MappingEntry | undefined>;
  /** The highest revision; undefined while the history is empty. */
  active(): Promise<MappingEntry | undefined>;
  /** The highest revision, 0 while empty: what processes poll. */
  head(): Promise<number>;
  /** @throws MappingRevisionNotFoundError */
  diff(fromRevision: number, toRevision: number): Promise<MappingDiff>;
}
