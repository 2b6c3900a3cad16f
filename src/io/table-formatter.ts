/**
 * The `table` output: aligned columns for reading in a terminal, then the tier distribution.
 * Rows stream, so column widths come from the first rows (a longer id or tag list later is cut
 * with "…"); the reasons column comes last and is never cut.
 */
import { reasonsText } from '../domain/reasons-text.ts';
import type { IcpModel, ScoreResult } from '../domain/types.ts';
import type { ResultFormatter, RowPerson } from './result-formatter.ts';
import type { ScoreStats } from './score-stats.ts';

/** Rows looked at before the column widths are fixed. */
const SAMPLE_ROWS = 200;
/** Widest id and tags columns, in characters. */
const MAX_ID_WIDTH = 40;
const MAX_TAGS_WIDTH = 60;

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

  constructor(model: IcpModel) {
    this.#model = model;
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
    for (const { id, result } of sample) {
      this.#idWidth = Math.min(MAX_ID_WIDTH, Math.max(this.#idWidth, id.length));
      this.#tagsWidth = Math.min(MAX_TAGS_WIDTH, Math.max(this.#tagsWidth, tagsText(result).length));
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
      fit(id, this.#idWidth),
      String(r.score).padStart(5),
      r.tier.padEnd(this.#tierWidth),
      ...person,
      `${Math.round(r.completeness * 100)}%`.padStart(8),
      fit(tagsText(r), this.#tagsWidth),
      reasonsText(r),
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
  return r.tags.join(', ');
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
