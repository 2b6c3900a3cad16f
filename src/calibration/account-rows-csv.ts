/**
 * Reads a calibration CSV (closed deals, best customers or the account base) as a stream through
 * the project's RFC 4180 parser. One row per deal or account; the header names the columns:
 * attribute columns use the model's attribute names, plus the reserved columns below. A cell with
 * `;` becomes a list and `country` becomes an ISO code, as for `icp-sync score`. Rows that cannot be used are reported with their line
 * and skipped; the file as a whole is refused only when it cannot be read.
 * `roles`: the role ids present on the deal, `;`-separated (an empty cell: no role on the deal; no
 * column: the file does not say). `lost_reason`: why a lost deal was lost (read on lost deals only).
 */
import { createReadStream } from 'node:fs';
import { isMissing, parseNumber } from '../domain/normalize.ts';
import { accountIds, unrecognisedNotes, type AccountRow } from '../domain/calibration/account-row.ts';
import { daysBetween, detectDateOrder, isNumericDate, parseCloseDate, parseOutcome, type DateOrder } from '../domain/calibration/deal.ts';
import { CsvParser } from '../io/csv-parser.ts';
import { cellValue } from '../io/csv-rows.ts';
import { attributePrep, type AttributePrep } from '../io/file-attributes.ts';
import { InputError } from '../io/input-error.ts';

/** Columns with a fixed meaning; every other column is an attribute. */
export const RESERVED_COLUMNS = ['outcome', 'amount', 'cycle_days', 'close_date', 'created_date', 'account_id', 'deal_id', 'roles', 'lost_reason'] as const;
/** Identity columns, also kept as attributes (the model may read them) but never analysed. */
export const IDENTITY_COLUMNS = ['account_id', 'domain', 'name'] as const;

export interface ReadRowsOptions {
  /** `deals`: `outcome` is required on every row. `accounts`: no outcome is read. */
  kind: 'deals' | 'accounts';
  /** Name shown in messages (default: the path). */
  label?: string;
  /** Order of numeric dates (`--date-format`); detected from the values when they tell. */
  dateOrder?: DateOrder;
}

export interface SkippedRow {
  line: number;
  message: string;
}

export interface ReadRowsResult {
  rows: AccountRow[];
  /** Attribute columns, in header order. */
  attributes: string[];
  skipped: SkippedRow[];
  /** Facts about the file as a whole (unreadable amounts, no identity column…). */
  notes: string[];
}

function hasText(s: string | undefined): s is string {
  return s !== undefined && s.trim() !== '';
}

/** Parses CSV text already in memory (tests, CRM exports) the same way as a file. */
export function createRowsReader(options: ReadRowsOptions): { feed(chunk: string): void; end(): ReadRowsResult } {
  const label = options.label ?? 'input';
  const result: ReadRowsResult = { rows: [], attributes: [], skipped: [], notes: [] };
  let header: string[] | undefined;
  const col = new Map<string, number>();
  let attributeIndexes: [string, number][] = [];
  let prep: AttributePrep | undefined;
  const unmapped: { attribute: string; value: string }[] = [];
  let badAmounts = 0;
  let badDates = 0;
  // Dates are read at the end: the order of `03-04-25` is known only once every value is seen.
  const pending: { row: AccountRow; close: string | undefined; created: string | undefined; cycle: string | undefined }[] = [];

  const readHeader = (fields: string[], line: number): void => {
    header = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
    header.forEach((name, i) => {
      if (name === '') return;
      if (col.has(name)) throw new InputError(`${label}: the header names column "${name}" twice`, line);
      col.set(name, i);
    });
    if (header.length === 1 && (header[0] ?? '').includes(';')) {
      throw new InputError(`${label}: the header has no "," but has ";": columns must be separated by ","`, line);
    }
    if (options.kind === 'deals' && !col.has('outcome')) {
      throw new InputError(`${label}: no "outcome" column (won/lost) in the header: ${header.join(', ')}`, line);
    }
    if (!IDENTITY_COLUMNS.some((c) => col.has(c))) {
      result.notes.push(`${label}: no account_id, domain or name column: every row counts as its own account`);
    }
    const reserved = new Set<string>(RESERVED_COLUMNS);
    attributeIndexes = [...col.entries()].filter(([name]) => !reserved.has(name));
    result.attributes = attributeIndexes.map(([name]) => name).filter((n) => !(IDENTITY_COLUMNS as readonly string[]).includes(n));
    // Same normalisation as `icp-sync score` and the CRM mappings: "France", "FRA" → FR.
    prep = attributePrep(attributeIndexes.map(([name]) => name));
  };

  const cell = (fields: string[], name: string): string | undefined => {
    const i = col.get(name);
    return i === undefined ? undefined : fields[i];
  };

  const parser = new CsvParser({
    record(fields, line) {
      if (header === undefined) {
        readHeader(fields, line);
        return;
      }
      if (fields.length !== header.length) {
        result.skipped.push({ line, message: `${fields.length} fields, the header has ${header.length}` });
        return;
      }
      let won: boolean | undefined;
      if (options.kind === 'deals') {
        const raw = cell(fields, 'outcome');
        won = parseOutcome(raw);
        if (won === undefined) {
          result.skipped.push({ line, message: `outcome ${JSON.stringify(raw ?? '')} is not won/lost (true/false, 1/0, gagné/perdu)` });
          return;
        }
      }
      const attributes: Record<string, unknown> = {};
      for (const [name, i] of attributeIndexes) attributes[name] = cellValue(fields[i] as string);
      const raw = { ...attributes };
      prep?.(attributes);
      // A value the normalisation cannot read ("Frnace") becomes missing: count it, to say so.
      for (const [name, before] of Object.entries(raw)) {
        if (!isMissing(before) && isMissing(attributes[name])) unmapped.push({ attribute: name, value: String(before).trim() });
      }
      const row: AccountRow = {
        ids: accountIds(cell(fields, 'account_id'), cell(fields, 'domain'), cell(fields, 'name')),
        attributes,
        source: `${label}:${line}`,
        ...(won === undefined ? {} : { won }),
      };
      if (col.has('roles')) {
        row.roles = (cell(fields, 'roles') ?? '').split(';').map((x) => x.trim()).filter((x) => x !== '');
      }
      const reason = cell(fields, 'lost_reason');
      if (won === false && hasText(reason)) row.lostReason = reason.trim();
      const amountText = cell(fields, 'amount');
      if (hasText(amountText)) {
        const amount = parseNumber(amountText);
        if (amount === undefined) badAmounts++;
        else row.amount = amount;
      }
      pending.push({ row, close: cell(fields, 'close_date'), created: cell(fields, 'created_date'), cycle: cell(fields, 'cycle_days') });
      result.rows.push(row);
    },
    malformed(line, message) {
      if (header === undefined) throw new InputError(`${label}: cannot read the CSV header: ${message}`, line);
      result.skipped.push({ line, message });
    },
  });

  return {
    feed: (chunk) => parser.feed(chunk),
    end: () => {
      parser.end();
      if (header === undefined) throw new InputError(`${label}: the file is empty: expected a CSV header row`);
      const numeric = pending.flatMap((p) => [p.close, p.created]).filter((v): v is string => hasText(v) && isNumericDate(v));
      const detected = options.dateOrder ?? detectDateOrder(numeric);
      if (numeric.length > 0 && options.dateOrder === undefined) {
        result.notes.push(
          detected === undefined
            ? `${label}: ${numeric.length} date(s) like "${numeric[0]}" could be day-first or month-first: give --date-format DD-MM-YY or MM-DD-YY (they count as unknown)`
            : `${label}: dates like "${numeric[0]}" read ${detected === 'dmy' ? 'day-first (DD-MM-YY)' : 'month-first (MM-DD-YY)'}: some day is above 12`,
        );
      }
      for (const p of pending) {
        if (hasText(p.close)) {
          const closeDate = parseCloseDate(p.close, detected);
          if (closeDate === undefined) badDates++;
          else p.row.closeDate = closeDate;
        }
        const cycle = hasText(p.cycle) ? parseNumber(p.cycle) : daysBetween(p.created, p.close, detected);
        if (cycle !== undefined && cycle >= 0) p.row.cycleDays = cycle;
      }
      result.notes.push(...unrecognisedNotes(label, unmapped));
      if (badAmounts > 0) result.notes.push(`${label}: ${badAmounts} amount(s) are not numbers and count as unknown`);
      if (badDates > 0) {
        result.notes.push(`${label}: ${badDates} close date(s) are not YYYY-MM-DD (or ISO 8601, or DD-MM-YY with --date-format) and count as unknown`);
      }
      return result;
    },
  };
}

/** Streams a CSV file from disk. @throws InputError when the file cannot be read at all. */
export async function readRowsCsv(path: string, options: ReadRowsOptions): Promise<ReadRowsResult> {
  const reader = createRowsReader({ ...options, label: options.label ?? path });
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) reader.feed(chunk as string);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new InputError(`cannot read ${path}: ${why}`);
  }
  return reader.end();
}
