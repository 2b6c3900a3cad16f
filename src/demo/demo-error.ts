/** Thrown when the demo cannot go on; the message says what to do. */
export class DemoError extends Error {
  override readonly name: string = 'DemoError';
}

/** The user stopped the demo (SIGINT/SIGTERM) before it finished; it still cleans up. */
export class DemoStopped extends DemoError {
  override readonly name = 'DemoStopped';
}

/** Throws {@link DemoStopped} once `signal` has fired. */
export function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw new DemoStopped(`stopped by ${String(signal.reason)}`);
}
