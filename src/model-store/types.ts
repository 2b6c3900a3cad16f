/**
 * The versioned history of ICP models (issue 12: Publish page): what an entry holds and what the
 * store does. Every process of a deployment shares one history in Redis; the newest entry is the
 * active model everywhere (see `docs/operations.md`, "Model versions").
 */
import type { ModelChange } from '../domain/calibration/model-diff.ts';
import type { IcpModel } from '../domain/types.ts';

/** Where an entry came from: the console (or the CLI), a model file deployed from Git, a rollback. */
export type ModelSource = 'console' | 'file' | 'rollback';

export interface ModelSummary {
  /** Position in the history: 1, 2, 3… never reused. The highest is the active model. */
  revision: number;
  /** The model's own `version` (written next to every score). */
  version: string;
  /** The model's `name`, when it has one. */
  name?: string;
  author: string;
  /** Free text; empty when none was given. */
  note: string;
  /** ISO 8601 time of the publish. */
  publishedAt: string;
  source: ModelSource;
  /** Rollbacks: the revision whose text was restored. */
  rollbackOf?: number;
  /** Files: the path the text was read from. */
  path?: string;
}

export interface ModelEntry extends ModelSummary {
  /** The exact text published (YAML or JSON), as validated. */
  yaml: string;
}

export interface PublishInput {
  yaml: string;
  author: string;
  note?: string;
}

export interface ModelDiff {
  from: ModelSummary;
  to: ModelSummary;
  /** Structured changes, each with a readable `text` (`~ employees: weight 20 % → 30 % of the score`). */
  changes: ModelChange[];
  /** Line diff of the two texts: ' ' same, '-' only in `from`, '+' only in `to`. */
  lines: DiffLine[];
}

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

export type ValidateResult = { ok: true; model: IcpModel } | { ok: false; problems: string[] };

export interface ExportedModel {
  /** `0007-2026.12.yaml`: the revision, zero-padded, then the version made safe for a file name. */
  fileName: string;
  /** A comment header (revision, author, time, source, note), then the text as published. */
  yaml: string;
}

export interface ModelStore {
  /**
   * The checks and messages of `icp-sync validate`, on a text (`icp.yaml: criteria[2].weight: must
   * be > 0`). `fileName` is the name shown in problems (default `icp.yaml`). Never throws.
   */
  validate(yaml: string, fileName?: string): ValidateResult;
  /**
   * Adds a console publish; it becomes the active model of every process within seconds.
   * @throws ConfigError (`problems`: the `validate` lines) when the text is invalid.
   * @throws ModelVersionTakenError when its `version` is already in the history (`suggestion`: a free one).
   */
  publish(input: PublishInput): Promise<ModelEntry>;
  /** Makes an earlier revision active again: a new entry (source `rollback`) with that text and version. */
  rollback(revision: number, by: { author: string; note?: string }): Promise<ModelEntry>;
  /**
   * Records a model file read at start when its `version` is not in the history yet (it then becomes
   * active). A version already there is left as is (`registered: false`, `entry`: the one holding it).
   * @throws ConfigError when the text is invalid.
   */
  registerFile(yaml: string, path: string): Promise<{ registered: boolean; entry: ModelEntry }>;
  /** Newest first. `limit` default 50. */
  history(options?: { limit?: number; offset?: number }): Promise<ModelSummary[]>;
  /** The entry at this revision; undefined when there is none. */
  get(revision: number): Promise<ModelEntry | undefined>;
  /** The newest entry with this `version`. */
  getByVersion(version: string): Promise<ModelEntry | undefined>;
  /** The active model (highest revision); undefined while the history is empty. */
  active(): Promise<ModelEntry | undefined>;
  /** The highest revision, 0 while empty. One Redis GET: what processes poll. */
  head(): Promise<number>;
  /** @throws ModelRevisionNotFoundError for an unknown revision. */
  diff(fromRevision: number, toRevision: number): Promise<ModelDiff>;
  /** A version not in the history yet, derived from `base` (`2026.12` → `2026.12.1`, `.2`…). */
  suggestVersion(base: string): Promise<string>;
  /** Every entry, oldest first, as files to commit to Git. */
  exportHistory(): Promise<ExportedModel[]>;
}
