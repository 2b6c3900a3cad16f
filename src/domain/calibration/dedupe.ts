/**
 * One record per account. A fit model predicts whether an account of this profile becomes a
 * customer, so an account counts once, with its best outcome: won when any of its deals was won.
 * The representative deal (amount, cycle, close date) is the latest won deal, else the latest lost
 * one; its attributes are completed, for attributes it lacks, from the account's other deals,
 * latest first. A later lost upsell does not turn a customer into a loss, and ten lost attempts on
 * one account do not weigh ten times in the win rates. The record keeps the amounts and cycles of
 * all the account's won deals, so the medians of won deals still read every deal, and the roles
 * present on any of its deals (target functions are read per account at this unit).
 */
import { isMissing } from '../normalize.ts';
import type { ClosedDeal } from './deal.ts';

export interface DedupeResult {
  deals: ClosedDeal[];
  /** Deals read before deduplication. */
  dealsIn: number;
  /** Accounts that had more than one closed deal. */
  accountsWithSeveralDeals: number;
}

/** Later close date first; a deal without a date counts as the oldest; then later input first. */
function latestFirst(a: { deal: ClosedDeal; index: number }, b: { deal: ClosedDeal; index: number }): number {
  const da = a.deal.closeDate ?? '';
  const db = b.deal.closeDate ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return b.index - a.index;
}

export function dedupeByAccount(deals: readonly ClosedDeal[]): DedupeResult {
  const groups = new Map<string, { deal: ClosedDeal; index: number }[]>();
  deals.forEach((deal, index) => {
    const list = groups.get(deal.account);
    if (list === undefined) groups.set(deal.account, [{ deal, index }]);
    else list.push({ deal, index });
  });
  const out: ClosedDeal[] = [];
  let several = 0;
  for (const list of groups.values()) {
    if (list.length === 1) {
      out.push((list[0] as { deal: ClosedDeal }).deal);
      continue;
    }
    several++;
    list.sort(latestFirst);
    const rep = (list.find((x) => x.deal.won) ?? list[0]) as { deal: ClosedDeal };
    const attributes: Record<string, unknown> = { ...rep.deal.attributes };
    for (const { deal } of list) {
      for (const [k, v] of Object.entries(deal.attributes)) {
        if (isMissing(attributes[k]) && !isMissing(v)) attributes[k] = v;
      }
    }
    const won = list.filter((x) => x.deal.won).map((x) => x.deal);
    const wonAmounts = won.map((d) => d.amount).filter((v): v is number => v !== undefined);
    const wonCycles = won.map((d) => d.cycleDays).filter((v): v is number => v !== undefined);
    // The roles seen on any of the account's deals: who the account involved, whichever deal won.
    const withRoles = list.filter((x) => x.deal.roles !== undefined);
    const roles = withRoles.length === 0 ? undefined : [...new Set(withRoles.flatMap((x) => x.deal.roles ?? []))];
    out.push({ ...rep.deal, attributes, wonAmounts, wonCycles, ...(roles === undefined ? {} : { roles }) });
  }
  return { deals: out, dealsIn: deals.length, accountsWithSeveralDeals: several };
}
