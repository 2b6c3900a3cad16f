/** The demo's view of `explain`: each criterion's value, where it came from, and its share of the score. */
import type { Explanation } from '../pipeline/explain.ts';
import type { DemoTerminal } from './terminal.ts';

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const t = Array.isArray(value) ? value.join(', ') : String(value);
  return t.length > 28 ? `${t.slice(0, 27)}…` : t;
}

export function printExplanation(term: DemoTerminal, e: Explanation, crmTitle: string): void {
  const sources = new Map(e.attributes.map((a) => [a.name, a.source]));
  term.line(`  score ${e.result.score} (${e.result.tier}), completeness ${Math.round(e.result.completeness * 100)} %${e.result.tags.length > 0 ? `, tags ${e.result.tags.join(', ')}` : ''}`);
  term.line(`    ${'criterion'.padEnd(16)} ${'value'.padEnd(28)} ${'source'.padEnd(24)} ${'weight'.padStart(6)} ${'points'.padStart(6)} ${'share'.padStart(6)}  status`);
  for (const c of e.criteria) {
    const share = c.contribution > 0 ? `+${c.contribution.toFixed(1)}` : c.contribution.toFixed(1);
    term.line(
      `    ${c.label.slice(0, 16).padEnd(16)} ${shown(c.value).padEnd(28)} ${(sources.get(c.attribute) ?? '—').slice(0, 24).padEnd(24)} ${String(c.weight).padStart(6)} ${c.points.toFixed(2).padStart(6)} ${share.padStart(6)}  ${c.status}`,
    );
  }
  for (const x of e.exclusions) term.line(`    excluded: ${x.reason}`);
  term.line(
    e.wouldWrite
      ? `  a sync now would write ${e.diff.length} field(s) to ${crmTitle}`
      : `  a sync now would write nothing: ${crmTitle} already holds these values`,
  );
}
