/**
 * The sandbox's `ListView` metadata (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_listview.htm):
 * saved by create/update/upsertMetadata, returned by readMetadata and listMetadata. Checks: the object
 * exists, a developer name, a label of at most 40 characters, a FilterScope value, filter operations from
 * the FilterOperation enum, and every column and filter field either a custom field of the object or an
 * UPPERCASE list-view token (FAKE CHOICE: the real token list per object is not documented). Refusals
 * answer `FIELD_INTEGRITY_EXCEPTION` (FAKE CHOICE).
 */
import { SOBJECTS, type SObjectName } from './objects.ts';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
/** Element text; a typed element (`xsi:type="xsd:string"`) keeps its text under `#text`. */
const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // The shared SOAP parser always makes `value` a list (picklist values): a filter has one.
  if (Array.isArray(v)) return v.length === 0 ? '' : text(v[0]);
  const inner = asObj(v)['#text'];
  return inner === undefined ? '' : text(inner);
};

export interface ListViewMeta {
  fullName: string;
  label: string;
  filterScope: string;
  columns: string[];
  filters: Array<{ field: string; operation: string; value: string }>;
  /** `allInternalUsers` → `''`, `group` → its developer name… */
  sharedTo: Record<string, string>;
}

const FILTER_SCOPES = new Set(['Everything', 'Mine', 'Queue', 'Delegated', 'MyTerritory', 'MyTeamTerritory', 'Team', 'SalesTeam', 'AssignedToMe', 'MineAndMyGroups', 'ScopingRule']);
const OPERATIONS = new Set(['equals', 'notEqual', 'lessThan', 'greaterThan', 'lessOrEqual', 'greaterOrEqual', 'contains', 'notContain', 'startsWith', 'includes', 'excludes', 'within']);

/** Parses and checks a ListView; a message when Salesforce would refuse it. */
export function parseListView(m: Obj, hasCustomField: (fullName: string) => boolean): ListViewMeta | string {
  const fullName = text(m.fullName);
  const [object, name] = fullName.split('.');
  if (!object || !name || !SOBJECTS.includes(object as SObjectName)) return `${fullName}: a list view's fullName is Object.DeveloperName of a known object`;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return `${fullName}: invalid developer name`;
  const label = text(m.label);
  if (label === '' || label.length > 40) return `${fullName}: label must be 1 to 40 characters`;
  const filterScope = text(m.filterScope);
  if (!FILTER_SCOPES.has(filterScope)) return `${fullName}: filterScope ${filterScope || '(missing)'} is not a FilterScope value`;
  const fieldOk = (f: string) => /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$/.test(f) || hasCustomField(`${object}.${f}`);
  const columns = asArr(m.columns).map(text);
  const badColumn = columns.find((c) => !fieldOk(c));
  if (badColumn !== undefined) return `${fullName}: unknown column ${badColumn}`;
  const filters = asArr(m.filters).map((f) => ({ field: text(asObj(f).field), operation: text(asObj(f).operation), value: text(asObj(f).value) }));
  for (const f of filters) {
    if (!fieldOk(f.field)) return `${fullName}: unknown filter field ${f.field}`;
    if (!OPERATIONS.has(f.operation)) return `${fullName}: ${f.operation} is not a FilterOperation value`;
  }
  const sharedTo = Object.fromEntries(Object.entries(asObj(m.sharedTo)).filter(([k]) => !k.startsWith('@_')).map(([k, v]) => [k, text(v)]));
  return { fullName, label, filterScope, columns, filters, sharedTo };
}

/** A ListView as readMetadata returns it (elements in the metadata type's order). */
export function listViewRecord(v: ListViewMeta): Obj {
  return {
    '@type': 'ListView',
    fullName: v.fullName,
    columns: v.columns,
    filterScope: v.filterScope,
    ...(v.filters.length > 0 ? { filters: v.filters } : {}),
    label: v.label,
    ...(Object.keys(v.sharedTo).length > 0 ? { sharedTo: v.sharedTo } : {}),
  };
}
