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
  const r = e.result;
  if (r !== undefined) {
    term.line(`  score ${r.score} (${r.tier}), completeness ${Math.round(r.completeness * 100)} %${r.tags.length > 0 ? `, tags ${r.tags.join(', ')}` : ''}`);
  }
  const p = e.person;
  if (p !== undefined) {
    const account = p.account === null ? 'no account' : 'missing' in p.account ? 'account not found' : `account score ${p.account.score} (${p.account.tier})`;
    term.line(`  role ${p.role === 'none' ? 'none' : p.label} — ${p.why}; ${account}; priority ${p.priority ?? '—'} (${p.priorityTier ?? '—'})`);
  }
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
