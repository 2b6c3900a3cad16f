/**
 * What a publish changes, in words: the calibration diff (version, tiers, criteria weights as
 * shares of the score, matcher values), plus what a hand edit may also touch: the name, tier
 * labels, the excluded tier, criterion labels and tags, exclusions, buying roles and priority tiers.
 */
import { diffModels, matcherText, type ModelChange } from './calibration/model-diff.ts';
import { DEFAULT_PRIORITY_TIERS } from './roles.ts';
import type { IcpModel, RoleDef, Tier } from './types.ts';

function tierLabels(tiers: readonly Tier[]): Map<string, string> {
  return new Map(tiers.map((t) => [t.name, t.label ?? '']));
}

function tiersText(tiers: readonly Tier[]): string {
  return [...tiers]
    .sort((a, b) => b.min - a.min)
    .map((t) => `${t.name} ≥ ${t.min}`)
    .join(', ');
}

function roleText(r: RoleDef): string {
  const parts = [`${r.points} points`];
  if (r.required) parts.push('required');
  if (r.titles.length > 0) parts.push(`titles ${r.titles.join(', ')}`);
  if (r.hubspot.length > 0) parts.push(`HubSpot ${r.hubspot.join(', ')}`);
  if (r.salesforce.length > 0) parts.push(`Salesforce ${r.salesforce.join(', ')}`);
  return parts.join('; ');
}

function roleChanges(before: IcpModel, after: IcpModel): ModelChange[] {
  const out: ModelChange[] = [];
  const a = before.roles;
  const b = after.roles;
  if (a === undefined && b === undefined) return out;
  if (a === undefined || b === undefined) {
    const set = (b ?? a) as NonNullable<IcpModel['roles']>;
    out.push({
      subject: 'roles',
      change: a === undefined ? 'added' : 'removed',
      text: a === undefined ? `+ roles: buying roles added (${set.list.map((r) => r.label).join(', ')}): people are scored too` : `- roles: buying roles removed: people are no longer scored`,
    });
    return out;
  }
  const byId = (list: readonly RoleDef[]): Map<string, RoleDef> => new Map(list.map((r) => [r.id, r]));
  const ra = byId(a.list);
  const rb = byId(b.list);
  for (const r of b.list) {
    const old = ra.get(r.id);
    const subject = `roles.${r.id}`;
    if (old === undefined) out.push({ subject, change: 'added', text: `+ role ${r.id} "${r.label}": ${roleText(r)}` });
    else if (roleText(old) !== roleText(r) || old.label !== r.label) {
      out.push({ subject, change: 'changed', text: `~ role ${r.id}: ${old.label === r.label ? '' : `label "${old.label}" → "${r.label}"; `}${roleText(old)} → ${roleText(r)}` });
    }
  }
  for (const r of a.list) if (!rb.has(r.id)) out.push({ subject: `roles.${r.id}`, change: 'removed', text: `- role ${r.id} "${r.label}" removed` });
  if (a.ignoreTitles.join('\n') !== b.ignoreTitles.join('\n')) {
    out.push({ subject: 'roles.ignoreTitles', change: 'changed', text: `ignored titles ${a.ignoreTitles.join(', ') || '(none)'} → ${b.ignoreTitles.join(', ') || '(none)'}` });
  }
  if (a.defaultPoints !== b.defaultPoints) {
    out.push({ subject: 'roles.defaultPoints', change: 'changed', text: `points of a person with no role ${a.defaultPoints} → ${b.defaultPoints}` });
  }
  return out;
}

export function diffModelVersions(before: IcpModel, after: IcpModel): ModelChange[] {
  const out = diffModels(before, after);
  if ((before.name ?? '') !== (after.name ?? '')) {
    out.push({ subject: 'name', change: 'changed', text: `name "${before.name ?? ''}" → "${after.name ?? ''}"` });
  }
  const la = tierLabels(before.tiers);
  for (const t of after.tiers) {
    const old = la.get(t.name);
    if (old !== undefined && old !== (t.label ?? '')) {
      out.push({ subject: `tiers.${t.name}`, change: 'changed', text: `tier ${t.name} label "${old}" → "${t.label ?? ''}"` });
    }
  }
  if (before.excludedTier !== after.excludedTier) {
    out.push({ subject: 'excludedTier', change: 'changed', text: `excluded tier ${before.excludedTier} → ${after.excludedTier}` });
  }
  const criteria = new Map(before.criteria.map((c) => [c.attribute, c]));
  for (const c of after.criteria) {
    const old = criteria.get(c.attribute);
    if (old === undefined) continue;
    const details: string[] = [];
    if (old.label !== c.label) details.push(`label "${old.label}" → "${c.label}"`);
    if ((old.tag ?? '') !== (c.tag ?? '')) details.push(`tag ${old.tag ?? '(none)'} → ${c.tag ?? '(none)'}`);
    else if (c.tag !== undefined && old.tagAt !== c.tagAt) details.push(`tag from ${old.tagAt} → ${c.tagAt} points`);
    if (old.weight !== c.weight) details.push(`raw weight ${old.weight} → ${c.weight}`);
    if (details.length > 0) out.push({ subject: `criteria.${c.attribute}`, change: 'changed', text: `~ ${c.attribute}: ${details.join('; ')}` });
  }
  const exclusions = new Map(before.exclusions.map((e) => [e.id, e]));
  const kept = new Set(after.exclusions.map((e) => e.id));
  for (const e of after.exclusions) {
    const old = exclusions.get(e.id);
    const subject = `exclusions.${e.id}`;
    if (old === undefined) {
      out.push({ subject, change: 'added', text: `+ exclusion ${e.id}: ${e.attribute} ${matcherText(e.match)} → "${e.reason}"` });
      continue;
    }
    const details: string[] = [];
    if (old.attribute !== e.attribute) details.push(`attribute ${old.attribute} → ${e.attribute}`);
    if (matcherText(old.match) !== matcherText(e.match)) details.push(`${matcherText(old.match)} → ${matcherText(e.match)}`);
    if (old.reason !== e.reason) details.push(`reason "${old.reason}" → "${e.reason}"`);
    if (details.length > 0) out.push({ subject, change: 'changed', text: `~ exclusion ${e.id}: ${details.join('; ')}` });
  }
  for (const e of before.exclusions) {
    if (!kept.has(e.id)) out.push({ subject: `exclusions.${e.id}`, change: 'removed', text: `- exclusion ${e.id} removed (was ${e.attribute}: "${e.reason}")` });
  }
  out.push(...roleChanges(before, after));
  const pa = tiersText(before.priorityTiers ?? DEFAULT_PRIORITY_TIERS);
  const pb = tiersText(after.priorityTiers ?? DEFAULT_PRIORITY_TIERS);
  if ((before.roles !== undefined || after.roles !== undefined) && pa !== pb) {
    out.push({ subject: 'priorityTiers', change: 'changed', text: `priority tiers ${pa} → ${pb}` });
  }
  return out;
}
