/**
 * A readable diff between the model in use and a suggested one. Criteria are paired by attribute;
 * weights are compared as shares of the total (the two models need not use the same scale).
 */
import type { Criterion, IcpModel, Matcher, RangeBand } from '../types.ts';
import { formatNumber } from './bucketing.ts';

export interface ModelChange {
  /** What changed: `version`, `tiers`, `criteria.industry`… */
  subject: string;
  change: 'added' | 'removed' | 'changed';
  text: string;
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

function bandText(b: RangeBand): string {
  const range =
    b.min === undefined ? `≤ ${formatNumber(b.max as number)}` : b.max === undefined ? `≥ ${formatNumber(b.min)}` : `${formatNumber(b.min)}–${formatNumber(b.max)}`;
  return `${range}: ${b.points}`;
}

/** One matcher in words: `category {"software": 1}, otherwise 0`, `bands 10–49: 0.5`, `yes 1, no 0`. */
export function matcherText(m: Matcher): string {
  switch (m.kind) {
    case 'category':
    case 'prefix': {
      const values = Object.entries(m.values).map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
      return `${m.kind} {${values.join(', ')}}${m.default === undefined ? '' : `, otherwise ${m.default}`}`;
    }
    case 'range':
      return `bands ${m.bands.map(bandText).join(' · ')}${m.default === undefined ? '' : `, otherwise ${m.default}`}`;
    case 'boolean':
      return `yes ${m.ifTrue ?? 1}, no ${m.ifFalse ?? 0}`;
  }
}

function matcherChanges(before: Matcher, after: Matcher): string[] {
  if (before.kind !== after.kind || before.kind === 'range' || before.kind === 'boolean') {
    const a = matcherText(before);
    const b = matcherText(after);
    return a === b ? [] : [`${a} → ${b}`];
  }
  const out: string[] = [];
  const av = after as typeof before;
  const keys = new Set([...Object.keys(before.values), ...Object.keys(av.values)]);
  for (const k of keys) {
    const x = before.values[k];
    const y = av.values[k];
    if (x === y) continue;
    if (x === undefined) out.push(`${JSON.stringify(k)} new: ${y}`);
    else if (y === undefined) out.push(`${JSON.stringify(k)} dropped (was ${x})`);
    else out.push(`${JSON.stringify(k)} ${x} → ${y}`);
  }
  if ((before.default ?? 0) !== (av.default ?? 0)) out.push(`other values ${before.default ?? 0} → ${av.default ?? 0}`);
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
    out.push({ subject: 'version', change: 'changed', text: `version ${before.version} → ${after.version}` });
  }
  const tiersText = (m: IcpModel): string =>
    [...m.tiers]
      .sort((a, b) => b.min - a.min)
      .map((t) => `${t.name} ≥ ${t.min}`)
      .join(', ');
  if (tiersText(before) !== tiersText(after)) {
    out.push({ subject: 'tiers', change: 'changed', text: `tiers ${tiersText(before)} → ${tiersText(after)}` });
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
      out.push({ subject, change: 'added', text: `+ ${c.attribute}: new criterion, ${pct(c.weight / wa)} of the score, ${matcherText(c.match)}` });
      continue;
    }
    const details: string[] = [];
    const sb = Math.round((100 * old.weight) / wb);
    const sa = Math.round((100 * c.weight) / wa);
    if (sb !== sa) details.push(`weight ${sb} % → ${sa} % of the score`);
    details.push(...matcherChanges(old.match, c.match));
    if (details.length > 0) out.push({ subject, change: 'changed', text: `~ ${c.attribute}: ${details.join('; ')}` });
  }
  for (const c of before.criteria) {
    if (!a.has(c.attribute)) {
      out.push({
        subject: `criteria.${c.attribute}`,
        change: 'removed',
        text: `- ${c.attribute}: dropped (was ${pct(c.weight / wb)} of the score)${why.has(c.attribute) ? `: ${why.get(c.attribute)}` : ''}`,
      });
    }
  }
  return out;
}
