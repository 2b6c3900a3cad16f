/**
 * The readable form of `icp-sync explain`: attributes with their source, the criteria table, the
 * resulting values and the exact diff a sync would write.
 */
import type { Explanation } from './explain.ts';

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'string') return v === '' ? '—' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(`${e.crm} ${e.objectType} ${e.id} — model ${e.modelVersion}`, '');
  out.push('Attributes');
  out.push(...table(['attribute', 'value', 'source'], e.attributes.map((a) => [a.name, show(a.value), a.source])));
  if (e.result !== undefined) out.push(...fitLines(e));
  if (e.person !== undefined) out.push(...personLines(e.person));
  if (e.committee !== undefined) {
    out.push('', `Buying committee: coverage ${e.committee.coverage}% · missing ${e.committee.missing === '' ? 'none' : e.committee.missing}`);
  }
  out.push('');
  if (!e.wouldWrite) {
    out.push('Write: nothing — the CRM already holds these values.');
  } else {
    out.push('Write (dry run, nothing written):');
    out.push(...table(['field', 'now', 'would be'], e.diff.map((d) => [d.field, show(d.current), show(d.next)])));
  }
  return `${out.join('\n')}\n`;
}

function personLines(p: NonNullable<Explanation['person']>): string[] {
  const out = ['', 'Buying role'];
  out.push(`  title: ${show(p.title)}`);
  out.push(`  CRM role: ${p.crmRoles.length === 0 ? '—' : p.crmRoles.join(', ')}`);
  out.push(`  patterns matched: ${p.matched.length === 0 ? '—' : p.matched.map((m) => `"${m.pattern}" (${m.role})`).join(', ')}`);
  if (p.ignoredBy !== null) out.push(`  ignored title pattern: "${p.ignoredBy}"`);
  out.push(`  role: ${p.role === 'none' ? 'none' : `${p.label} (${p.role})`} · ${p.points} points — ${p.why}`);
  const a = p.account;
  if (a === null) out.push('  account: none — no priority');
  else if ('missing' in a) out.push(`  account: ${a.id}, not found in the CRM — no priority`);
  else out.push(`  account: ${a.id} · score ${a.score} · tier ${a.tier}${a.excluded ? ' (excluded)' : ''}`);
  out.push(`  priority: ${p.priority === null ? '—' : `${p.priority} · ${show(p.priorityTier)}`}`);
  return out;
}

function fitLines(e: Explanation): string[] {
  const out: string[] = [];
  out.push('', 'Criteria');
  out.push(
    ...table(
      ['criterion', 'attribute', 'value', 'weight', 'points', 'contribution', 'status'],
      e.criteria.map((c) => [c.label, c.attribute, show(c.value), String(c.weight), String(c.points), c.contribution.toFixed(1), c.status]),
    ),
  );
  if (e.exclusions.length > 0) {
    out.push('', 'Exclusions fired');
    for (const x of e.exclusions) out.push(`  ${x.id}: ${x.reason} (value ${show(x.value)})`);
  }
  const r = e.result;
  if (r === undefined) return out;
  out.push('', `Score ${r.score} · tier ${r.tier}${r.excluded ? ' (excluded)' : ''} · completeness ${Math.round(r.completeness * 100)}% · tags ${show(r.tags)}`);
  out.push(`Reasons: ${r.reasons}`);
  return out;
}
