/**
 * Turns CSV records into rows: the first record is the header (column names are attribute names),
 * every later record must have as many fields. A cell containing `;` becomes a list of its trimmed,
 * non-empty items (a tech stack, several NAF codes); every other cell stays the string it is, and
 * the scoring core parses numbers and booleans from it.
 */
import type { Attributes } from '../domain/types.ts';
import { CsvParser, type CsvParserOptions } from './csv-parser.ts';
import { InputError } from './input-error.ts';
import type { ChunkReader, RowSink } from './row-sink.ts';

export interface RowReaderOptions {
  /** Column (CSV) or key (JSON) holding each row's id. */
  idColumn: string;
  /** Attribute names the model reads; other columns are ignored. */
  attributes: readonly string[];
}

/** A CSV row reader that can tell its header and where it is, so a part of the file can be read elsewhere. */
export interface CsvRowReader extends ChunkReader {
  /** The header record's fields as read (undefined until the header has been read). */
  header(): readonly string[] | undefined;
  /** Line number of the next record to read. */
  nextLine(): number;
}

/**
 * `header`: the fields of a header already read and accepted elsewhere (by the reader of the start
 * of the same file): every record fed is then a data row, and nothing is said about the header again.
 */
export function createCsvRowReader(
  options: RowReaderOptions,
  sink: RowSink,
  parserOptions: CsvParserOptions = {},
  header?: readonly string[],
): CsvRowReader {
  let width = -1;
  let idIndex = -1;
  let headerFields: readonly string[] | undefined;
  const names: string[] = [];
  const indexes: number[] = [];

  const readHeader = (fields: readonly string[], line: number, report: boolean): void => {
    if (fields.some((f) => f.includes('\r'))) {
      throw new InputError('the lines end with a lone carriage return (CR): save the file with LF or CRLF line ends', line);
    }
    const header = fields.map((f) => f.trim());
    const seen = new Set<string>();
    for (const name of header) {
      if (name !== '' && seen.has(name)) throw new InputError(`the header names column "${name}" twice`, line);
      seen.add(name);
    }
    idIndex = header.indexOf(options.idColumn);
    if (idIndex === -1) {
      const hint =
        header.length === 1 && (header[0] ?? '').includes(';')
          ? ' — the header has no "," but has ";": columns must be separated by "," (";" separates list items in a cell)'
          : ` — use --id-column to name the id column (columns: ${header.join(', ')})`;
      throw new InputError(`no column "${options.idColumn}" in the CSV header${hint}`, line);
    }
    width = header.length;
    headerFields = fields;
    const absent: string[] = [];
    for (const attribute of new Set(options.attributes)) {
      const index = header.indexOf(attribute);
      if (index === -1) absent.push(attribute);
      else {
        names.push(attribute);
        indexes.push(index);
      }
    }
    const wanted = header.map(() => false);
    for (const index of [idIndex, ...indexes]) wanted[index] = true;
    parser.keepOnly(wanted);
    if (absent.length > 0 && report) {
      sink.note(`no column for attribute(s) ${absent.join(', ')}: every row counts them as missing`);
    }
  };

  const parser = new CsvParser(
    {
      record(fields, line) {
        if (width === -1) {
          readHeader(fields, line, true);
          return;
        }
        if (fields.length !== width) {
          sink.skip(line, `${fields.length} fields, the header has ${width} — skipped`);
          return;
        }
        const id = (fields[idIndex] ?? '').trim();
        if (id === '') {
          sink.skip(line, `no value in id column "${options.idColumn}" — skipped`);
          return;
        }
        const attrs: Record<string, unknown> = {};
        for (let k = 0; k < names.length; k += 1) attrs[names[k] as string] = cellValue(fields[indexes[k] as number] as string);
        sink.row(id, attrs as Attributes, line);
      },
      malformed(line, message) {
        if (width === -1) throw new InputError(`cannot read the CSV header: ${message}`, line);
        sink.skip(line, `${message} — skipped`);
      },
    },
    parserOptions,
  );
  if (header !== undefined) readHeader(header, 1, false);
  return {
    feed: (chunk) => parser.feed(chunk),
    end: () => {
      parser.end();
      if (width === -1) throw new InputError('the input is empty: expected a CSV header row');
    },
    header: () => headerFields,
    nextLine: () => parser.line,
  };
}

/** A cell as an attribute value: a `;`-separated list becomes its trimmed, non-empty items. */
export function cellValue(cell: string): string | string[] {
  if (!cell.includes(';')) return cell;
  const items: string[] = [];
  for (const part of cell.split(';')) {
    const item = part.trim();
    if (item !== '') items.push(item);
  }
  return items;
}
