/**
 * What changes between two mappings, in words: one line per attribute added (`+`), removed (`-`) or
 * changed (`~`), per output name and per view, such as
 * `~ hubspot.companies.country: fields country → country, hs_country · transforms country`.
 * Shown in the mappings history and written beside each saved revision.
 */
import type { AttributeMapping, Mappings, MappedValue, ObjectMapping, Transform } from './types.ts';

function value(v: MappedValue): string {
  return v === null ? 'null' : typeof v === 'string' ? `"${v}"` : String(v);
}

export function transformText(t: Transform): string {
  switch (t.kind) {
    case 'split':
      return t.separator === ';' ? 'split' : `split "${t.separator}"`;
    case 'map': {
      const entries = Object.entries(t.values);
      const shown = entries.slice(0, 3).map(([k, v]) => `${k} → ${value(v)}`).join(', ');
      return `map {${shown}${entries.length > 3 ? `, … ${entries.length - 3} more` : ''}}${t.default === undefined ? '' : ` default ${value(t.default)}`}`;
    }
    default:
      return t.kind;
  }
}

/** `fields a, b · transforms country · enrichment wins`. */
export function attributeText(a: AttributeMapping): string {
  const parts = [`${a.fields.length > 1 ? 'fields' : 'field'} ${a.fields.join(', ')}`];
  if (a.transforms.length > 0) parts.push(`transforms ${a.transforms.map(transformText).join(', ')}`);
  if (a.preferEnriched) parts.push('enrichment wins');
  return parts.join(' · ');
}

function attributeChange(before: AttributeMapping, after: AttributeMapping): string | undefined {
  const parts: string[] = [];
  if (before.fields.join('\u0000') !== after.fields.join('\u0000')) parts.push(`fields ${before.fields.join(', ')} → ${after.fields.join(', ')}`);
  const tb = before.transforms.map(transformText).join(', ');
  const ta = after.transforms.map(transformText).join(', ');
  if (JSON.stringify(before.transforms) !== JSON.stringify(after.transforms)) parts.push(`transforms ${tb === '' ? 'none' : tb} → ${ta === '' ? 'none' : ta}`);
  if (before.preferEnriched !== after.preferEnriched) parts.push(after.preferEnriched ? 'enrichment now wins over the CRM' : 'the CRM now wins over enrichment');
  return parts.length === 0 ? undefined : parts.join(' · ');
}

function objectChanges(where: string, before: ObjectMapping | undefined, after: ObjectMapping | undefined): string[] {
  const out: string[] = [];
  const b = before?.attributes ?? {};
  const a = after?.attributes ?? {};
  for (const name of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    const x = b[name];
    const y = a[name];
    if (x === undefined && y !== undefined) out.push(`+ ${where}.${name}: ${attributeText(y)}`);
    else if (x !== undefined && y === undefined) out.push(`- ${where}.${name} (was ${attributeText(x)})`);
    else if (x !== undefined && y !== undefined) {
      const change = attributeChange(x, y);
      if (change !== undefined) out.push(`~ ${where}.${name}: ${change}`);
    }
  }
  const ob: Record<string, string | undefined> = { ...(before?.outputs ?? {}) };
  const oa: Record<string, string | undefined> = { ...(after?.outputs ?? {}) };
  for (const key of [...new Set([...Object.keys(ob), ...Object.keys(oa)])]) {
    if (ob[key] !== oa[key]) out.push(`~ ${where}.outputs.${key}: ${ob[key] ?? '(default)'} → ${oa[key] ?? '(default)'}`);
  }
  return out;
}

export function diffMappings(before: Mappings, after: Mappings): string[] {
  const out: string[] = [];
  for (const crm of ['hubspot', 'salesforce'] as const) {
    const types = [...new Set([...Object.keys(before[crm]), ...Object.keys(after[crm])])];
    for (const t of types) out.push(...objectChanges(`${crm}.${t}`, before[crm][t], after[crm][t]));
  }
  const vb: Record<string, unknown> = { ...(before.views ?? {}) };
  const va: Record<string, unknown> = { ...(after.views ?? {}) };
  for (const key of [...new Set([...Object.keys(vb), ...Object.keys(va)])]) {
    if (JSON.stringify(vb[key]) !== JSON.stringify(va[key])) out.push(`~ views.${key}: ${JSON.stringify(vb[key] ?? null)} → ${JSON.stringify(va[key] ?? null)}`);
  }
  return out;
}
