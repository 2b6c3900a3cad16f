/**
 * The verdict of the model-health monitor on one set of deals, without I/O: the deals closed since the
 * model was published, scored with that model, give its AUC, the win rate of each tier and the lift of
 * the top tier (`evaluateModel`, as calibration computes them). Three warnings:
 * - `auc_below_threshold`: the score no longer separates won from lost deals well enough;
 * - `top_tier_not_winning`: the top tier wins no more often than the other tiers together;
 * - `rechallenge_due`: the model is older than its re-challenge period (`rechallengeDate`).
 * The first two need enough deals (both outcomes, enough in the top tier and outside it); with too few
 * the report says so and warns of nothing but age, so a quiet month never raises a false alarm.
 */
import type { ClosedDeal } from '../domain/calibration/deal.ts';
import { evaluateModel } from '../domain/calibration/model-fit.ts';
import { modelAgeDays, rechallengeDate } from '../domain/calibration/rechallenge.ts';
import type { Scorer } from '../domain/scorer.ts';

export interface ModelHealthThresholds {
  /** AUC under which the model is reported as no longer predicting wins. Default 0.6. */
  minAuc: number;
  /** Closed deals needed before AUC and tiers are judged. Default 30. */
  minDeals: number;
  /** Months from publication to re-challenge (6–12). Default 6. */
  rechallengeMonths: number;
}

export const DEFAULT_THRESHOLDS: ModelHealthThresholds = { minAuc: 0.6, minDeals: 30, rechallengeMonths: 6 };

/** Deals of each outcome, and in the top tier and outside it, below which no verdict is given. */
export const MIN_PER_GROUP = 5;

export type ModelHealthWarningCode = 'auc_below_threshold' | 'top_tier_not_winning' | 'rechallenge_due';

export interface ModelHealthWarning {
  code: ModelHealthWarningCode;
  message: string;
}

export interface TierHealth {
  tier: string;
  n: number;
  won: number;
  /** `null` when the tier holds no deal. */
  winRate: number | null;
}

export interface ModelHealthReport {
  crm: string;
  modelVersion: string;
  /** ISO time the model version was published. */
  publishedAt: string;
  /** `YYYY-MM-DD`: deals closed on or after this day were scored. */
  since: string;
  checkedAt: string;
  ageDays: number;
  /** `YYYY-MM-DD` by which the model must be re-challenged. */
  rechallengeBy: string;
  n: number;
  won: number;
  /** Whether there were enough deals to judge AUC and tiers. */
  enoughDeals: boolean;
  /** `null` when the deals are all won or all lost. */
  auc: number | null;
  tiers: TierHealth[];
  /** The model's top tier: its win rate, the others' together, and its lift over all deals. */
  topTier: { tier: string; n: number; winRate: number | null; othersWinRate: number | null; lift: number | null } | null;
  /** `ok`, `warning` (at least one warning) or `insufficient_data` (too few deals, no warning). */
  status: 'ok' | 'warning' | 'insufficient_data';
  warnings: ModelHealthWarning[];
  /** Plain-language remarks (why no verdict was given). */
  notes: string[];
}

export interface AssessInput {
  crm: string;
  scorer: Pick<Scorer, 'model' | 'score'>;
  deals: readonly ClosedDeal[];
  publishedAt: string;
  now: Date;
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;

export function assessModelHealth(input: AssessInput, thresholds: ModelHealthThresholds = DEFAULT_THRESHOLDS): ModelHealthReport {
  const { scorer, deals, now } = input;
  const model = scorer.model;
  const fit = evaluateModel(deals, scorer);
  const lost = fit.n - fit.won;
  const warnings: ModelHealthWarning[] = [];
  const notes: string[] = [];
  const since = input.publishedAt.slice(0, 10);
  const enoughDeals = fit.n >= thresholds.minDeals && fit.won >= MIN_PER_GROUP && lost >= MIN_PER_GROUP;
  if (!enoughDeals) {
    notes.push(
      `only ${fit.n} closed deal(s) since ${since} (${fit.won} won, ${lost} lost); at least ${thresholds.minDeals} with ${MIN_PER_GROUP} of each outcome are needed to judge the model`,
    );
  } else if (fit.auc !== undefined && fit.auc < thresholds.minAuc) {
    warnings.push({
      code: 'auc_below_threshold',
      message: `AUC ${fit.auc.toFixed(2)} on ${fit.n} deals closed since ${since} is below ${thresholds.minAuc}: the score no longer separates won from lost deals`,
    });
  }

  const tiers: TierHealth[] = fit.tiers.map((t) => ({ tier: t.tier, n: t.n, won: t.won, winRate: t.n === 0 ? null : t.winRate }));
  const top = [...model.tiers].sort((a, b) => b.min - a.min)[0];
  let topTier: ModelHealthReport['topTier'] = null;
  if (top !== undefined) {
    const inTop = fit.tiers.find((t) => t.tier === top.name);
    const n = inTop?.n ?? 0;
    const wonTop = inTop?.won ?? 0;
    const othersN = fit.n - n;
    const othersWon = fit.won - wonTop;
    const winRate = n === 0 ? null : wonTop / n;
    const othersWinRate = othersN === 0 ? null : othersWon / othersN;
    topTier = { tier: top.name, n, winRate, othersWinRate, lift: winRate === null || fit.won === 0 ? null : winRate / (fit.won / fit.n) };
    if (enoughDeals) {
      if (n < MIN_PER_GROUP || othersN < MIN_PER_GROUP) {
        notes.push(`tier ${top.name} holds ${n} of the ${fit.n} deals: too few ${n < MIN_PER_GROUP ? 'in it' : 'outside it'} to compare its win rate`);
      } else if (winRate !== null && othersWinRate !== null && winRate <= othersWinRate) {
        warnings.push({
          code: 'top_tier_not_winning',
          message: `tier ${top.name} wins ${pct(winRate)} of its ${n} deals, no more than the other tiers (${pct(othersWinRate)} of ${othersN})`,
        });
      }
    }
  }

  const rechallengeBy = rechallengeDate(input.publishedAt, thresholds.rechallengeMonths);
  const ageDays = modelAgeDays(input.publishedAt, now);
  if (now.toISOString().slice(0, 10) >= rechallengeBy) {
    warnings.push({
      code: 'rechallenge_due',
      message: `model ${model.version} was published ${ageDays} days ago: it was due for its re-challenge on ${rechallengeBy} (every ${thresholds.rechallengeMonths} months; run icp-sync calibrate on fresh deals)`,
    });
  }

  return {
    crm: input.crm,
    modelVersion: model.version,
    publishedAt: input.publishedAt,
    since,
    checkedAt: now.toISOString(),
    ageDays,
    rechallengeBy,
    n: fit.n,
    won: fit.won,
    enoughDeals,
    auc: fit.auc ?? null,
    tiers,
    topTier,
    status: warnings.length > 0 ? 'warning' : enoughDeals ? 'ok' : 'insufficient_data',
    warnings,
    notes,
  };
}

/** One line for logs, the CLI and the demo: `model 2026.12 (hubspot): AUC 0.71 on 240 deals…`. */
export function healthLine(r: ModelHealthReport): string {
  const head = `model ${r.modelVersion} (${r.crm}), published ${r.publishedAt.slice(0, 10)}, ${r.ageDays} days old, re-challenge by ${r.rechallengeBy}`;
  const figures = r.enoughDeals
    ? `AUC ${r.auc === null ? 'n/a' : r.auc.toFixed(2)} on ${r.n} deals closed since ${r.since}` +
      (r.topTier?.winRate != null ? `, tier ${r.topTier.tier} wins ${pct(r.topTier.winRate)}${r.topTier.othersWinRate != null ? ` vs ${pct(r.topTier.othersWinRate)}` : ''}` : '')
    : `${r.n} deal(s) closed since ${r.since}: too few to judge`;
  const verdict = r.warnings.length > 0 ? `WARNING: ${r.warnings.map((w) => w.message).join('; ')}` : r.status === 'ok' ? 'healthy' : 'no verdict yet';
  return `${head}: ${figures} — ${verdict}`;
}
