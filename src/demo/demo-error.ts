/** Thrown when the demo cannot go on; the message says what to do. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}
