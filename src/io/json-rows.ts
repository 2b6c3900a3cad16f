/**
 * Turns parsed JSON values (array elements or JSON Lines) into rows: each must be an object whose
 * keys are attribute names, with a non-empty string or a number under the id key. Values keep their
 * JSON types (numbers, booleans, lists), which the scoring core accepts as they are.
 */
import type { Attributes } from '../domain/types.ts';
import type { RowReaderOptions } from './csv-rows.ts';
import { JsonArrayParser } from './json-array-parser.ts';
import { JsonLinesParser } from './json-lines-parser.ts';
import type { ChunkReader, RowSink } from './row-sink.ts';

export function createJsonRowReader(kind: 'json' | 'jsonl', options: RowReaderOptions, sink: RowSink): ChunkReader {
  const what = kind === 'json' ? 'array element' : 'line';
  const valueSink = {
    value(value: unknown, line: number): void {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        sink.skip(line, `${what} is ${describe(value)}, not an object — skipped`);
        return;
      }
      const record = value as Record<string, unknown>;
      const raw = record[options.idColumn];
      const id = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
      if (id === '') {
        const problem = raw === undefined || raw === null || typeof raw === 'string' ? 'no value in' : 'not a string or number in';
        sink.skip(line, `${problem} id column "${options.idColumn}" — skipped`);
        return;
      }
      sink.row(id, record as Attributes, line);
    },
    malformed(line: number, message: string): void {
      sink.skip(line, `${message} — skipped`);
    },
  };
  return kind === 'json' ? new JsonArrayParser(valueSink) : new JsonLinesParser(valueSink);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
