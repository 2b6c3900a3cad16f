/**
 * The Model editor's structured forms as flat form fields, both ways: a model document (as parsed,
 * valid or not) → the fields a page shows, and the fields a browser sends → the values to write
 * back into the draft. No JavaScript is needed: rows are added and removed by submit buttons named
 * `op` (`add:<list>`, `del:<list>.<row>`, `del:c.<criterion>`).
 *
 * Field names (`P` is a matcher prefix: `c.<criterion id>.m`, `x.<exclusion row>.m`):
 * - matcher: `P.kind` (`P.kind0` = kind shown); category/prefix rows `P.k.<i>` + `P.p.<i>`;
 *   range rows `P.min.<i>`, `P.max.<i>`, `P.p.<i>`; `P.default`; boolean `P.ifTrue`, `P.ifFalse`.
 * - criterion `c.<id>`: `.label`, `.attribute`, `.tag`, `.tagAt`, matcher `c.<id>.m`.
 * - a new criterion: `cnew.id`, `cnew.label`, `cnew.attribute`, `cnew.weight`, `cnew.kind`.
 * - exclusions `x`: `x.<i>.id`, `.label`, `.attribute`, `.reason`, matcher `x.<i>.m`.
 * - roles `r`: `r.ignoreTitles`, `r.defaultPoints`; `r.<i>.id`, `.label`, `.points`, `.required`
 *   (checkbox), `.titles`, `.hubspot`, `.salesforce` (one value a line).
 * - priority tiers `pt`: `pt.<i>.name`, `.min`, `.label` (none left: the default P1–P4).
 * Each section also carries `s0.<section>`: a digest of the values its fields showed, so a section
 * left as shown does not overwrite an edit made in the model text.
 */
import { createHash } from 'node:crypto';

export type Fields = Readonly<Record<string, string>>;
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const MATCHER_KINDS = ['category', 'prefix', 'range', 'boolean'] as const;
export type MatcherKind = (typeof MATCHER_KINDS)[number];

/** Criterion ids the forms can carry in field names (the model's own rule); others stay text-only. */
export const FORM_ID = /^[a-z][a-z0-9_]*$/;
/** A matcher with more rows than this is edited in the text (a page of inputs would be unusable). */
export const MAX_FORM_ROWS = 200;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A document value as a field shows it. */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * A typed number: spaces dropped, `0,8` read as 0.8. Anything else stays text, so the model
 * validation reports it (`must be a number, not the text "abc"`).
 */
export function numberOrText(raw: string | undefined): number | string | undefined {
  const s = (raw ?? '').replace(/[\s\u00a0]/g, '');
  if (s === '') return undefined;
  const dotted = /^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
  return /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(dotted) ? Number(dotted) : raw?.trim();
}

const lines = (raw: string | undefined): string[] => (raw ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
const rowsOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The row numbers present for `list`, from fields named `<list>.<marker>.<i>` (or `<list>.<i>.<marker>`). */
export function rowIndices(fields: Fields, list: string, marker: string, itemFirst = false): number[] {
  const found = new Set<number>();
  const head = `${list}.`;
  for (const name of Object.keys(fields)) {
    if (!name.startsWith(head)) continue;
    const rest = name.slice(head.length).split('.');
    const [a, b] = itemFirst ? [rest[1], rest[0]] : [rest[0], rest[1]];
    if (rest.length === 2 && a === marker && b !== undefined && /^\d{1,4}$/.test(b)) found.add(Number(b));
  }
  return [...found].sort((x, y) => x - y);
}

// ---------------------------------------------------------------- document → fields

export function matcherFields(prefix: string, match: unknown, out: Record<string, string>): void {
  const m = isRecord(match) ? match : {};
  const kind = textOf(m['kind']);
  out[`${prefix}.kind`] = kind;
  out[`${prefix}.kind0`] = kind;
  if (kind === 'category' || kind === 'prefix') {
    Object.entries(isRecord(m['values']) ? m['values'] : {}).forEach(([k, v], i) => {
      out[`${prefix}.k.${i}`] = k;
      out[`${prefix}.p.${i}`] = textOf(v);
    });
  } else if (kind === 'range') {
    rowsOf(m['bands']).forEach((band, i) => {
      const b = isRecord(band) ? band : {};
      out[`${prefix}.min.${i}`] = textOf(b['min']);
      out[`${prefix}.max.${i}`] = textOf(b['max']);
      out[`${prefix}.p.${i}`] = textOf(b['points']);
    });
  } else if (kind === 'boolean') {
    out[`${prefix}.ifTrue`] = textOf(m['ifTrue']);
    out[`${prefix}.ifFalse`] = textOf(m['ifFalse']);
  }
  if (kind !== 'boolean') out[`${prefix}.default`] = textOf(m['default']);
}

/** How many rows a matcher has (values or bands). */
export function matcherRowCount(match: unknown): number {
  if (!isRecord(match)) return 0;
  if (isRecord(match['values'])) return Object.keys(match['values']).length;
  return rowsOf(match['bands']).length;
}

/** Whether a criterion can be edited in the forms (its id fits in field names, its matcher is not huge). */
export function criterionInForms(c: unknown): c is Record<string, unknown> & { id: string } {
  return isRecord(c) && typeof c['id'] === 'string' && FORM_ID.test(c['id']) && matcherRowCount(c['match']) <= MAX_FORM_ROWS;
}

export interface FormSections {
  fields: Record<string, string>;
  /** `s0.<section>` → digest of what the fields show. */
  digests: Record<string, string>;
}

/** The fields of every section of a model document, and their digests. */
export function formSections(doc: Record<string, unknown>): FormSections {
  const fields: Record<string, string> = {};
  const digests: Record<string, string> = {};
  for (const c of rowsOf(doc['criteria'])) {
    if (!criterionInForms(c)) continue;
    const key = `c.${c.id}`;
    const own: Record<string, string> = {};
    for (const name of ['label', 'attribute', 'tag', 'tagAt'] as const) own[`${key}.${name}`] = textOf(c[name]);
    matcherFields(`${key}.m`, c['match'], own);
    Object.assign(fields, own);
    digests[key] = digest(criterionFrom(own, c.id, () => false).value);
  }
  const exclusions = rowsOf(doc['exclusions']);
  if (exclusions.every((x) => matcherRowCount(isRecord(x) ? x['match'] : undefined) <= MAX_FORM_ROWS)) {
    const own: Record<string, string> = {};
    exclusions.forEach((x, i) => {
      const e = isRecord(x) ? x : {};
      for (const name of ['id', 'label', 'attribute', 'reason'] as const) own[`x.${i}.${name}`] = textOf(e[name]);
      matcherFields(`x.${i}.m`, e['match'], own);
    });
    Object.assign(fields, own);
    digests['x'] = digest(exclusionsFrom(own, () => false).value);
  }
  const roles = isRecord(doc['roles']) ? doc['roles'] : undefined;
  if (roles === undefined || rowsOf(roles['list']).length <= MAX_FORM_ROWS) {
    const own: Record<string, string> = {};
    own['r.ignoreTitles'] = rowsOf(roles?.['ignoreTitles']).map(textOf).join('\n');
    own['r.defaultPoints'] = textOf(roles?.['defaultPoints']);
    rowsOf(roles?.['list']).forEach((role, i) => {
      const r = isRecord(role) ? role : {};
      for (const name of ['id', 'label', 'points'] as const) own[`r.${i}.${name}`] = textOf(r[name]);
      if (r['required'] === true) own[`r.${i}.required`] = 'true';
      for (const name of ['titles', 'hubspot', 'salesforce'] as const) own[`r.${i}.${name}`] = rowsOf(r[name]).map(textOf).join('\n');
    });
    Object.assign(fields, own);
    digests['r'] = digest(rolesFrom(own, () => false).value ?? null);
  }
  const priority = rowsOf(doc['priorityTiers']);
  if (priority.length <= MAX_FORM_ROWS) {
    const own: Record<string, string> = {};
    priority.forEach((tier, i) => {
      const x = isRecord(tier) ? tier : {};
      for (const name of ['name', 'min', 'label'] as const) own[`pt.${i}.${name}`] = textOf(x[name]);
    });
    Object.assign(fields, own);
    digests['pt'] = digest(priorityTiersFrom(own, () => false).value ?? null);
  }
  return { fields, digests };
}

export function digest(value: Json | undefined): string {
  return createHash('sha256').update(JSON.stringify(value ?? null)).digest('base64url').slice(0, 22);
}

// ---------------------------------------------------------------- fields → document values

/** Rows to leave out (the row of a "remove" button). */
export type Dropped = (list: string, row: number) => boolean;

/** A built value and the rows left blank per list (shown again, empty, for the user to fill). */
export interface Built<T> {
  value: T;
  blanks: Record<string, number>;
}

const blank = (...values: Array<string | undefined>) => values.every((v) => (v ?? '').trim() === '');
const optionalText = (v: string | undefined): string | undefined => ((v ?? '').trim() === '' ? undefined : (v ?? '').trim());

function put(obj: Record<string, Json>, key: string, value: Json | undefined): void {
  if (value !== undefined) obj[key] = value;
}

/** A skeleton for a matcher whose kind was just chosen. */
function emptyMatcher(kind: string): Record<string, Json> {
  if (kind === 'category' || kind === 'prefix') return { kind, values: {} };
  if (kind === 'range') return { kind, bands: [] };
  return { kind };
}

export function matcherFrom(fields: Fields, prefix: string, dropped: Dropped): Built<Record<string, Json>> {
  const kind = (fields[`${prefix}.kind`] ?? '').trim();
  const shown = fields[`${prefix}.kind0`];
  const blanks: Record<string, number> = {};
  // Values carry over between category and prefix; any other change of kind starts afresh.
  const rowsCarry = shown === undefined || shown === kind || ((shown === 'category' || shown === 'prefix') && (kind === 'category' || kind === 'prefix'));
  const out = emptyMatcher(kind);
  if (!rowsCarry) {
    if (kind === 'category' || kind === 'prefix' || kind === 'range') blanks[prefix] = 1;
    return { value: out, blanks };
  }
  if (kind === 'category' || kind === 'prefix') {
    const values: Record<string, Json> = {};
    for (const i of rowIndices(fields, prefix, 'p')) {
      if (dropped(prefix, i)) continue;
      const key = (fields[`${prefix}.k.${i}`] ?? '').trim();
      const points = fields[`${prefix}.p.${i}`];
      if (key === '' && blank(points)) blanks[prefix] = (blanks[prefix] ?? 0) + 1;
      else values[key] = numberOrText(points) ?? null;
    }
    out['values'] = values;
  } else if (kind === 'range') {
    const bands: Json[] = [];
    for (const i of rowIndices(fields, prefix, 'p')) {
      if (dropped(prefix, i)) continue;
      const [min, max, points] = [fields[`${prefix}.min.${i}`], fields[`${prefix}.max.${i}`], fields[`${prefix}.p.${i}`]];
      if (blank(min, max, points)) {
        blanks[prefix] = (blanks[prefix] ?? 0) + 1;
        continue;
      }
      const band: Record<string, Json> = {};
      put(band, 'min', numberOrText(min));
      put(band, 'max', numberOrText(max));
      band['points'] = numberOrText(points) ?? null;
      bands.push(band);
    }
    out['bands'] = bands;
  } else if (kind === 'boolean') {
    put(out, 'ifTrue', numberOrText(fields[`${prefix}.ifTrue`]));
    put(out, 'ifFalse', numberOrText(fields[`${prefix}.ifFalse`]));
  }
  if (kind !== 'boolean') put(out, 'default', numberOrText(fields[`${prefix}.default`]));
  return { value: out, blanks };
}

/** The keys of a criterion the forms write (the id and weight have their own fields). */
export const CRITERION_KEYS = ['label', 'attribute', 'tag', 'tagAt', 'match'] as const;

export function criterionFrom(fields: Fields, id: string, dropped: Dropped): Built<Record<string, Json>> {
  const key = `c.${id}`;
  const out: Record<string, Json> = {};
  put(out, 'label', optionalText(fields[`${key}.label`]));
  out['attribute'] = (fields[`${key}.attribute`] ?? '').trim();
  put(out, 'tag', optionalText(fields[`${key}.tag`]));
  put(out, 'tagAt', numberOrText(fields[`${key}.tagAt`]));
  const match = matcherFrom(fields, `${key}.m`, dropped);
  out['match'] = match.value;
  return { value: out, blanks: match.blanks };
}

/** The new criterion typed in the `cnew.*` fields, if an id was given. */
export function newCriterionFrom(fields: Fields): Record<string, Json> | undefined {
  const id = optionalText(fields['cnew.id']);
  if (id === undefined) return undefined;
  const out: Record<string, Json> = { id };
  put(out, 'label', optionalText(fields['cnew.label']));
  out['attribute'] = (fields['cnew.attribute'] ?? '').trim();
  out['weight'] = numberOrText(fields['cnew.weight']) ?? null;
  out['match'] = emptyMatcher((fields['cnew.kind'] ?? 'category').trim());
  return out;
}

export function exclusionsFrom(fields: Fields, dropped: Dropped): Built<Json[]> {
  const value: Json[] = [];
  const blanks: Record<string, number> = {};
  for (const i of rowIndices(fields, 'x', 'id', true)) {
    if (dropped('x', i)) continue;
    const f = (name: string) => fields[`x.${i}.${name}`];
    if (blank(f('id'), f('label'), f('attribute'), f('reason'))) {
      blanks['x'] = (blanks['x'] ?? 0) + 1;
      continue;
    }
    const match = matcherFrom(fields, `x.${i}.m`, dropped);
    // Blank rows of this exclusion's matcher belong to the row it will have among the kept ones.
    for (const [list, n] of Object.entries(match.blanks)) blanks[list.replace(/^x\.\d+\./, `x.${value.length}.`)] = n;
    const item: Record<string, Json> = { id: (f('id') ?? '').trim() };
    put(item, 'label', optionalText(f('label')));
    item['attribute'] = (f('attribute') ?? '').trim();
    item['match'] = match.value;
    item['reason'] = (f('reason') ?? '').trim();
    value.push(item);
  }
  return { value, blanks };
}

/** The roles section; `undefined` when every role was removed and nothing else is set. */
export function rolesFrom(fields: Fields, dropped: Dropped): Built<Record<string, Json> | undefined> {
  const list: Json[] = [];
  const blanks: Record<string, number> = {};
  for (const i of rowIndices(fields, 'r', 'id', true)) {
    if (dropped('r', i)) continue;
    const f = (name: string) => fields[`r.${i}.${name}`];
    if (blank(f('id'), f('label'), f('points'), f('titles'), f('hubspot'), f('salesforce')) && f('required') !== 'true') {
      blanks['r'] = (blanks['r'] ?? 0) + 1;
      continue;
    }
    const role: Record<string, Json> = { id: (f('id') ?? '').trim() };
    put(role, 'label', optionalText(f('label')));
    role['points'] = numberOrText(f('points')) ?? null;
    if (f('required') === 'true') role['required'] = true;
    for (const name of ['titles', 'hubspot', 'salesforce'] as const) {
      const values = lines(f(name));
      if (values.length > 0) role[name] = values;
    }
    list.push(role);
  }
  const ignoreTitles = lines(fields['r.ignoreTitles']);
  const defaultPoints = numberOrText(fields['r.defaultPoints']);
  if (list.length === 0 && ignoreTitles.length === 0 && defaultPoints === undefined) return { value: undefined, blanks };
  const value: Record<string, Json> = {};
  if (ignoreTitles.length > 0) value['ignoreTitles'] = ignoreTitles;
  put(value, 'defaultPoints', defaultPoints);
  value['list'] = list;
  return { value, blanks };
}

/** The priority tiers; `undefined` when every row was removed (the model's default tiers then apply). */
export function priorityTiersFrom(fields: Fields, dropped: Dropped): Built<Json[] | undefined> {
  const value: Json[] = [];
  const blanks: Record<string, number> = {};
  for (const i of rowIndices(fields, 'pt', 'name', true)) {
    if (dropped('pt', i)) continue;
    const f = (name: string) => fields[`pt.${i}.${name}`];
    if (blank(f('name'), f('min'), f('label'))) {
      blanks['pt'] = (blanks['pt'] ?? 0) + 1;
      continue;
    }
    const tier: Record<string, Json> = { name: (f('name') ?? '').trim(), min: numberOrText(f('min')) ?? null };
    put(tier, 'label', optionalText(f('label')));
    value.push(tier);
  }
  return { value: value.length === 0 ? undefined : value, blanks };
}

/** A submit button's `op`: add a blank row to a list, or drop a row (or a criterion). */
export type FormOp = { kind: 'add'; list: string } | { kind: 'del'; list: string; row: number } | { kind: 'delCriterion'; id: string };

export function parseOp(op: string | undefined): FormOp | undefined {
  if (op === undefined) return undefined;
  const add = /^add:([A-Za-z0-9_.]{1,120})$/.exec(op);
  if (add?.[1] !== undefined) return { kind: 'add', list: add[1] };
  const delRow = /^del:([A-Za-z0-9_.]{1,120})\.(\d{1,4})$/.exec(op);
  if (delRow?.[1] !== undefined && delRow[2] !== undefined) return { kind: 'del', list: delRow[1], row: Number(delRow[2]) };
  const delCriterion = /^del:c\.([a-z][a-z0-9_]*)$/.exec(op);
  if (delCriterion?.[1] !== undefined) return { kind: 'delCriterion', id: delCriterion[1] };
  return undefined;
}
