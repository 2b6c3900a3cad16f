/**
 * The CRM search endpoint's semantics: filter groups (OR of ANDs), one sort, 200 per page, and the
 * 10,000-result cap (`after` ≥ 10,000 → 400), as documented at
 * https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm
 */
import { z } from 'zod';
import type { SandboxProperty } from './properties.ts';
import type { SandboxCompany } from './store.ts';

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum([
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'BETWEEN',
    'IN',
    'NOT_IN',
    'HAS_PROPERTY',
    'NOT_HAS_PROPERTY',
    'CONTAINS_TOKEN',
    'NOT_CONTAINS_TOKEN',
  ]),
  value: z.union([z.string(), z.number()]).optional(),
  highValue: z.union([z.string(), z.number()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
});

const sortSchema = z.union([
  z.string().min(1),
  z.object({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);

export const searchBodySchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).max(5).default([]),
  sorts: z.array(sortSchema).max(1).default([]),
  properties: z.array(z.string()).optional(),
  query: z.string().optional(),
  limit: z.coerce.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).optional(),
});

export type SearchBody = z.infer<typeof searchBodySchema>;
type Filter = z.infer<typeof filterSchema>;

/** HubSpot's documented caps on a search request. */
export const SEARCH_MAX_PAGE = 200;
export const SEARCH_MAX_RESULTS = 10_000;
export const SEARCH_MAX_FILTERS = 18;

/** Parsed ISO times, reused across the many comparisons of one search. */
const parsedDates = new Map<string, number>();

function comparable(prop: SandboxProperty | undefined, raw: string | number | null | undefined): number | string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const text = String(raw);
  if (prop?.type === 'datetime' || prop?.type === 'date') {
    let ms = parsedDates.get(text);
    if (ms === undefined) {
      ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
      if (parsedDates.size > 100_000) parsedDates.clear();
      parsedDates.set(text, ms);
    }
    return Number.isFinite(ms) ? ms : null;
  }
  if (prop?.type === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  // Enumerations compare case-sensitively; free text does not.
  return prop?.type === 'enumeration' ? text : text.toLowerCase();
}

function matches(filter: Filter, company: SandboxCompany, props: ReadonlyMap<string, SandboxProperty>): boolean {
  const prop = props.get(filter.propertyName);
  const actual = comparable(prop, company.properties[filter.propertyName] ?? (filter.propertyName === 'hs_object_id' ? company.id : null));
  const value = comparable(prop, filter.value);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== null;
    case 'NOT_HAS_PROPERTY':
      return actual === null;
    case 'EQ':
      return actual !== null && actual === value;
    case 'NEQ':
      return actual !== value;
    case 'IN':
      return actual !== null && (filter.values ?? []).some((v) => comparable(prop, v) === actual);
    case 'NOT_IN':
      return !(filter.values ?? []).some((v) => comparable(prop, v) === actual);
    case 'CONTAINS_TOKEN':
      return actual !== null && String(actual).toLowerCase().includes(String(filter.value ?? '').toLowerCase().replace(/\*/g, ''));
    case 'NOT_CONTAINS_TOKEN':
      return actual === null || !String(actual).toLowerCase().includes(String(filter.value ?? '').toLowerCase().replace(/\*/g, ''));
    default: {
      if (actual === null || value === null) return false;
      if (filter.operator === 'LT') return actual < value;
      if (filter.operator === 'LTE') return actual <= value;
      if (filter.operator === 'GT') return actual > value;
      if (filter.operator === 'GTE') return actual >= value;
      const high = comparable(prop, filter.highValue);
      return high !== null && actual >= value && actual <= high;
    }
  }
}

/** A request problem HubSpot answers with 400. */
export class SearchRequestError extends Error {}

export interface SearchResult {
  total: number;
  results: SandboxCompany[];
  nextAfter?: string;
}

export function runSearch(
  body: SearchBody,
  companies: readonly SandboxCompany[],
  props: ReadonlyMap<string, SandboxProperty>,
  /** Properties the free-text `query` looks in (companies: name and domain). */
  queryFields: readonly string[] = ['name', 'domain'],
): SearchResult {
  const filterCount = body.filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (filterCount > SEARCH_MAX_FILTERS || body.filterGroups.some((g) => g.filters.length > 6)) {
    throw new SearchRequestError('Too many filters: at most 5 filterGroups, 6 filters per group and 18 filters in total.');
  }
  const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0) throw new SearchRequestError(`Invalid after: ${String(body.after)}`);
  if (after >= SEARCH_MAX_RESULTS) {
    throw new SearchRequestError(`Paging past ${SEARCH_MAX_RESULTS} results is not supported (after=${after}).`);
  }
  const limit = Math.min(body.limit, SEARCH_MAX_PAGE);
  let hits = companies.filter(
    (c) => body.filterGroups.length === 0 || body.filterGroups.some((g) => g.filters.every((f) => matches(f, c, props))),
  );
  if (body.query) {
    const q = body.query.toLowerCase();
    hits = hits.filter((c) => queryFields.some((k) => (c.properties[k] ?? '').toLowerCase().includes(q)));
  }
  const sort = body.sorts[0];
  if (sort !== undefined) {
    const name = typeof sort === 'string' ? sort.replace(/^-/, '') : sort.propertyName;
    const desc = typeof sort === 'string' ? sort.startsWith('-') : sort.direction === 'DESCENDING';
    const prop = props.get(name);
    // Keys computed once per record: sorting 10,000 records must not parse 10,000·log(10,000) dates.
    const keyed = hits.map((c) => ({ c, k: comparable(prop, c.properties[name] ?? (name === 'hs_object_id' ? c.id : null)) }));
    keyed.sort((a, b) => {
      let cmp = 0;
      if (a.k === null && b.k !== null) cmp = 1;
      else if (b.k === null && a.k !== null) cmp = -1;
      else if (a.k !== null && b.k !== null && a.k !== b.k) cmp = a.k < b.k ? -1 : 1;
      if (cmp === 0) return Number(a.c.id) - Number(b.c.id);
      return desc ? -cmp : cmp;
    });
    hits = keyed.map((x) => x.c);
  }
  const capped = hits.slice(0, SEARCH_MAX_RESULTS);
  const page = capped.slice(after, after + limit);
  const next = after + limit;
  return {
    total: hits.length,
    results: page,
    ...(next < hits.length && limit > 0 ? { nextAfter: String(next) } : {}),
  };
}
