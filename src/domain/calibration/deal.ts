/**
 * A closed deal as calibration sees it, whatever its source (CSV file, HubSpot deals, Salesforce
 * Opportunities, or the best-customers mode where "won" means "is one of our best customers").
 */
import { isMissing, normalizeText } from '../normalize.ts';

export interface ClosedDeal {
  /** Account key used to count each account once (account id, else domain, else name). */
  account: string;
  /** Account attributes, keyed by the model's attribute names. */
  attributes: Readonly<Record<string, unknown>>;
  won: boolean;
  /** Deal amount in the CRM currency, when known. */
  amount?: number;
  /** Days from creation to close, when known. */
  cycleDays?: number;
  /** Close date as `YYYY-MM-DD`, when known. */
  closeDate?: string;
  /**
   * Account unit only: the amounts and cycles of every won deal of the account (the record above
   * is one deal standing for the account), so medians speak of deals, not of one deal per account.
   */
  wonAmounts?: readonly number[];
  wonCycles?: readonly number[];
  /**
   * Role ids (the model's `roles` section) of the people present on the deal: CSV column `roles`,
   * HubSpot associated contacts' roles, Salesforce OpportunityContactRoles. Absent when the source
   * does not say; an empty list means "no known role on this deal". Ids not in the model are kept
   * as given, so calibration can report them.
   */
  roles?: readonly string[];
  /** Lost deals only: the reason given for the loss, as written in the source (grouped later). */
  lostReason?: string;
}

const WON_WORDS = new Set(['won', 'win', 'true', 'yes', 'oui', '1', 'gagne', 'closed won', 'closedwon', 'closed-won']);
const LOST_WORDS = new Set(['lost', 'loss', 'false', 'no', 'non', '0', 'perdu', 'closed lost', 'closedlost', 'closed-lost']);

/**
 * Reads an outcome cell: won/lost, true/false, yes/no, oui/non, 1/0, gagné/perdu, closed won/closed
 * lost (any case, accents ignored). `undefined` when it is none of these.
 */
export function parseOutcome(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const t = normalizeText(value).replace(/_/g, ' ');
  if (WON_WORDS.has(t)) return true;
  if (LOST_WORDS.has(t)) return false;
  return undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Order of a numeric date's parts: day first (`DD-MM-YY`, French exports) or month first (US). */
export type DateOrder = 'dmy' | 'mdy';

const NUMERIC_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/;

function isoOf(y: number, mo: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * Reads a close date: `YYYY-MM-DD`, or an ISO 8601 date-time (only the date is kept), or epoch
 * milliseconds (HubSpot's older APIs). Day-first and month-first forms (`03/04/2025`, `03-04-25`)
 * are read only with their `order`: without it `03/04/2025` is ambiguous between a French and a US
 * export. Two-digit years are 20YY (19YY from 70).
 */
export function parseCloseDate(value: unknown, order?: DateOrder): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 1e11) {
    return new Date(value).toISOString().slice(0, 10);
  }
  if (typeof value !== 'string' || isMissing(value)) return undefined;
  const t = value.trim();
  if (/^\d{12,14}$/.test(t)) return new Date(Number(t)).toISOString().slice(0, 10);
  const m = ISO_DATE.exec(t);
  if (m === null) {
    const n = order === undefined ? null : NUMERIC_DATE.exec(t);
    if (n === null || order === undefined) return undefined;
    const [a, b, yText] = [Number(n[1]), Number(n[2]), n[3] as string];
    const y = yText.length === 2 ? (Number(yText) < 70 ? 2000 : 1900) + Number(yText) : Number(yText);
    return order === 'dmy' ? isoOf(y, b, a) : isoOf(y, a, b);
  }
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}-${mo}-${d}`;
}

/**
 * The order of numeric dates when the values themselves tell: a first part above 12 means day
 * first, a second part above 12 month first. `undefined` when no value tells (or values disagree).
 */
export function detectDateOrder(values: readonly string[]): DateOrder | undefined {
  let dayFirst = false;
  let monthFirst = false;
  for (const v of values) {
    const n = NUMERIC_DATE.exec(v.trim());
    if (n === null) continue;
    if (Number(n[1]) > 12) dayFirst = true;
    if (Number(n[2]) > 12) monthFirst = true;
  }
  if (dayFirst === monthFirst) return undefined;
  return dayFirst ? 'dmy' : 'mdy';
}

/** Whether a cell is a numeric day/month date (`03-04-25`, `13/04/2025`). */
export function isNumericDate(value: string): boolean {
  return NUMERIC_DATE.test(value.trim());
}

/** Whole days between two `YYYY-MM-DD` (or ISO) dates, `undefined` when either is unreadable or negative. */
export function daysBetween(from: unknown, to: unknown, order?: DateOrder): number | undefined {
  const a = parseCloseDate(from, order);
  const b = parseCloseDate(to, order);
  if (a === undefined || b === undefined) return undefined;
  const days = Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
  return days >= 0 ? days : undefined;
}
