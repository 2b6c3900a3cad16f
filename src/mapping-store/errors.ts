/** Refusals of the mapping store: the caller's to show (HTTP 409 and 404), never retried. */

/** A save whose mappings are those already active: a new revision would change nothing. */
export class MappingsUnchangedError extends Error {
  override readonly name = 'MappingsUnchangedError';
  constructor(revision: number) {
    super(`these mappings are already the active ones (revision ${revision}): nothing to save`);
  }
}

export class MappingRevisionNotFoundError extends Error {
  override readonly name = 'MappingRevisionNotFoundError';
  readonly revision: number;
  constructor(revision: number) {
    super(`no mappings revision ${revision} in the history`);
    this.revision = revision;
  }
}
