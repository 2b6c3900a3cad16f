/**
 * The `--format json` line for one result, written by hand because `JSON.stringify` on the whole
 * result was the largest cost of a million-row run. The model's fixed parts (criterion ids and
 * labels) are serialised once; the output is byte-for-byte what `JSON.stringify` gives for
 * `{id, score, tier, excluded, completeness, tags, reasons}` (a property test holds it to that).
 */
import type { Reason, ScoreResult } from '../domain/types.ts';
import type { RowPerson } from './result-formatter.ts';

const STATUS: Readonly<Record<string, string>> = {
  match: '"match"',
  partial: '"partial"',
  miss: '"miss"',
  missing: '"missing"',
};

/** Points and contributions take few distinct values per model; printing a double is not cheap. */
const NUMBER_CACHE_LIMIT = 4096;
const numbers = new Map<number, string>();

function num(n: number): string {
  let s = numbers.get(n);
  if (s === undefined) {
    s = Number.isFinite(n) ? String(n) : 'null';
    if (numbers.size < NUMBER_CACHE_LIMIT) numbers.set(n, s);
  }
  return s;
}

export class ResultJson {
  /** criterion id → `{"criterion":…,"label":…,"value":` for the label last seen with it. */
  readonly #heads = new Map<string, { label: string; head: string }>();

  line(id: string, r: ScoreResult, p?: RowPerson): string {
    let reasons = '';
    for (let i = 0; i < r.reasons.length; i++) {
      if (i > 0) reasons += ',';
      reasons += this.#reason(r.reasons[i] as Reason);
    }
    const person = p === undefined ? '' : `,"role":${JSON.stringify(p.role)},"priority":${p.priority === null ? 'null' : num(p.priority)},"priorityTier":${JSON.stringify(p.priorityTier)}`;
    return `{"id":${JSON.stringify(id)},"score":${num(r.score)},"tier":${JSON.stringify(r.tier)},"excluded":${r.excluded},"completeness":${num(r.completeness)},"tags":${JSON.stringify(r.tags)},"reasons":[${reasons}]${person}}\n`;
  }

  #reason(r: Reason): string {
    const status = STATUS[r.status];
    const value = r.value === null ? 'null' : JSON.stringify(r.value);
    // Anything unusual (a value JSON cannot show, an unknown status) goes the general way.
    if (status === undefined || value === undefined || typeof r.criterion !== 'string' || typeof r.label !== 'string') {
      return JSON.stringify(r);
    }
    let cached = this.#heads.get(r.criterion);
    if (cached === undefined || cached.label !== r.label) {
      cached = { label: r.label, head: `{"criterion":${JSON.stringify(r.criterion)},"label":${JSON.stringify(r.label)},"value":` };
      this.#heads.set(r.criterion, cached);
    }
    return `${cached.head}${value},"points":${num(r.points)},"contribution":${num(r.contribution)},"status":${status}}`;
  }
}
