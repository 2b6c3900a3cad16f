/**
 * Whether the cached closed deals can judge a draft against the current model: the same rule as the
 * model-health monitor (at least `MODEL_HEALTH_MIN_DEALS` deals, with `MIN_PER_GROUP` won and lost),
 * so the console never shows an AUC the monitor would call too thin.
 */
import type { ClosedDeal } from '../domain/calibration/deal.ts';
import { DEFAULT_THRESHOLDS, MIN_PER_GROUP } from '../pipeline/model-health-check.ts';
import type { DealCacheState, DealCacheStatus } from './deal-cache.ts';

export interface DealCheck {
  state: DealCacheState;
  /** Deals usable now (the cached ones), won and lost. */
  count: number;
  won: number;
  lost: number;
  /** Deals needed before AUC and win rates are compared. */
  minDeals: number;
  /** Won and lost deals needed each. */
  minPerOutcome: number;
  /** Enough deals: `whatIf.deals` holds the comparison. */
  enough: boolean;
  /** First close date read (`YYYY-MM-DD`). */
  since?: string;
  readAt?: string;
  /** While reading: deals read so far. */
  reading?: number;
  error?: string;
}

export function dealCheckOf(status: DealCacheStatus, deals: readonly ClosedDeal[] | undefined, minDeals = DEFAULT_THRESHOLDS.minDeals): DealCheck {
  const count = deals?.length ?? 0;
  const won = deals?.filter((d) => d.won).length ?? 0;
  const lost = count - won;
  return {
    state: status.state,
    count,
    won,
    lost,
    minDeals,
    minPerOutcome: MIN_PER_GROUP,
    enough: deals !== undefined && count >= minDeals && won >= MIN_PER_GROUP && lost >= MIN_PER_GROUP,
    ...(status.since === undefined ? {} : { since: status.since }),
    ...(status.readAt === undefined ? {} : { readAt: status.readAt }),
    ...(status.state === 'reading' ? { reading: status.count } : {}),
    ...(status.error === undefined ? {} : { error: status.error }),
  };
}
