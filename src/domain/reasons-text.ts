/**
 * The short reasons text written to the CRM (`icp_fit_reasons`, `ICP_Fit_Reasons__c`), e.g.
 * `✖ Concurrent direct · +30 Secteur: Software · +15 Effectif: 320 · 0 Pays: US · ? Stack: inconnu`.
 *
 * Form of each item, separated by ` · `:
 * - a fired exclusion: `✖ <reason>`, always first, in model order;
 * - a criterion with points > 0: `+<contribution rounded to a whole number> <label>: <value>`;
 * - a present value worth 0 points: `0 <label>: <value>`;
 * - a missing value: `? <label>: <unknown word>` (default `inconnu`, as the labels of a French model).
 * Values: lists joined with `, `, booleans as the yes/no words, long texts cut at 40 characters.
 */
import type { Reason, ScoreResult } from './types.ts';

export interface ReasonsTextOptions {
  /** Longest text in characters (UTF-16 units); items that do not fit become a final `…`. Default: no limit. */
  maxLength?: number;
  /** Word shown for a missing value. Default `inconnu`. */
  unknownWord?: string;
  /** Words shown for boolean values. Default `oui` / `non`. */
  yesWord?: string;
  noWord?: string;
}

const SEPARATOR = ' · ';
const ELLIPSIS = '…';
const MAX_VALUE_LENGTH = 40;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1)).trimEnd()}${ELLIPSIS}`;
}

function valueText(v: unknown, opts: ReasonsTextOptions): string {
  if (Array.isArray(v)) return v.map((item) => valueText(item, opts)).filter((s) => s !== '').join(', ');
  if (typeof v === 'boolean') return v ? (opts.yesWord ?? 'oui') : (opts.noWord ?? 'non');
  if (typeof v === 'string') return v.trim().replace(/\s+/g, ' ');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v) ?? '';
}

function reasonItem(r: Reason, opts: ReasonsTextOptions): string {
  if (r.status === 'missing') return `? ${r.label}: ${opts.unknownWord ?? 'inconnu'}`;
  const value = clip(valueText(r.value, opts), MAX_VALUE_LENGTH);
  const lead = r.points > 0 ? `+${Math.round(r.contribution)}` : '0';
  return `${lead} ${r.label}: ${value}`;
}

/** The reasons of one score as one line of text; see the file comment for the format. */
export function reasonsText(result: ScoreResult, opts: ReasonsTextOptions = {}): string {
  const items = [
    ...result.exclusions.map((e) => `✖ ${e.reason}`),
    ...result.reasons.map((r) => reasonItem(r, opts)),
  ];
  const max = opts.maxLength;
  const full = items.join(SEPARATOR);
  if (max === undefined || full.length <= max) return full;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let out = '';
  for (const item of items) {
    const next = out === '' ? item : `${out}${SEPARATOR}${item}`;
    if (next.length + SEPARATOR.length + ELLIPSIS.length > max) break;
    out = next;
  }
  // Not even the first item fits: cut it rather than write nothing.
  if (out === '') return clip(items[0] ?? '', max);
  return `${out}${SEPARATOR}${ELLIPSIS}`;
}
