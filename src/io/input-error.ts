/**
 * The input file as a whole cannot be read (unreadable file, no header, not a JSON array, a record
 * too large to be real). Row-level problems are not errors: they are reported and the row skipped.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** 1-based line where the problem was found, when known. */
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.line = line;
  }
}
