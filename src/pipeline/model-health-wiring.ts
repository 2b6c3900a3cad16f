/**
 * The model-health monitor as the runtime builds it: one closed-deal source per configured CRM (the
 * calibration reader, through the sync's connectors, mappings and shared rate limits) and thresholds
 * from the environment; and the reading `/metrics` serves from its snapshot.
 */
import type { Redis } from 'ioredis';
import { readClosedDealRows } from '../calibration/crm-deal-reader.ts';
import type { Env } from '../config/env.ts';
import type { CrmConnector } from '../connectors/port.ts';
import { rowsToDeals } from '../domain/calibration/account-row.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { Mappings } from '../mappings/types.ts';
import type { ModelHealthReading } from '../observability/metrics.ts';
import { createModelHealthMonitor, type ClosedDealSource, type ModelHealthMonitor, type ModelHealthSnapshot } from './model-health.ts';
import type { ModelHealthThresholds } from './model-health-check.ts';

export function thresholdsFromEnv(env: Env): ModelHealthThresholds {
  return { minAuc: env.MODEL_HEALTH_MIN_AUC, minDeals: env.MODEL_HEALTH_MIN_DEALS, rechallengeMonths: env.MODEL_RECHALLENGE_MONTHS };
}

export interface RuntimeModelHealthOptions {
  env: Env;
  redis: Redis;
  logger: Logger;
  connectors: ReadonlyMap<CrmName, CrmConnector>;
  /** Fixed, or a getter of the active mappings (they follow console saves). */
  mappings: Mappings | (() => Mappings);
  current(): { scorer: Scorer; publishedAt?: string };
  now?: () => Date;
  tickMs?: number;
}

export function createRuntimeModelHealth(o: RuntimeModelHealthOptions): ModelHealthMonitor {
  const sources = new Map<string, ClosedDealSource>();
  for (const [crm, connector] of o.connectors) {
    sources.set(crm, async (since, scorer) => {
      const read = await readClosedDealRows(
        {
          crm,
          connector,
          mappings: typeof o.mappings === 'function' ? o.mappings() : o.mappings,
          model: scorer.model,
          hubspotApiVersion: o.env.HUBSPOT_API_VERSION,
          ...(o.env.SALESFORCE_LOST_REASON_FIELD === undefined ? {} : { salesforceLostReasonField: o.env.SALESFORCE_LOST_REASON_FIELD }),
        },
        since,
      );
      return rowsToDeals(read.rows);
    });
  }
  return createModelHealthMonitor({
    redis: o.redis,
    prefix: o.env.REDIS_PREFIX,
    logger: o.logger,
    current: o.current,
    sources,
    thresholds: thresholdsFromEnv(o.env),
    intervalDays: o.env.MODEL_HEALTH_INTERVAL_DAYS,
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.tickMs === undefined ? {} : { tickMs: o.tickMs }),
  });
}

/** The gauges' view of a snapshot: the model's age, and per CRM the latest check of this version. */
export function healthReading(s: ModelHealthSnapshot): ModelHealthReading {
  return {
    ageDays: s.ageDays,
    crms: s.crms.flatMap((c) =>
      c.latest === null
        ? []
        : [{ crm: c.crm, auc: c.latest.enoughDeals ? c.latest.auc : null, deals: c.latest.n, tiers: c.latest.tiers.map((t) => ({ tier: t.tier, winRate: t.winRate })) }],
    ),
  };
}
