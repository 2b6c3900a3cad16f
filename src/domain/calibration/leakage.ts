/**
 * Leakage guards: columns that record the outcome's consequences rather than who the account is.
 * A deal amount that is 0 on lost deals, a close date, a stage-derived field, a name or an id
 * separates won from lost (or each row from every other) perfectly in the past and predicts
 * nothing about a new account. Such attributes are flagged, left out of the suggested model and
 * of the key traits by default, and the reason is printed.
 */
import { isMissing, parseNumber } from '../normalize.ts';
import { auc } from './roc.ts';
import type { ClosedDeal } from './deal.ts';
import { parseCloseDate } from './deal.ts';
import { segmentOf } from './bucketing.ts';
import type { AttributeAnalysis } from './segment-analysis.ts';

export interface LeakFlag {
  attribute: string;
  reason: string;
}

/** Names that say "outcome, pipeline or identity", in snake_case, camelCase or words. */
const LEAKY_NAME = /(^|[_\s-])(ids?|uuid|name|email|phone|url|date|dates|time|timestamp|stage|status|outcome|won|lost|closed?|reason|owner|probability|forecast)($|[_\s-])/i;
const CAMEL_LEAKY = /(Id|Name|Date|Stage|Status|Reason|Owner)$/;
/** A single attribute that ranks won above lost this well on its own is a consequence, not a trait. */
export const NEAR_PERFECT_AUC = 0.97;
const MIN_ROWS = 20;

function looksLikeDate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const t = v.trim();
  return parseCloseDate(t) !== undefined || /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(t);
}

/** The best AUC of one attribute alone, either direction: raw numbers, then its segments' rates. */
function separation(deals: readonly ClosedDeal[], a: AttributeAnalysis): number {
  let best = 0.5;
  const raw = deals.map((d) => d.attributes[a.attribute]);
  const nums = raw.map((v) => (isMissing(v) ? undefined : parseNumber(v)));
  if (nums.filter((x) => x !== undefined).length >= raw.filter((v) => !isMissing(v)).length * 0.9 && nums.some((x) => x !== undefined)) {
    const x = auc(deals.map((d, i) => ({ score: nums[i] ?? Number.NEGATIVE_INFINITY, won: d.won })));
    if (x !== undefined) best = Math.max(best, x, 1 - x);
  }
  const rate = new Map(a.segments.map((s) => [s.key, s.winRate]));
  const x = auc(deals.map((d) => ({ score: rate.get(segmentOf(a.spec, d.attributes[a.attribute])) ?? 0, won: d.won })));
  if (x !== undefined) best = Math.max(best, x, 1 - x);
  return best;
}

/** Flags, by attribute, with the reason in words; attributes in `keep` are never flagged. */
export interface LeakageOptions {
  /** Attributes never flagged. */
  keep?: ReadonlySet<string>;
  /**
   * Flag near-perfect separators (default true). Off in the best-customers mode: there the
   * "outcome" is the team's own choice, not a CRM event, and a trait the team chose by (an
   * industry, say) separates perfectly without leaking anything.
   */
  separators?: boolean;
}

export function leakageFlags(deals: readonly ClosedDeal[], analyses: readonly AttributeAnalysis[], options: LeakageOptions = {}): LeakFlag[] {
  const keep = options.keep ?? new Set<string>();
  const flags: LeakFlag[] = [];
  const won = deals.filter((d) => d.won).length;
  for (const a of analyses) {
    if (keep.has(a.attribute)) continue;
    const values = deals.map((d) => d.attributes[a.attribute]).filter((v) => !isMissing(v));
    if (LEAKY_NAME.test(a.attribute) || CAMEL_LEAKY.test(a.attribute)) {
      flags.push({ attribute: a.attribute, reason: 'its name says date, stage, status, outcome, owner, name or id: it describes the deal, not the account' });
      continue;
    }
    if (values.length >= MIN_ROWS && values.filter(looksLikeDate).length >= 0.8 * values.length) {
      flags.push({ attribute: a.attribute, reason: 'it holds dates: a date tells when a deal closed, not who buys' });
      continue;
    }
    const texts = values.filter((v) => typeof v === 'string' && parseNumber(v) === undefined);
    if (texts.length >= MIN_ROWS && new Set(texts.map((v) => String(v).trim().toLowerCase())).size >= 0.9 * texts.length) {
      flags.push({ attribute: a.attribute, reason: 'nearly every row has its own value: an identifier or a name' });
      continue;
    }
    if (options.separators !== false && deals.length >= MIN_ROWS && won >= 5 && deals.length - won >= 5) {
      const sep = separation(deals, a);
      if (sep >= NEAR_PERFECT_AUC) {
        flags.push({ attribute: a.attribute, reason: `it separates won from lost almost perfectly on its own (AUC ${sep.toFixed(3)}): most likely a consequence of the outcome (e.g. an amount set to 0 on lost deals)` });
      }
    }
  }
  return flags;
}
