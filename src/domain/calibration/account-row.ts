/**
 * One row of a calibration input (a closed deal, or an account of the best-customers and base
 * files) with the identities that tie rows of the same account together, and the turning of rows
 * into the deals analysis reads.
 */
import { isMissing, normalizeText } from '../normalize.ts';
import type { ClosedDeal } from './deal.ts';

export interface AccountIds {
  accountId?: string;
  /** Host name, lower-cased, without scheme, `www.` or path. */
  domain?: string;
  /** Normalised company name. */
  name?: string;
}

export interface AccountRow {
  ids: AccountIds;
  attributes: Readonly<Record<string, unknown>>;
  /** Outcome, when the input has one. */
  won?: boolean;
  amount?: number;
  cycleDays?: number;
  closeDate?: string;
  /** Role ids present on the deal (absent: the input does not say). */
  roles?: readonly string[];
  /** Why the deal was lost, as written. */
  lostReason?: string;
  /** Where the row came from (`deals.csv:12`, `Opportunity 006…`), for messages. */
  source: string;
  /** Values the normalisation could not read ("Frnace"), left missing: reported with counts. */
  unrecognised?: readonly { attribute: string; value: string }[];
}

/**
 * One note per attribute on values that could not be read and count as missing, most frequent
 * first: `deals.csv: country: 3 value(s) not recognised, counted as missing: "Frnace" ×2, "Allemange" ×1`.
 */
export function unrecognisedNotes(label: string, values: Iterable<{ attribute: string; value: string }>): string[] {
  const byAttribute = new Map<string, Map<string, number>>();
  for (const { attribute, value } of values) {
    let m = byAttribute.get(attribute);
    if (m === undefined) byAttribute.set(attribute, (m = new Map()));
    m.set(value, (m.get(value) ?? 0) + 1);
  }
  const notes: string[] = [];
  for (const [name, counts] of byAttribute) {
    const list = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const total = list.reduce((sum, [, n]) => sum + n, 0);
    const shown = list.slice(0, 5).map(([v, n]) => `${JSON.stringify(v)} ×${n}`).join(', ');
    notes.push(`${label}: ${name}: ${total} value(s) not recognised, counted as missing: ${shown}${list.length > 5 ? `, and ${list.length - 5} more` : ''}`);
  }
  return notes;
}

/** `https://www.Acme.com/about` → `acme.com`. */
export function normalizeDomain(v: unknown): string | undefined {
  if (typeof v !== 'string' || isMissing(v)) return undefined;
  const host = v
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .split(/[/?#]/)[0]
    ?.replace(/:\d+$/, '')
    .replace(/\.$/, '');
  return host === undefined || host === '' ? undefined : host;
}

export function accountIds(accountId: unknown, domain: unknown, name: unknown): AccountIds {
  const ids: AccountIds = {};
  if (typeof accountId === 'string' && !isMissing(accountId)) ids.accountId = accountId.trim();
  const d = normalizeDomain(domain);
  if (d !== undefined) ids.domain = d;
  if (typeof name === 'string' && !isMissing(name)) ids.name = normalizeText(name);
  return ids;
}

/** The deduplication key: account id, else domain, else name, else the row's own source. */
export function accountKey(row: Pick<AccountRow, 'ids' | 'source'>): string {
  const { accountId, domain, name } = row.ids;
  if (accountId !== undefined) return `id:${accountId}`;
  if (domain !== undefined) return `domain:${domain}`;
  if (name !== undefined) return `name:${name}`;
  return `row:${row.source}`;
}

/** Rows with an outcome as deals (rows without one are left out: the readers report them). */
export function rowsToDeals(rows: readonly AccountRow[]): ClosedDeal[] {
  const out: ClosedDeal[] = [];
  for (const r of rows) {
    if (r.won === undefined) continue;
    out.push({
      account: accountKey(r),
      attributes: r.attributes,
      won: r.won,
      ...(r.amount === undefined ? {} : { amount: r.amount }),
      ...(r.cycleDays === undefined ? {} : { cycleDays: r.cycleDays }),
      ...(r.closeDate === undefined ? {} : { closeDate: r.closeDate }),
      ...(r.roles === undefined ? {} : { roles: r.roles }),
      ...(r.lostReason === undefined || r.won ? {} : { lostReason: r.lostReason }),
    });
  }
  return out;
}

export interface BestVersusBase {
  deals: ClosedDeal[];
  /** Best customers found in the base (matched by id, domain or name). */
  matched: number;
  /** Best customers absent from the base, added to the population. */
  unmatched: number;
  /**
   * Attributes only the best-customers file carries (no base account has a value): only best
   * customers would have them, so they would "separate" perfectly. The caller leaves them out.
   */
  onlyInBest: string[];
}

function carried(rows: readonly AccountRow[]): Set<string> {
  const out = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r.attributes)) if (!isMissing(v)) out.add(k);
  return out;
}

/**
 * For teams without lost deals: the best customers are the "won" class, every other account of
 * the base the reference. A best customer is matched to its base account by account id, else
 * domain, else name; its attributes win, completed by the base's. Base accounts are counted once.
 */
export function bestVersusBase(best: readonly AccountRow[], base: readonly AccountRow[]): BestVersusBase {
  const index = new Map<string, number>();
  base.forEach((row, i) => {
    for (const k of [row.ids.accountId && `id:${row.ids.accountId}`, row.ids.domain && `domain:${row.ids.domain}`, row.ids.name && `name:${row.ids.name}`]) {
      if (k && !index.has(k)) index.set(k, i);
    }
  });
  const bestOf = new Map<number, AccountRow>();
  const extra: AccountRow[] = [];
  for (const row of best) {
    const keys = [row.ids.accountId && `id:${row.ids.accountId}`, row.ids.domain && `domain:${row.ids.domain}`, row.ids.name && `name:${row.ids.name}`];
    const hit = keys.map((k) => (k ? index.get(k) : undefined)).find((i) => i !== undefined);
    if (hit === undefined) extra.push(row);
    else if (!bestOf.has(hit)) bestOf.set(hit, row);
  }
  const deals: ClosedDeal[] = [];
  const seen = new Set<string>();
  const push = (row: AccountRow, won: boolean, attributes: Readonly<Record<string, unknown>>): void => {
    const account = accountKey(row);
    if (seen.has(account)) return;
    seen.add(account);
    deals.push({ account, attributes, won });
  };
  base.forEach((row, i) => {
    const b = bestOf.get(i);
    if (b === undefined) {
      push(row, false, row.attributes);
      return;
    }
    const attributes: Record<string, unknown> = { ...row.attributes };
    for (const [k, v] of Object.entries(b.attributes)) if (!isMissing(v)) attributes[k] = v;
    push(row, true, attributes);
  });
  for (const row of extra) push(row, true, row.attributes);
  const inBase = carried(base);
  const onlyInBest = [...carried(best)].filter((k) => !inBase.has(k));
  return { deals, matched: bestOf.size, unmatched: extra.length, onlyInBest };
}
