/**
 * The exact scoring of PRODUCT.md §2. `compileModel` does all model-side work once (normalised
 * lookup tables, prefixes by length, tiers by score) so that `score` only reads the account.
 */
import { compileAttributeReader } from './attribute-reader.ts';
import { type CompiledMatcher, compileMatcher, MISSING, pointsOf } from './matchers.ts';
import type { Attributes, ExclusionHit, IcpModel, Reason, ReasonStatus, ScoreResult } from './types.ts';

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
  /** 1 << (index of `tag` in the scorer's tags) when there are at most 31 tags, else 0. */
  readonly tagBit: number;
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
  const tags = [...new Set(model.criteria.flatMap((c) => (c.tag === undefined ? [] : [c.tag])))];
  // Tags deduplicated with a bit mask; a model with more tags than bits falls back to a search.
  const tagBits = tags.length <= 31;
  const criteria: CompiledCriterion[] = model.criteria.map((c) => ({
    id: c.id,
    label: c.label,
    attribute: c.attribute,
    weight: c.weight,
    tag: c.tag,
    tagBit: c.tag !== undefined && tagBits ? 1 << tags.indexOf(c.tag) : 0,
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
  const byMinDesc = [...model.tiers].sort((a, b) => b.min - a.min);
  // The score is an integer 0..100: one lookup replaces the search for "highest min ≤ score".
  const tierByScore: string[] = [];
  for (let s = 0; s <= 100; s++) tierByScore.push(byMinDesc.find((t) => t.min <= s)?.name ?? model.excludedTier);
  const tierNames = [...model.tiers.map((t) => t.name), model.excludedTier];
  const n = criteria.length;
  const ne = exclusions.length;
  const W = totalWeight;

  // Exclusions' attributes first, then the criteria's: the order in which the account is read.
  const readAttributes = compileAttributeReader([...exclusions.map((e) => e.attribute), ...criteria.map((c) => c.attribute)]);
  // Scratch space reused by every call (scoring is synchronous): the loop allocates only the result.
  const values: unknown[] = new Array<unknown>(ne + n).fill(undefined);
  const pointsScratch = new Float64Array(n);
  /** Contributions in tenths (an integer): what the reasons are sorted by. */
  const tenthsScratch = new Float64Array(n);
  const order = new Int32Array(n);
  const tagScratch: string[] = new Array<string>(tags.length).fill('');

  // A loop rather than \`slice\`, which is a builtin call that TurboFan does not inline here.
  function takeTags(count: number): string[] {
    const out = new Array<string>(count);
    for (let k = 0; k < count; k++) out[k] = tagScratch[k] as string;
    return out;
  }

  function score(attrs: Attributes): ScoreResult {
    readAttributes(attrs, values);
    let hits: ExclusionHit[] | undefined;
    for (let j = 0; j < ne; j++) {
      const e = exclusions[j] as CompiledExclusion;
      const value = values[j];
      if (pointsOf(e.matcher, value) > 0) (hits ??= []).push({ id: e.id, reason: e.reason, value });
    }
    let sum = 0;
    let present = 0;
    let tagCount = 0;
    let tagMask = 0;
    for (let i = 0; i < n; i++) {
      const c = criteria[i] as CompiledCriterion;
      const p = pointsOf(c.matcher, values[ne + i]);
      pointsScratch[i] = p;
      if (p === MISSING) {
        tenthsScratch[i] = 0;
        continue;
      }
      sum += c.weight * p;
      present += c.weight;
      // roundHalfUp(x, 10) is exactly tenths / 10: the same expression, the division left for later.
      tenthsScratch[i] = Math.floor(((100 * c.weight * p) / W) * 10 + 0.5 + 1e-9);
      if (c.tag !== undefined && p >= c.tagAt && hits === undefined) {
        if (c.tagBit !== 0) {
          if ((tagMask & c.tagBit) === 0) {
            tagMask |= c.tagBit;
            tagScratch[tagCount++] = c.tag;
          }
        } else if (!tagScratch.slice(0, tagCount).includes(c.tag)) {
          tagScratch[tagCount++] = c.tag;
        }
      }
    }
    // Stable insertion sort of the indices by contribution, descending: ties keep criteria order.
    for (let i = 0; i < n; i++) {
      const x = tenthsScratch[i] as number;
      let j = i - 1;
      while (j >= 0 && (tenthsScratch[order[j] as number] as number) < x) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = i;
    }
    // Sized once and filled by index: \`push\` is not inlined in this function and showed in profiles.
    const reasons = new Array<Reason>(n);
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      const c = criteria[i] as CompiledCriterion;
      const p = pointsScratch[i] as number;
      const missing = p === MISSING;
      // One literal, fields always in this order: every reason gets the same hidden class.
      reasons[k] = {
        criterion: c.id,
        label: c.label,
        value: missing ? null : values[ne + i],
        points: missing ? 0 : p,
        contribution: (tenthsScratch[i] as number) / 10,
        status: missing ? 'missing' : statusOf(p),
      };
    }
    for (let k = 0; k < values.length; k++) values[k] = undefined;
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
      tags: tagCount === 0 ? NO_TAGS : takeTags(tagCount),
      reasons,
    };
  }

  return { model, totalWeight, tags, tierNames, score };
}
