/**
 * Refusals of the model store. Both are the caller's to show (HTTP 409 and 404), never retried.
 * An invalid model text is a `ConfigError` with the `icp-sync validate` lines.
 */

/** A publish whose `version` is already in the history: each version names one model text. */
export class ModelVersionTakenError extends Error {
  override readonly name = 'ModelVersionTakenError';
  readonly version: string;
  /** The revision holding that version. */
  readonly revision: number;
  /** A version not in the history yet, to propose instead. */
  readonly suggestion: string;
  constructor(version: string, revision: number, suggestion: string) {
    super(`version "${version}" is already in the model history (revision ${revision}): change \`version\`, e.g. to "${suggestion}"`);
    this.version = version;
    this.revision = revision;
    this.suggestion = suggestion;
  }
}

export class ModelRevisionNotFoundError extends Error {
  override readonly name = 'ModelRevisionNotFoundError';
  readonly revision: number;
  constructor(revision: number) {
    super(`no model revision ${revision} in the history`);
    this.revision = revision;
  }
}
