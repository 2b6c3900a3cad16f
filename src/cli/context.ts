/** What every CLI command receives: streams and a place to put its exit code. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Set by a command's action; `main` returns it. */
  exitCode: number;
}

/** Thrown by a command to stop with a message on stderr and a non-zero exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
