/**
 * The demo's model-health lines. The re-challenge monitor judges a model on the deals closed since it
 * was published; the demo's model is published as the demo starts, and the sandbox's closed deals are
 * all older, so the monitor rightly has nothing to judge yet. The demo says so, then scores the same
 * model, with the monitor's own rules and thresholds, on the deals the sandbox closed in a stated window
 * before publication — a backtest, labelled as one. The publication date is never moved.
 */
import { readClosedDealRows } from '../calibration/crm-deal-reader.ts';
import { sinceDate } from '../calibration/since.ts';
import { rowsToDeals } from '../domain/calibration/account-row.ts';
import { compileModel } from '../domain/scorer.ts';
import type { CrmName } from '../errors.ts';
import type { RunningService } from '../http/service.ts';
import type { Mappings } from '../mappings/types.ts';
import { assessModelHealth, healthLine, MIN_PER_GROUP, type ModelHealthReport, type ModelHealthThresholds } from '../pipeline/model-health-check.ts';
import { DemoError } from './demo-error.ts';

/** The backtest window: the longest re-challenge period, so every deal a 6–12-month re-challenge would use. */
export const BACKTEST_MONTHS = 12;

const pct = (x: number): string => `${Math.round(x * 100)} %`;

export interface DemoModelHealth {
  /** The monitor's check, as the running service made and stored it (deals closed since publication). */
  sincePublication: ModelHealthReport;
  /** The same model and rules on the deals closed in `window` (before publication). */
  backtest: ModelHealthReport;
  /** Closed on or after `from`, before `to` (the publication day). */
  window: { from: string; to: string; months: number };
  /** The monitor's thresholds. */
  thresholds: ModelHealthThresholds;
}

export async function demoModelHealth(input: { service: RunningService; crm: CrmName; mappings: Mappings; now: Date }): Promise<DemoModelHealth> {
  const { service, crm, now } = input;
  const monitor = service.runtime.modelHealth;
  const connector = service.runtime.connectors.get(crm);
  if (monitor === undefined || connector === undefined) throw new DemoError('the service started without its model-health monitor');
  const { reports } = await monitor.check({ crms: [crm] });
  const sincePublication = reports.find((r) => r.crm === crm);
  if (sincePublication === undefined) throw new DemoError(`the model-health check of ${crm} could not read the sandbox's deals (see the log)`);
  const { thresholds } = await monitor.snapshot();

  const from = sinceDate(`${BACKTEST_MONTHS}m`, now) ?? now.toISOString().slice(0, 10);
  const { env } = service;
  const read = await readClosedDealRows(
    {
      crm,
      connector,
      mappings: input.mappings,
      model: service.runtime.activeModel().model,
      hubspotApiVersion: env.HUBSPOT_API_VERSION,
      ...(env.SALESFORCE_LOST_REASON_FIELD === undefined ? {} : { salesforceLostReasonField: env.SALESFORCE_LOST_REASON_FIELD }),
    },
    from,
  );
  const scorer = compileModel(service.runtime.activeModel().model);
  const published = sincePublication.publishedAt.slice(0, 10);
  // Deals closed from publication on are the monitor's: the backtest keeps to the ones before.
  const deals = rowsToDeals(read.rows).filter((d) => d.closeDate !== undefined && d.closeDate < published);
  // The real publication time: only the deals and the `since` of the figures differ from the monitor's check.
  const backtest = assessModelHealth({ crm, scorer, deals, publishedAt: sincePublication.publishedAt, now }, thresholds);
  return { sincePublication, backtest: { ...backtest, since: from }, window: { from, to: published, months: BACKTEST_MONTHS }, thresholds };
}

/** What the monitor's rules say of the backtest figures (age aside: that is the monitor line's). */
function backtestVerdict(r: ModelHealthReport, minAuc: number): string {
  if (!r.enoughDeals) return 'too few deals to judge';
  const auc = r.warnings.some((w) => w.code === 'auc_below_threshold') ? `AUC under ${minAuc}` : `AUC ≥ ${minAuc}`;
  const top = r.topTier;
  if (top === null) return auc;
  const compared = top.n >= MIN_PER_GROUP && r.n - top.n >= MIN_PER_GROUP;
  const tier = !compared
    ? `too few deals in tier ${top.tier} to compare it`
    : r.warnings.some((w) => w.code === 'top_tier_not_winning')
      ? `tier ${top.tier} not ahead of the others`
      : `tier ${top.tier} ahead of the others`;
  const warns = r.warnings.some((w) => w.code !== 'rechallenge_due');
  return `${warns ? 'the monitor would warn' : 'the monitor would not warn'}: ${auc}, ${tier}`;
}

/** The monitor's check in a few words; its own full line once it has something to judge. */
function monitorLine(r: ModelHealthReport, minDeals: number): string {
  if (r.enoughDeals) return `since publication: ${healthLine(r)}`;
  const age = r.warnings.some((w) => w.code === 'rechallenge_due') ? `re-challenge overdue since ${r.rechallengeBy}` : `re-challenge by ${r.rechallengeBy}`;
  return `since publication ${r.publishedAt.slice(0, 10)}: ${r.n} deal(s) closed — too few to judge (${minDeals} needed), no alarm; ${age}`;
}

/**
 * The monitor's own verdict since publication, then the backtest (AUC, win rate per tier with its
 * deals, the verdict), labelled as such.
 */
export function modelHealthLines(h: DemoModelHealth): string[] {
  const b = h.backtest;
  const tiers = b.tiers.map((t) => `${t.tier} ${t.winRate === null ? '–' : pct(t.winRate)} (${t.n})`).join(', ');
  return [
    monitorLine(h.sincePublication, h.thresholds.minDeals),
    `backtest on the ${b.n} deals closed in the ${h.window.months} months before (${h.window.from} → ${h.window.to}), CRM fields only, as the monitor reads them:`,
    `  AUC ${b.auc === null ? 'n/a' : b.auc.toFixed(2)}, ${b.won} won; win rate by tier (deals): ${tiers}`,
    `  ${backtestVerdict(b, h.thresholds.minAuc)}`,
  ];
}
