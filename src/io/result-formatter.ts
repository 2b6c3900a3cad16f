/**
 * How `icp-sync score` prints each result. `json`: one object per line with exactly the keys
 * `id, score, tier, excluded, completeness, tags, reasons` (the structured reasons). `csv`: a header
 * row, then `id,score,tier,excluded,completeness,tags,reasons` with tags `;`-joined and the short
 * reasons text the CRMs receive. `table`: aligned columns for people, then a tier distribution.
 * With buying roles in the model, each row also gets its role, priority and priority tier (json keys
 * `role`, `priority`, `priorityTier`; csv columns `role,priority,priority_tier`; table columns).
 */
import { reasonsText } from '../domain/reasons-text.ts';
import type { IcpModel, ScoreResult } from '../domain/types.ts';
import { csvField, csvSafeField } from './csv-field.ts';
import { CsvRowBytes } from './csv-row-bytes.ts';
import { JsonRowBytes } from './json-row-bytes.ts';
import { ResultJson } from './result-json.ts';
import type { ScoreStats } from './score-stats.ts';
import { TableFormatter } from './table-formatter.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The (account, role) couple of a row, when the model has roles (PRODUCT.md §2, buying roles). */
export interface RowPerson {
  /** Role id, or `none`. */
  role: string;
  /** Null when the row has no account score to go by. */
  priority: number | null;
  priorityTier: string | null;
}

export interface ResultFormatter {
  /** Text to print before the first row. */
  start(): string;
  /** Text for one scored row (may be empty while a formatter buffers). `person` only with roles. */
  row(id: string, result: ScoreResult, person?: RowPerson): string;
  /** Text to print after the last row. */
  finish(stats: ScoreStats): string;
  /**
   * When present: the row's UTF-8 bytes, the same as `row`'s text encoded (valid until the next
   * call). Saves building the text and converting it.
   */
  rowBytes?(id: string, result: ScoreResult, person?: RowPerson): Uint8Array;
}

export function createJsonFormatter(): ResultFormatter {
  const json = new ResultJson();
  const bytes = new JsonRowBytes();
  return { start: () => '', row: (id, r, p) => json.line(id, r, p), finish: () => '', rowBytes: (id, r, p) => bytes.line(id, r, p) };
}

/** `safe`: spreadsheet-safe cells (`--csv-safe`): text that would start a formula gets a leading `'`. */
export function createCsvFormatter(safe = false): ResultFormatter {
  const field = safe ? csvSafeField : csvField;
  return {
    start: () => 'id,score,tier,excluded,completeness,tags,reasons\n',
    row: (id, r) =>
      `${field(id)},${r.score},${field(r.tier)},${r.excluded},${r.completeness},${field(r.tags.join(';'))},${field(reasonsText(r))}\n`,
    finish: () => '',
  };
}

/** With roles: the fit columns, then `role,priority,priority_tier`. */
export function createCsvPeopleFormatter(safe = false): ResultFormatter {
  const field = safe ? csvSafeField : csvField;
  const fit = createCsvFormatter(safe);
  return {
    start: () => 'id,score,tier,excluded,completeness,tags,reasons,role,priority,priority_tier\n',
    row: (id, r, p) => `${fit.row(id, r).slice(0, -1)},${field(p?.role ?? '')},${p?.priority ?? ''},${field(p?.priorityTier ?? '')}\n`,
    finish: () => '',
  };
}

export const csvFormatter: ResultFormatter = createCsvFormatter();
export const csvPeopleFormatter: ResultFormatter = createCsvPeopleFormatter();

/** The plain csv formatter with `rowBytes` (one per run: it keeps a scratch buffer). */
function createCsvBytesFormatter(people: boolean): ResultFormatter {
  const text = people ? csvPeopleFormatter : csvFormatter;
  const bytes = new CsvRowBytes(people);
  return { start: text.start, row: text.row, finish: text.finish, rowBytes: (id, r, p) => bytes.row(id, r, p) };
}

/** `width`: the terminal's columns when the table goes to one (the table then fits it). */
export function createFormatter(format: OutputFormat, model: IcpModel, options: { width?: number; csvSafe?: boolean } = {}): ResultFormatter {
  switch (format) {
    case 'json':
      return createJsonFormatter();
    case 'csv':
      if (options.csvSafe === true) return model.roles === undefined ? createCsvFormatter(true) : createCsvPeopleFormatter(true);
      return createCsvBytesFormatter(model.roles !== undefined);
    case 'table':
      return new TableFormatter(model, options);
  }
}
