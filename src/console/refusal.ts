/** Refusals the console answers with an HTML page and their status (401, 403, 400). */
import type { FastifyRequest } from 'fastify';
import { langOf, sessionOf } from './context.ts';
import { translator } from './i18n.ts';

/** A refusal shown as an HTML page with its status. */
export class ConsoleRefusal extends Error {
  override readonly name = 'ConsoleRefusal';
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** Throws a 403 unless the request's session is an editor's. */
export function requireEditor(request: FastifyRequest): void {
  if (sessionOf(request)?.role !== 'editor') throw new ConsoleRefusal(403, translator(langOf(request))('forbidden.viewer'));
}

