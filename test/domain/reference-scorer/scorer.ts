// Frozen copy of src/domain/scorer.ts as of commit 8402282, kept only as the oracle of
// reference-scorer.test.ts: the optimised scorer must give deep-equal results. Never edit it.
/**
 * The exact scoring of PRODUCT.md §2. `compileModel` does all model-side work once (normalised
 * lookup tables, prefixes by length, tiers by score) so that `score` only reads the account.
 */
import { type CompiledMatcher, compileMatcher, MISSING, pointsOf } from './matchers.ts';
import type { Attributes, ExclusionHit, IcpModel, Reason, ReasonStatus, ScoreResult } from '../../../src/domain/types.ts';

export interface Scorer {
  readonly model: IcpModel;
  /** W: the sum of all criteria weights. */
  readonly totalWeight: number;
  /** Every tag the model can emit, in model order, without duplicates. */
  readonly tags: readonly string[];
  /** The tier names in model order, then `excludedTier`: every value the tier field can take. */
  readonly tierNames: readonly string[];
  /** Scores one account from its attributes (snake_case name → value as read). Pure and synchronous. */
  score(attrs: Attributes): ScoreResult;
}

interface CompiledCriterion {
  readonly id: string;
  readonly label: string;
  readonly attribute: string;
  readonly weight: number;
  readonly tag: string | undefined;
  readonly tagAt: number;
  readonly matcher: CompiledMatcher;
}

interface CompiledExclusion {
  readonly id: string;
  readonly reason: string;
  readonly attribute: string;
  readonly matcher: CompiledMatcher;
}

/** Half-up rounding to 1/`scale`; the 1e-9 absorbs binary noise so that 0.285 rounds to 0.29. */
function roundHalfUp(x: number, scale: number): number {
  return Math.floor(x * scale + 0.5 + 1e-9) / scale;
}

function statusOf(points: number): ReasonStatus {
  if (points >= 1) return 'match';
  return points > 0 ? 'partial' : 'miss';
}

const NO_TAGS: readonly string[] = Object.freeze([]);
const NO_EXCLUSIONS: readonly ExclusionHit[] = Object.freeze([]);

/** Compiles a validated model (see `parseModel`) into a reusable scorer. */
export function compileModel(model: IcpModel): Scorer {
  const criteria: CompiledCriterion[] = model.criteria.map((c) => ({
    id: c.id,
    label: c.label,
    attribute: c.attribute,
    weight: c.weight,
    tag: c.tag,
    tagAt: c.tagAt,
    matcher: compileMatcher(c.match),
  }));
  const exclusions: CompiledExclusion[] = model.exclusions.map((e) => ({
    id: e.id,
    reason: e.reason,
    attribute: e.attribute,
    matcher: compileMatcher(e.match),
  }));
  let totalWeight = 0;
  for (const c of criteria) totalWeight += c.weight;
  if (!(totalWeight > 0 && Number.isFinite(totalWeight))) {
    // Only a model that skipped parseModel can get here; scoring it would give NaN everywhere.
    throw new RangeError(`model ${model.version}: the criteria weights must add up to a finite number above 0`);
  }
  const tags = [...new Set(criteria.flatMap((c) => (c.tag === undefined ? [] : [c.tag])))];
  const byMinDesc = [...model.tiers].sort((a, b) => b.min - a.min);
  // The score is an integer 0..100: one lookup replaces the search for "highest min ≤ score".
  const tierByScore: string[] = [];
  for (let s = 0; s <= 100; s++) tierByScore.push(byMinDesc.find((t) => t.min <= s)?.name ?? model.excludedTier);
  const tierNames = [...model.tiers.map((t) => t.name), model.excludedTier];
  const n = criteria.length;
  const W = totalWeight;

  // Scratch space reused by every call (scoring is synchronous): the loop allocates only the result.
  const pointsScratch = new Float64Array(n);
  const contributionScratch = new Float64Array(n);
  const order = new Int32Array(n);
  const valueScratch: unknown[] = new Array<unknown>(n).fill(undefined);

  function score(attrs: Attributes): ScoreResult {
    let hits: ExclusionHit[] | undefined;
    for (const e of exclusions) {
      const value = attrs[e.attribute];
      if (pointsOf(e.matcher, value) > 0) (hits ??= []).push({ id: e.id, reason: e.reason, value });
    }
    let sum = 0;
    let present = 0;
    let tagged: string[] | undefined;
    for (let i = 0; i < n; i++) {
      const c = criteria[i] as CompiledCriterion;
      const value = attrs[c.attribute];
      const p = pointsOf(c.matcher, value);
      valueScratch[i] = value;
      pointsScratch[i] = p;
      if (p === MISSING) {
        contributionScratch[i] = 0;
        continue;
      }
      sum += c.weight * p;
      present += c.weight;
      contributionScratch[i] = roundHalfUp((100 * c.weight * p) / W, 10);
      if (c.tag !== undefined && p >= c.tagAt && hits === undefined) {
        if (tagged === undefined) tagged = [c.tag];
        else if (!tagged.includes(c.tag)) tagged.push(c.tag);
      }
    }
    // Stable insertion sort of the indices by contribution, descending: ties keep criteria order.
    for (let i = 0; i < n; i++) {
      const x = contributionScratch[i] as number;
      let j = i - 1;
      while (j >= 0 && (contributionScratch[order[j] as number] as number) < x) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = i;
    }
    const reasons: Reason[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      const c = criteria[i] as CompiledCriterion;
      const p = pointsScratch[i] as number;
      reasons.push(
        p === MISSING
          ? { criterion: c.id, label: c.label, value: null, points: 0, contribution: 0, status: 'missing' }
          : { criterion: c.id, label: c.label, value: valueScratch[i], points: p, contribution: contributionScratch[i] as number, status: statusOf(p) },
      );
      valueScratch[i] = undefined;
    }
    const completeness = roundHalfUp(present / W, 100);
    if (hits !== undefined) {
      return { score: 0, tier: model.excludedTier, excluded: true, exclusions: hits, completeness, tags: NO_TAGS, reasons };
    }
    const total = Math.min(100, Math.max(0, Math.floor((100 * sum) / W + 0.5 + 1e-9)));
    return {
      score: total,
      tier: tierByScore[total] as string,
      excluded: false,
      exclusions: NO_EXCLUSIONS,
      completeness,
      tags: tagged ?? NO_TAGS,
      reasons,
    };
  }

  return { model, totalWeight, tags, tierNames, score };
}
