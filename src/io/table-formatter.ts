/**
 * The `table` output: aligned columns for reading in a terminal, then the tier distribution.
 * Rows stream, so column widths come from the first rows (a longer id or tag list later is cut
 * with "…"); the reasons column comes last and is cut to the terminal's width when there is one.
 * Values come from the input file: control characters are shown as symbols, never sent as such.
 */
import { reasonsText } from '../domain/reasons-text.ts';
import type { IcpModel, ScoreResult } from '../domain/types.ts';
import type { ResultFormatter, RowPerson } from './result-formatter.ts';
import type { ScoreStats } from './score-stats.ts';
import { terminalSafe } from './terminal-text.ts';

/** Rows looked at before the column widths are fixed. */
const SAMPLE_ROWS = 200;
/** Widest id and tags columns, in characters. */
const MAX_ID_WIDTH = 40;
const MAX_TAGS_WIDTH = 60;
/** Narrowest reasons column when the table is fitted to a terminal. */
const MIN_REASONS_WIDTH = 12;

interface Pending {
  id: string;
  result: ScoreResult;
  person: RowPerson | undefined;
}

export class TableFormatter implements ResultFormatter {
  readonly #model: IcpModel;
  readonly #tierWidth: number;
  /** Role and priority columns, when the model has roles. */
  readonly #roleWidth: number | undefined;
  #sample: Pending[] | undefined = [];
  #idWidth = 2;
  #tagsWidth = 4;
  /** Terminal width in columns; undefined when the output is not a terminal (nothing is cut then). */
  readonly #width: number | undefined;
  #reasonsWidth: number | undefined;

  constructor(model: IcpModel, options: { width?: number } = {}) {
    this.#model = model;
    this.#width = options.width !== undefined && options.width > 0 ? options.width : undefined;
    this.#tierWidth = Math.max(4, model.excludedTier.length, ...model.tiers.map((t) => t.name.length));
    this.#roleWidth = model.roles === undefined ? undefined : Math.max(4, ...model.roles.list.map((r) => r.id.length));
  }

  start(): string {
    return '';
  }

  row(id: string, result: ScoreResult, person?: RowPerson): string {
    if (this.#sample === undefined) return this.#line(id, result, person);
    this.#sample.push({ id, result, person });
    return this.#sample.length >= SAMPLE_ROWS ? this.#flushSample() : '';
  }

  finish(stats: ScoreStats): string {
    const rows = this.#sample === undefined ? '' : this.#flushSample();
    return `${rows}\n${this.#distribution(stats)}`;
  }

  #flushSample(): string {
    const sample = this.#sample ?? [];
    this.#sample = undefined;
    const maxId = this.#width === undefined ? MAX_ID_WIDTH : Math.max(8, Math.min(MAX_ID_WIDTH, Math.floor(this.#width / 5)));
    const maxTags = this.#width === undefined ? MAX_TAGS_WIDTH : Math.max(4, Math.min(MAX_TAGS_WIDTH, Math.floor(this.#width / 5)));
    for (const { id, result } of sample) {
      this.#idWidth = Math.min(maxId, Math.max(this.#idWidth, terminalSafe(id).length));
      this.#tagsWidth = Math.min(maxTags, Math.max(this.#tagsWidth, tagsText(result).length));
    }
    if (this.#width !== undefined) {
      // What is left of the line after the fixed columns and their separators.
      const fixed = () => this.#idWidth + 5 + this.#tierWidth + (this.#roleWidth === undefined ? 0 : this.#roleWidth + 8 + 4) + 8 + this.#tagsWidth + 2 * 6;
      // A narrow terminal: the tags, then the ids, give room to the reasons first.
      let short = MIN_REASONS_WIDTH - (this.#width - fixed());
      if (short > 0) {
        const fromTags = Math.min(short, this.#tagsWidth - 4);
        this.#tagsWidth -= fromTags;
        short -= fromTags;
        this.#idWidth -= Math.max(0, Math.min(short, this.#idWidth - 6));
      }
      this.#reasonsWidth = Math.max(4, this.#width - fixed());
    }
    const header = [
      'id'.padEnd(this.#idWidth),
      'score',
      'tier'.padEnd(this.#tierWidth),
      ...(this.#roleWidth === undefined ? [] : ['role'.padEnd(this.#roleWidth), 'priority']),
      'complete',
      'tags'.padEnd(this.#tagsWidth),
      'reasons',
    ].join('  ');
    return `${header}\n${sample.map(({ id, result, person }) => this.#line(id, result, person)).join('')}`;
  }

  #line(id: string, r: ScoreResult, p: RowPerson | undefined): string {
    const person =
      this.#roleWidth === undefined
        ? []
        : [fit(p?.role ?? '', this.#roleWidth), (p?.priority === null || p === undefined ? '—' : `${p.priority} ${p.priorityTier ?? ''}`).padEnd(8)];
    return `${[
      fit(terminalSafe(id), this.#idWidth),
      String(r.score).padStart(5),
      r.tier.padEnd(this.#tierWidth),
      ...person,
      `${Math.round(r.completeness * 100)}%`.padStart(8),
      fit(tagsText(r), this.#tagsWidth),
      this.#reasonsWidth === undefined ? terminalSafe(reasonsText(r)) : cut(terminalSafe(reasonsText(r)), this.#reasonsWidth),
    ].join('  ')}\n`;
  }

  #distribution(stats: ScoreStats): string {
    const rows = [
      ...this.#model.tiers.map((t) => ({ name: t.name, label: t.label ?? `score ≥ ${t.min}` })),
      { name: this.#model.excludedTier, label: 'excluded' },
    ];
    const countWidth = Math.max(4, String(stats.scored).length);
    const lines = rows.map(({ name, label }) => {
      const count = stats.byTier.get(name) ?? 0;
      const pct = stats.scored === 0 ? 0 : (100 * count) / stats.scored;
      return `${name.padEnd(this.#tierWidth)}  ${String(count).padStart(countWidth)}  ${`${pct.toFixed(1)}%`.padStart(6)}  ${label}`;
    });
    const header = `${'tier'.padEnd(this.#tierWidth)}  ${'rows'.padStart(countWidth)}  ${'share'.padStart(6)}`;
    const total = `${stats.scored} row(s) scored, ${stats.skipped} skipped — model ${this.#model.version}`;
    return `${header}\n${lines.join('\n')}\n${total}\n`;
  }
}

function tagsText(r: ScoreResult): string {
  return terminalSafe(r.tags.join(', '));
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
