/**
 * What a draft model would do to real records, before it is published (issue 12: the console's
 * what-if preview): both models score the same sample; the result compares tiers, lists the records
 * that move most, completeness, and, given closed deals, how well each model ranks won above lost.
 * Pure: the sample and the deals are read elsewhere.
 */
import { auc } from './calibration/roc.ts';
import type { ClosedDeal } from './calibration/deal.ts';
import { reasonsText } from './reasons-text.ts';
import type { Scorer } from './scorer.ts';
import type { Attributes, ScoreResult } from './types.ts';

export interface WhatIfRecord {
  id: string;
  /** Shown beside the id (company name), when known. */
  name?: string;
  attributes: Attributes;
  /** The attributes the draft sees when they differ (a mapping preview); default `attributes`. */
  draftAttributes?: Attributes;
}

export interface WhatIfInput {
  current: Scorer;
  draft: Scorer;
  records: readonly WhatIfRecord[];
  /** Closed deals with their accounts' attributes: adds the `deals` comparison. */
  deals?: readonly ClosedDeal[];
  /** How many movers to list (default 20). */
  top?: number;
}

export interface TierCount {
  tier: string;
  count: number;
  /** count / records, 0..1. */
  share: number;
}

export interface WhatIfSide {
  score: number;
  tier: string;
  excluded: boolean;
  completeness: number;
  /** As written to the CRM: `+20 Effectif: 140 · 0 Pays: IT`. */
  reasons: string;
}

export interface WhatIfMover {
  id: string;
  name?: string;
  current: WhatIfSide;
  draft: WhatIfSide;
  /** draft.score − current.score. */
  delta: number;
}

export interface DealSideStats {
  /** Area under the ROC curve of the score on the deals; null when all are won or all lost. */
  auc: number | null;
  /** The model's best tier (highest `min`). */
  topTier: string;
  /** Deals whose account lands in that tier. */
  topTierDeals: number;
  /** Won share among them; null when none lands there. */
  topTierWinRate: number | null;
}

export interface WhatIfResult {
  records: number;
  /** Every tier name of either model (best first, excluded tier last) : the rows and columns of `moves`. */
  tierOrder: string[];
  tiers: { current: TierCount[]; draft: TierCount[] };
  /** moves[from][to] = records in tier `from` now and `to` with the draft (diagonal: unmoved). */
  moves: Record<string, Record<string, number>>;
  /** Records whose tier changes. */
  tierChanges: number;
  /** Records whose score changes. */
  scoreChanges: number;
  /** The records that move most: tier changes first, then the largest |delta|, then id. */
  movers: WhatIfMover[];
  averageScore: { current: number; draft: number };
  averageCompleteness: { current: number; draft: number };
  deals?: { count: number; won: number; current: DealSideStats; draft: DealSideStats };
}

function side(r: ScoreResult): WhatIfSide {
  return { score: r.score, tier: r.tier, excluded: r.excluded, completeness: r.completeness, reasons: reasonsText(r) };
}

/** Tiers best first (highest `min`), then the excluded tier. */
function tierNames(s: Scorer): string[] {
  const ordered = [...s.model.tiers].sort((a, b) => b.min - a.min).map((t) => t.name);
  return [...ordered, s.model.excludedTier];
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function counts(order: readonly string[], byTier: ReadonlyMap<string, number>, total: number): TierCount[] {
  return order.flatMap((tier) => {
    const count = byTier.get(tier) ?? 0;
    return count === 0 && !byTier.has(tier) ? [] : [{ tier, count, share: total === 0 ? 0 : round(count / total, 4) }];
  });
}

function dealStats(scorer: Scorer, deals: readonly ClosedDeal[]): DealSideStats {
  const top = [...scorer.model.tiers].sort((a, b) => b.min - a.min)[0]?.name ?? '';
  const scored = deals.map((d) => ({ r: scorer.score(d.attributes), won: d.won }));
  const a = auc(scored.map((x) => ({ score: x.r.score, won: x.won })));
  const inTop = scored.filter((x) => x.r.tier === top);
  const wonTop = inTop.filter((x) => x.won).length;
  return {
    auc: a === undefined ? null : round(a, 4),
    topTier: top,
    topTierDeals: inTop.length,
    topTierWinRate: inTop.length === 0 ? null : round(wonTop / inTop.length, 4),
  };
}

export function whatIf(input: WhatIfInput): WhatIfResult {
  const { current, draft, records } = input;
  const top = input.top ?? 20;
  const order = [...new Set([...tierNames(current), ...tierNames(draft)])];
  const moves: Record<string, Record<string, number>> = {};
  for (const from of order) moves[from] = Object.fromEntries(order.map((to) => [to, 0]));
  const before = new Map<string, number>(tierNames(current).map((t) => [t, 0]));
  const after = new Map<string, number>(tierNames(draft).map((t) => [t, 0]));
  let sumBefore = 0;
  let sumAfter = 0;
  let complBefore = 0;
  let complAfter = 0;
  let tierChanges = 0;
  let scoreChanges = 0;
  // Candidates for the movers list: kept as indices with their results, reasons written only for the top few.
  const moved: Array<{ i: number; a: ScoreResult; b: ScoreResult; tierMoved: boolean; delta: number }> = [];
  for (let i = 0; i < records.length; i++) {
    const rec = records[i] as WhatIfRecord;
    const a = current.score(rec.attributes);
    const b = draft.score(rec.draftAttributes ?? rec.attributes);
    before.set(a.tier, (before.get(a.tier) ?? 0) + 1);
    after.set(b.tier, (after.get(b.tier) ?? 0) + 1);
    const row = moves[a.tier] as Record<string, number>;
    row[b.tier] = (row[b.tier] ?? 0) + 1;
    sumBefore += a.score;
    sumAfter += b.score;
    complBefore += a.completeness;
    complAfter += b.completeness;
    const tierMoved = a.tier !== b.tier;
    if (tierMoved) tierChanges++;
    if (a.score !== b.score) scoreChanges++;
    if (tierMoved || a.score !== b.score) moved.push({ i, a, b, tierMoved, delta: b.score - a.score });
  }
  moved.sort(
    (x, y) =>
      Number(y.tierMoved) - Number(x.tierMoved) ||
      Math.abs(y.delta) - Math.abs(x.delta) ||
      ((records[x.i] as WhatIfRecord).id < (records[y.i] as WhatIfRecord).id ? -1 : 1),
  );
  const movers = moved.slice(0, top).map(({ i, a, b, delta }): WhatIfMover => {
    const rec = records[i] as WhatIfRecord;
    return { id: rec.id, ...(rec.name === undefined ? {} : { name: rec.name }), current: side(a), draft: side(b), delta };
  });
  const n = records.length;
  const result: WhatIfResult = {
    records: n,
    tierOrder: order,
    tiers: { current: counts(order, before, n), draft: counts(order, after, n) },
    moves,
    tierChanges,
    scoreChanges,
    movers,
    averageScore: { current: n === 0 ? 0 : round(sumBefore / n, 2), draft: n === 0 ? 0 : round(sumAfter / n, 2) },
    averageCompleteness: { current: n === 0 ? 0 : round(complBefore / n, 4), draft: n === 0 ? 0 : round(complAfter / n, 4) },
  };
  if (input.deals !== undefined && input.deals.length > 0) {
    result.deals = {
      count: input.deals.length,
      won: input.deals.filter((d) => d.won).length,
      current: dealStats(current, input.deals),
      draft: dealStats(draft, input.deals),
    };
  }
  return result;
}
