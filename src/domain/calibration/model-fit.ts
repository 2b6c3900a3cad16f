/**
 * How well a model separates won from lost on a set of deals: win rate per tier, AUC and ROC curve
 * of the score, lift of the top tier, and a calibration table (win rate per 10-point score band).
 */
import type { Scorer } from '../scorer.ts';
import type { ClosedDeal } from './deal.ts';
import { auc, rocCurve, type RocPoint } from './roc.ts';
import { wilsonInterval, type Interval } from './statistics.ts';

export interface TierStats {
  tier: string;
  label: string | undefined;
  /** The tier's minimum score; `undefined` for the excluded tier. */
  min: number | undefined;
  n: number;
  /** Share of the deals in this tier. */
  share: number;
  won: number;
  winRate: number;
  interval: Interval;
  lift: number | undefined;
}

export interface ScoreBandStats {
  /** `0–9`, `10–19`, …, `90–100`. */
  label: string;
  from: number;
  to: number;
  n: number;
  won: number;
  winRate: number;
  interval: Interval;
  meanScore: number;
}

export interface ModelFit {
  n: number;
  won: number;
  baseRate: number;
  /** `undefined` when the deals are all won or all lost. */
  auc: number | undefined;
  roc: RocPoint[];
  /** Model tiers from the highest minimum down, then the excluded tier when any deal is excluded. */
  tiers: TierStats[];
  /** The highest tier holding deals, and its win rate over the base rate. */
  /** The model's top tier, `undefined` when it holds nobody (`emptyTopTier` then names it). */
  topTier: { tier: string; lift: number | undefined } | undefined;
  emptyTopTier?: string;
  calibration: ScoreBandStats[];
}

export function evaluateModel(deals: readonly ClosedDeal[], scorer: Pick<Scorer, 'model' | 'score'>): ModelFit {
  const model = scorer.model;
  const scored = deals.map((d) => {
    const r = scorer.score(d.attributes);
    return { score: r.score, tier: r.tier, won: d.won };
  });
  const n = scored.length;
  const won = scored.filter((s) => s.won).length;
  const baseRate = n === 0 ? 0 : won / n;
  const lift = (rate: number): number | undefined => (baseRate > 0 ? rate / baseRate : undefined);

  const byTier = new Map<string, { n: number; won: number }>();
  for (const s of scored) {
    const t = byTier.get(s.tier) ?? { n: 0, won: 0 };
    t.n++;
    if (s.won) t.won++;
    byTier.set(s.tier, t);
  }
  const ordered: { tier: string; label: string | undefined; min: number | undefined }[] = [...model.tiers]
    .sort((a, b) => b.min - a.min)
    .map((t) => ({ tier: t.name, label: t.label, min: t.min }));
  if (byTier.has(model.excludedTier)) ordered.push({ tier: model.excludedTier, label: 'excluded', min: undefined });
  const tiers: TierStats[] = ordered.map((t) => {
    const c = byTier.get(t.tier) ?? { n: 0, won: 0 };
    const winRate = c.n === 0 ? 0 : c.won / c.n;
    return { ...t, n: c.n, share: n === 0 ? 0 : c.n / n, won: c.won, winRate, interval: wilsonInterval(c.won, c.n), lift: lift(winRate) };
  });
  // The model's top tier only: when it holds nobody, saying "top tier C" would mislead.
  const first = tiers[0];
  const top = first !== undefined && first.min !== undefined && first.n > 0 ? first : undefined;

  const calibration: ScoreBandStats[] = [];
  for (let from = 0; from < 100; from += 10) {
    const to = from === 90 ? 100 : from + 9;
    const inBand = scored.filter((s) => s.score >= from && s.score <= to);
    if (inBand.length === 0) continue;
    const w = inBand.filter((s) => s.won).length;
    calibration.push({
      label: `${from}–${to}`,
      from,
      to,
      n: inBand.length,
      won: w,
      winRate: w / inBand.length,
      interval: wilsonInterval(w, inBand.length),
      meanScore: inBand.reduce((sum, s) => sum + s.score, 0) / inBand.length,
    });
  }

  return {
    n,
    won,
    baseRate,
    auc: auc(scored),
    roc: rocCurve(scored),
    tiers,
    topTier: top === undefined ? undefined : { tier: top.tier, lift: top.lift },
    ...(top === undefined && first !== undefined && n > 0 ? { emptyTopTier: first.tier } : {}),
    calibration,
  };
}
