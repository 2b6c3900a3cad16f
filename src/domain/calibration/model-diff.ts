/**
 * A readable diff between the model in use and a suggested one. Criteria are paired by attribute;
 * weights are compared as shares of the total (the two models need not use the same scale).
 *
 * Each change carries its facts (`detail`) beside its English `text`, so a reader in another language
 * (the French ICP sheet) words the same facts with its own `DiffWords`; `changeText(detail)` with the
 * English words gives `text` back exactly.
 */
import type { Criterion, IcpModel, Matcher, RangeBand } from '../types.ts';
import { formatNumber } from './bucketing.ts';

/** One change inside a criterion's matcher. */
export type MatcherChange =
  | { kind: 'matcher'; before: Matcher; after: Matcher }
  | { kind: 'value-added'; value: string; points: number }
  | { kind: 'value-dropped'; value: string; was: number }
  | { kind: 'value-changed'; value: string; before: number; after: number }
  | { kind: 'other-values'; before: number; after: number };

/** The facts of one change, whatever the language it is told in. Shares are fractions of the score (0–1). */
export type ChangeDetail =
  | { kind: 'version'; before: string; after: string }
  | { kind: 'tiers'; before: string; after: string }
  | { kind: 'criterion-added'; attribute: string; share: number; match: Matcher }
  | { kind: 'criterion-changed'; attribute: string; weight?: { before: number; after: number }; matcher: MatcherChange[] }
  | { kind: 'criterion-removed'; attribute: string; share: number; why?: string }
  | { kind: 'role'; label: string; points?: { before: number; after: number }; required?: boolean; why: string };

export interface ModelChange {
  /** What changed: `version`, `tiers`, `criteria.industry`… */
  subject: string;
  change: 'added' | 'removed' | 'changed';
  /** The change in English. */
  text: string;
  /** Its facts, for other languages (absent on changes only ever told in English). */
  detail?: ChangeDetail;
}

/** The words a diff is told in. `reason` words a reason given by calibration (English as given). */
export interface DiffWords {
  /** A point value or a threshold: `0.45` / `0,45`. */
  points(n: number): string;
  /** A band bound: `1,000` / `1 000`. */
  bound(n: number): string;
  /** A share of the score: `45 %`. */
  share(x: number): string;
  /** `: ` in English, ` : ` in French. */
  colon: string;
  /** `; ` between the details of one change. */
  semicolon: string;
  version: string;
  tiers: string;
  weight: string;
  ofScore: string;
  newCriterion: string;
  dropped: (was: string) => string;
  added: string;
  otherValues: string;
  otherwise: string;
  bands: string;
  yes: string;
  no: string;
  kind: (kind: 'category' | 'prefix') => string;
  role: string;
  nowRequired: string;
  noLongerRequired: string;
  reason(text: string): string;
}

const numberText = (n: number): string => String(n);

export const ENGLISH_DIFF_WORDS: DiffWords = {
  points: numberText,
  bound: formatNumber,
  share: (x) => `${Math.round(x * 100)} %`,
  colon: ': ',
  semicolon: '; ',
  version: 'version',
  tiers: 'tiers',
  weight: 'weight',
  ofScore: 'of the score',
  newCriterion: 'new criterion',
  dropped: (was) => `dropped (was ${was})`,
  added: 'new',
  otherValues: 'other values',
  otherwise: 'otherwise',
  bands: 'bands',
  yes: 'yes',
  no: 'no',
  kind: (kind) => kind,
  role: 'role',
  nowRequired: 'now required',
  noLongerRequired: 'no longer required',
  reason: (text) => text,
};

function bandText(b: RangeBand, w: DiffWords): string {
  const range =
    b.min === undefined ? `≤ ${w.bound(b.max as number)}` : b.max === undefined ? `≥ ${w.bound(b.min)}` : `${w.bound(b.min)}–${w.bound(b.max)}`;
  return `${range}${w.colon}${w.points(b.points)}`;
}

/** One matcher in words: `category {"software": 1}, otherwise 0`, `bands 10–49: 0.5`, `yes 1, no 0`. */
export function matcherText(m: Matcher, w: DiffWords = ENGLISH_DIFF_WORDS): string {
  const otherwise = (d: number | undefined) => (d === undefined ? '' : `, ${w.otherwise} ${w.points(d)}`);
  switch (m.kind) {
    case 'category':
    case 'prefix': {
      const values = Object.entries(m.values).map(([k, v]) => `${JSON.stringify(k)}${w.colon}${w.points(v)}`);
      return `${w.kind(m.kind)} {${values.join(', ')}}${otherwise(m.default)}`;
    }
    case 'range':
      return `${w.bands} ${m.bands.map((b) => bandText(b, w)).join(' · ')}${otherwise(m.default)}`;
    case 'boolean':
      return `${w.yes} ${w.points(m.ifTrue ?? 1)}, ${w.no} ${w.points(m.ifFalse ?? 0)}`;
  }
}

function matcherChangeText(c: MatcherChange, w: DiffWords): string {
  switch (c.kind) {
    case 'matcher':
      return `${matcherText(c.before, w)} → ${matcherText(c.after, w)}`;
    case 'value-added':
      return `${JSON.stringify(c.value)} ${w.added}${w.colon}${w.points(c.points)}`;
    case 'value-dropped':
      return `${JSON.stringify(c.value)} ${w.dropped(w.points(c.was))}`;
    case 'value-changed':
      return `${JSON.stringify(c.value)} ${w.points(c.before)} → ${w.points(c.after)}`;
    case 'other-values':
      return `${w.otherValues} ${w.points(c.before)} → ${w.points(c.after)}`;
  }
}

/** One change in the given words (English by default: the change's `text`). */
export function changeText(d: ChangeDetail, w: DiffWords = ENGLISH_DIFF_WORDS): string {
  switch (d.kind) {
    case 'version':
      return `${w.version} ${d.before} → ${d.after}`;
    case 'tiers':
      return `${w.tiers} ${d.before} → ${d.after}`;
    case 'criterion-added':
      return `+ ${d.attribute}${w.colon}${w.newCriterion}, ${w.share(d.share)} ${w.ofScore}, ${matcherText(d.match, w)}`;
    case 'criterion-changed': {
      const details = [
        ...(d.weight === undefined ? [] : [`${w.weight} ${w.share(d.weight.before)} → ${w.share(d.weight.after)} ${w.ofScore}`]),
        ...d.matcher.map((c) => matcherChangeText(c, w)),
      ];
      return `~ ${d.attribute}${w.colon}${details.join(w.semicolon)}`;
    }
    case 'criterion-removed':
      return `- ${d.attribute}${w.colon}${w.dropped(`${w.share(d.share)} ${w.ofScore}`)}${d.why === undefined ? '' : `${w.colon}${w.reason(d.why)}`}`;
    case 'role': {
      const parts = [
        ...(d.points === undefined ? [] : [`points ${w.points(d.points.before)} → ${w.points(d.points.after)}`]),
        ...(d.required === undefined ? [] : [d.required ? w.nowRequired : w.noLongerRequired]),
      ];
      return `${w.role} ${d.label}${w.colon}${parts.join(', ')} (${w.reason(d.why)})`;
    }
  }
}

/** A change built from its facts: the English text is the facts in English words. */
export function changeOf(subject: string, change: ModelChange['change'], detail: ChangeDetail): ModelChange {
  return { subject, change, text: changeText(detail), detail };
}

function matcherChanges(before: Matcher, after: Matcher): MatcherChange[] {
  if (before.kind !== after.kind || before.kind === 'range' || before.kind === 'boolean') {
    return matcherText(before) === matcherText(after) ? [] : [{ kind: 'matcher', before, after }];
  }
  const out: MatcherChange[] = [];
  const av = after as typeof before;
  const keys = new Set([...Object.keys(before.values), ...Object.keys(av.values)]);
  for (const k of keys) {
    const x = before.values[k];
    const y = av.values[k];
    if (x === y) continue;
    if (x === undefined) out.push({ kind: 'value-added', value: k, points: y as number });
    else if (y === undefined) out.push({ kind: 'value-dropped', value: k, was: x });
    else out.push({ kind: 'value-changed', value: k, before: x, after: y });
  }
  if ((before.default ?? 0) !== (av.default ?? 0)) out.push({ kind: 'other-values', before: before.default ?? 0, after: av.default ?? 0 });
  return out;
}

function totalWeight(m: IcpModel): number {
  return m.criteria.reduce((s, c) => s + c.weight, 0) || 1;
}

/**
 * @param why reasons, by attribute, for criteria the suggestion left out (shown on dropped criteria).
 */
export function diffModels(before: IcpModel, after: IcpModel, why: ReadonlyMap<string, string> = new Map()): ModelChange[] {
  const out: ModelChange[] = [];
  if (before.version !== after.version) {
    out.push(changeOf('version', 'changed', { kind: 'version', before: before.version, after: after.version }));
  }
  const tiersText = (m: IcpModel): string =>
    [...m.tiers]
      .sort((a, b) => b.min - a.min)
      .map((t) => `${t.name} ≥ ${t.min}`)
      .join(', ');
  if (tiersText(before) !== tiersText(after)) {
    out.push(changeOf('tiers', 'changed', { kind: 'tiers', before: tiersText(before), after: tiersText(after) }));
  }
  const wb = totalWeight(before);
  const wa = totalWeight(after);
  const byAttr = (m: IcpModel): Map<string, Criterion> => new Map(m.criteria.map((c) => [c.attribute, c]));
  const b = byAttr(before);
  const a = byAttr(after);
  for (const c of after.criteria) {
    const old = b.get(c.attribute);
    const subject = `criteria.${c.attribute}`;
    if (old === undefined) {
      out.push(changeOf(subject, 'added', { kind: 'criterion-added', attribute: c.attribute, share: c.weight / wa, match: c.match }));
      continue;
    }
    // Compared as whole percents: a change under half a point of the score is no change.
    const sb = Math.round((100 * old.weight) / wb);
    const sa = Math.round((100 * c.weight) / wa);
    const matcher = matcherChanges(old.match, c.match);
    if (sb !== sa || matcher.length > 0) {
      out.push(
        changeOf(subject, 'changed', { kind: 'criterion-changed', attribute: c.attribute, ...(sb === sa ? {} : { weight: { before: sb / 100, after: sa / 100 } }), matcher }),
      );
    }
  }
  for (const c of before.criteria) {
    if (!a.has(c.attribute)) {
      const reason = why.get(c.attribute);
      out.push(changeOf(`criteria.${c.attribute}`, 'removed', { kind: 'criterion-removed', attribute: c.attribute, share: c.weight / wb, ...(reason === undefined ? {} : { why: reason }) }));
    }
  }
  return out;
}
