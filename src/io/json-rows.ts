/**
 * Turns parsed JSON values (array elements or JSON Lines) into rows: each must be an object whose
 * keys are attribute names, with a non-empty string or a number under the id key. Values keep their
 * JSON types (numbers, booleans, lists), which the scoring core accepts as they are.
 */
import type { Attributes } from '../domain/types.ts';
import type { RowReaderOptions } from './csv-rows.ts';
import { JsonArrayParser } from './json-array-parser.ts';
import { JsonLinesParser, type JsonLinesParserOptions } from './json-lines-parser.ts';
import type { ChunkReader, RowSink } from './row-sink.ts';

/** A JSON Lines row reader that can tell where it is, so a part of the file can be read elsewhere. */
export interface JsonLinesRowReader extends ChunkReader {
  /** Line number of the next line to read. */
  nextLine(): number;
}

export function createJsonRowReader(kind: 'json', options: RowReaderOptions, sink: RowSink): ChunkReader;
export function createJsonRowReader(kind: 'jsonl', options: RowReaderOptions, sink: RowSink, linesOptions?: JsonLinesParserOptions): JsonLinesRowReader;
export function createJsonRowReader(kind: 'json' | 'jsonl', options: RowReaderOptions, sink: RowSink): ChunkReader;
export function createJsonRowReader(
  kind: 'json' | 'jsonl',
  options: RowReaderOptions,
  sink: RowSink,
  linesOptions: JsonLinesParserOptions = {},
): ChunkReader | JsonLinesRowReader {
  const valueSink = {
    value(value: unknown, line: number, element?: number): void {
      // In an array, the element number tells apart the problems of a one-line array.
      const where = element === undefined ? '' : `array element ${element}: `;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        sink.skip(line, element === undefined ? `line is ${describe(value)}, not an object — skipped` : `array element ${element} is ${describe(value)}, not an object — skipped`);
        return;
      }
      const record = value as Record<string, unknown>;
      const raw = record[options.idColumn];
      const id = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
      if (id === '') {
        const problem = raw === undefined || raw === null || typeof raw === 'string' ? 'no value in' : 'not a string or number in';
        sink.skip(line, `${where}${problem} id column "${options.idColumn}" — skipped`);
        return;
      }
      for (const key in record) {
        const v = record[key];
        if (typeof v === 'object' && v !== null && nestedDeeperThan(v, MAX_NESTING)) {
          sink.skip(line, `${where}value of "${key}" is nested more than ${MAX_NESTING} levels deep — skipped`);
          return;
        }
      }
      sink.row(id, record as Attributes, line);
    },
    malformed(line: number, message: string): void {
      sink.skip(line, `${message} — skipped`);
    },
  };
  if (kind === 'json') return new JsonArrayParser(valueSink);
  const parser = new JsonLinesParser(valueSink, linesOptions);
  return { feed: (chunk) => parser.feed(chunk), end: () => parser.end(), nextLine: () => parser.line };
}

/** Deepest nesting of lists and objects accepted in a value (attribute values are flat or lists). */
const MAX_NESTING = 32;

/** True when `value` nests lists or objects more than `max` levels deep (iterative: no stack to overflow). */
function nestedDeeperThan(value: object, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (depth > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
