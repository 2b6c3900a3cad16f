/**
 * `setup salesforce` and the ICP list views: reads the views by developer name (Metadata API `readMetadata`,
 * 10 per call) and upserts the ones missing or different from the plan (label, columns, filters, sharing).
 * Idempotent: a second run reads and writes nothing else. Cost: one read per 10 views (1 by default), plus
 * one upsert per 10 views to change.
 */
import { z } from 'zod';
import { CrmError } from '../../errors.ts';
import type { SetupReport } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import { METADATA_BATCH } from './limits.ts';
import type { ListViewDefinition } from './list-views.ts';

type Rec = Record<string, unknown>;
const asList = (v: unknown): Rec[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is Rec => typeof x === 'object' && x !== null);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const saveResult = z.looseObject({ fullName: z.string().optional(), success: z.boolean(), errors: z.unknown().optional() });

function sharedToOf(v: ListViewDefinition['sharedTo']): Record<string, string> {
  return v === 'allInternalUsers' ? { allInternalUsers: '' } : Object.fromEntries(Object.entries(v).map(([k, name]) => [k, name]));
}

/** The view in the metadata type's element order (the Metadata API refuses elements out of order). */
function metadataOf(v: ListViewDefinition): Rec {
  return { fullName: v.fullName, columns: v.columns, filterScope: v.filterScope, filters: v.filters, label: v.label, sharedTo: sharedToOf(v.sharedTo) };
}

/** Comparable form: what decides whether a view must be saved again. */
function keyOf(r: Rec): string {
  // jsforce reads every SharedTo member back, empty lists included: only the members set count.
  const shared = Object.entries(typeof r.sharedTo === 'object' && r.sharedTo !== null ? (r.sharedTo as Rec) : {})
    .filter(([k, v]) => !k.startsWith('$') && !k.startsWith('@') && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(text).join(',') : text(v)}`)
    .sort();
  return JSON.stringify({
    label: text(r.label),
    filterScope: text(r.filterScope),
    columns: (Array.isArray(r.columns) ? r.columns : r.columns === undefined ? [] : [r.columns]).map(text),
    filters: asList(r.filters).map((f) => [text(f.field), text(f.operation), text(f.value)]),
    shared,
  });
}

export async function syncListViews(client: SalesforceClient, views: readonly ListViewDefinition[], dryRun: boolean, report: SetupReport): Promise<void> {
  const would = dryRun ? 'would ' : '';
  try {
    const existing = new Map<string, Rec>();
    for (let i = 0; i < views.length; i += METADATA_BATCH) {
      const names = views.slice(i, i + METADATA_BATCH).map((v) => v.fullName);
      const records = await client.run('metadata.read', (conn) => conn.metadata.read('ListView', names));
      for (const r of asList(records)) if (text(r.fullName) !== '') existing.set(text(r.fullName), r);
    }
    const toSave: Array<{ view: ListViewDefinition; line: string }> = [];
    for (const v of views) {
      const have = existing.get(v.fullName);
      if (!have) toSave.push({ view: v, line: `${would}create list view ${v.fullName} ("${v.label}")` });
      else if (keyOf(have) !== keyOf(metadataOf(v))) toSave.push({ view: v, line: `${would}update list view ${v.fullName} ("${v.label}")` });
      else report.unchanged.push(`list view ${v.fullName} ("${v.label}") is up to date`);
    }
    if (dryRun) {
      report.changed.push(...toSave.map((s) => s.line));
      return;
    }
    for (let i = 0; i < toSave.length; i += METADATA_BATCH) {
      const group = toSave.slice(i, i + METADATA_BATCH);
      const results = await client.run('metadata.upsert', (conn) => conn.metadata.upsert('ListView', group.map((g) => metadataOf(g.view)) as never[]));
      const list = z.array(saveResult).parse(Array.isArray(results) ? results : [results]);
      group.forEach((g, j) => {
        const r = list[j];
        if (r?.success) report.changed.push(g.line);
        else {
          const errors = asList(r?.errors).map((e) => `${text(e.statusCode)}: ${text(e.message)}`).join('; ');
          report.problems.push(`list view ${g.view.fullName} could not be saved: ${errors}`);
        }
      });
    }
  } catch (err) {
    if (err instanceof CrmError) {
      report.problems.push(`list views: ${err.message}`);
      return;
    }
    throw err;
  }
}
