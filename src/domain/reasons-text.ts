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
 * A CRM option value is shown by its display label when `valueLabel` knows one (HubSpot
 * `COMPUTER_SOFTWARE` → `Computer Software`); scoring itself always matched the value.
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
  /**
   * The display label of a text value (each item of a list) of one criterion, when the value is a
   * CRM option whose label differs (HubSpot property options, Salesforce picklist values);
   * `undefined` shows the value as it is.
   */
  valueLabel?: (criterion: string, value: string) => string | undefined;
}

const SEPARATOR = ' · ';
const ELLIPSIS = '…';
const MAX_VALUE_LENGTH = 40;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1)).trimEnd()}${ELLIPSIS}`;
}

/** Whether `s` is already trimmed with single inner spaces, so `\s+` folding would not change it. */
function isFolded(s: string): boolean {
  const n = s.length;
  let previousSpace = true; // a leading space is not folded
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if (c < 32 || (c >= 0x7f && isUnicodeSpace(c))) {
      return false;
    } else {
      previousSpace = false;
    }
  }
  return !previousSpace || n === 0;
}

/** The characters of JavaScript's `\s` outside ASCII. */
function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function valueText(v: unknown, opts: ReasonsTextOptions, criterion: string): string {
  if (typeof v === 'string') {
    const shown = opts.valueLabel?.(criterion, v) ?? v;
    return isFolded(shown) ? shown : shown.trim().replace(/\s+/g, ' ');
  }
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? (opts.yesWord ?? 'oui') : (opts.noWord ?? 'non');
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v) {
      const text = valueText(item, opts, criterion);
      if (text !== '') out = out === '' ? text : `${out}, ${text}`;
    }
    return out;
  }
  if (v === null || v === undefined) return '';
  return JSON.stringify(v) ?? '';
}

function reasonItem(r: Reason, opts: ReasonsTextOptions): string {
  if (r.status === 'missing') return `? ${r.label}: ${opts.unknownWord ?? 'inconnu'}`;
  const value = clip(valueText(r.value, opts, r.criterion), MAX_VALUE_LENGTH);
  const lead = r.points > 0 ? `+${Math.round(r.contribution)}` : '0';
  return `${lead} ${r.label}: ${value}`;
}

/** The reasons of one score as one line of text; see the file comment for the format. */
export function reasonsText(result: ScoreResult, opts: ReasonsTextOptions = {}): string {
  const max = opts.maxLength;
  if (max === undefined) {
    // The common path (CLI, explain): one string built in place, no intermediate arrays.
    let full = '';
    for (const e of result.exclusions) full = full === '' ? `✖ ${e.reason}` : `${full}${SEPARATOR}✖ ${e.reason}`;
    for (const r of result.reasons) {
      const item = reasonItem(r, opts);
      full = full === '' ? item : `${full}${SEPARATOR}${item}`;
    }
    return full;
  }
  const items = [
    ...result.exclusions.map((e) => `✖ ${e.reason}`),
    ...result.reasons.map((r) => reasonItem(r, opts)),
  ];
  const full = items.join(SEPARATOR);
  if (full.length <= max) return full;
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
