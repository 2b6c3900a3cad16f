/**
 * The segmented views on HubSpot: active (DYNAMIC) lists filtered on icp-sync's properties, created and
 * kept in line with the model by `setup hubspot` (Lists API v3,
 * https://developers.hubspot.com/docs/api-reference/crm-lists-v3/guide).
 *
 * Ownership: a list is icp-sync's when its id is in the list registry (`list-registry.ts`). Only those
 * are renamed, refiltered or deleted. A list found by name that is not registered is adopted only when it
 * is exactly what setup would create (same name, object type, DYNAMIC, same filters) — e.g. after the
 * registry was lost; any other list with a wanted name is reported, never changed.
 *
 * Cost per run: one GET per registered list, one GET by name per wanted list not yet registered, plus one
 * create, rename or filter update per change. A second run: one GET per list (3 by default).
 */
import { z } from 'zod';
import type { IcpModel } from '../../domain/types.ts';
import { CrmAuthError, CrmError } from '../../errors.ts';
import { renderViewName, topTierNames, VIEW_IDS, type ViewId, type ViewsConfig } from '../../mappings/views.ts';
import type { SetupReport } from '../port.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import type { ListRegistry } from './list-registry.ts';
import type { HubSpotPaths } from './paths.ts';
import { parseVendor } from './records.ts';

/** HubSpot object type ids the lists use: `0-2` companies, `0-1` contacts. */
const COMPANIES = '0-2';
const CONTACTS = '0-1';

type Operation =
  | { operationType: 'ENUMERATION'; operator: 'IS_ANY_OF'; values: string[]; includeObjectsWithNoValueSet: false }
  | { operationType: 'NUMBER'; operator: 'IS_LESS_THAN'; value: number; includeObjectsWithNoValueSet: false };

interface PropertyFilter {
  filterType: 'PROPERTY';
  property: string;
  operation: Operation;
}

/** One AND branch under the OR root: the shape the filter guide requires for DYNAMIC lists. */
export interface FilterBranch {
  filterBranchType: 'OR';
  filterBranchOperator: 'OR';
  filters: [];
  filterBranches: Array<{ filterBranchType: 'AND'; filterBranchOperator: 'AND'; filterBranches: []; filters: PropertyFilter[] }>;
}

export interface WantedList {
  viewId: ViewId;
  name: string;
  objectTypeId: typeof COMPANIES | typeof CONTACTS;
  filterBranch: FilterBranch;
}

/** Property names the filters read (the mappings' output names). */
export interface ListProperties {
  tier: string;
  committeeCoverage: string;
  priorityTier: string;
}

const allOf = (...filters: PropertyFilter[]): FilterBranch => ({
  filterBranchType: 'OR',
  filterBranchOperator: 'OR',
  filters: [],
  filterBranches: [{ filterBranchType: 'AND', filterBranchOperator: 'AND', filterBranches: [], filters }],
});
const isAnyOf = (property: string, value: string): PropertyFilter => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: [value], includeObjectsWithNoValueSet: false },
});
const lessThan = (property: string, value: number): PropertyFilter => ({
  filterType: 'PROPERTY',
  property,
  operation: { operationType: 'NUMBER', operator: 'IS_LESS_THAN', value, includeObjectsWithNoValueSet: false },
});

/**
 * The lists a model needs: the top tier's companies; with roles, the top priority tier's contacts; with a
 * required role, the top tier's companies whose committee coverage is under 100. Disabled views are left out.
 */
export function plannedLists(model: IcpModel, views: ViewsConfig, props: ListProperties): WantedList[] {
  const names = topTierNames(model);
  const { tier, priorityTier } = names;
  const all: Record<ViewId, WantedList | undefined> = {
    topTierCompanies: { viewId: 'topTierCompanies', name: '', objectTypeId: COMPANIES, filterBranch: allOf(isAnyOf(props.tier, tier)) },
    topPriorityContacts: model.roles
      ? { viewId: 'topPriorityContacts', name: '', objectTypeId: CONTACTS, filterBranch: allOf(isAnyOf(props.priorityTier, priorityTier)) }
      : undefined,
    incompleteCommittee: model.roles?.list.some((r) => r.required)
      ? { viewId: 'incompleteCommittee', name: '', objectTypeId: COMPANIES, filterBranch: allOf(isAnyOf(props.tier, tier), lessThan(props.committeeCoverage, 100)) }
      : undefined,
  };
  return VIEW_IDS.flatMap((id) => {
    const list = all[id];
    return list && views[id].enabled ? [{ ...list, name: renderViewName(views[id].name, names) }] : [];
  });
}

const listSchema = z
  .object({
    listId: z.string(),
    name: z.string(),
    objectTypeId: z.string(),
    processingType: z.string(),
    filterBranch: z.unknown().optional(),
  })
  .loose();
type HubSpotList = z.infer<typeof listSchema>;
const listEnvelope = z.object({ list: listSchema }).loose();

/**
 * Filters in a comparable form: one sorted line per filter of each AND branch. What HubSpot adds (ids,
 * defaults) is ignored, so a list it echoes back equals the one setup sent.
 */
function filterKey(branch: unknown): string {
  const f = z
    .object({
      filterBranches: z.array(
        z.object({ filters: z.array(z.object({ property: z.string(), operation: z.object({ operator: z.string(), values: z.array(z.string()).optional(), value: z.number().optional() }).loose() }).loose()) }).loose(),
      ),
    })
    .loose()
    .safeParse(branch);
  if (!f.success) return 'unreadable';
  return JSON.stringify(
    f.data.filterBranches
      .map((b) => b.filters.map((x) => `${x.property} ${x.operation.operator} ${JSON.stringify(x.operation.values ?? x.operation.value ?? null)}`).sort())
      .sort(),
  );
}

const sameFilters = (a: unknown, b: unknown) => filterKey(a) === filterKey(b);

export interface ListContext {
  client: HubSpotHttpClient;
  paths: HubSpotPaths;
  registry: ListRegistry;
}

async function getById(ctx: ListContext, listId: string): Promise<HubSpotList | undefined> {
  const res = await ctx.client.request({ method: 'GET', path: `${ctx.paths.lists()}/${encodeURIComponent(listId)}`, query: { includeFilters: true }, accept: [404], label: 'list get' });
  return res.status === 404 ? undefined : parseVendor(listEnvelope, res.body, 'list').list;
}

async function getByName(ctx: ListContext, objectTypeId: string, name: string): Promise<HubSpotList | undefined> {
  const res = await ctx.client.request({
    method: 'GET',
    path: `${ctx.paths.lists()}/object-type-id/${objectTypeId}/name/${encodeURIComponent(name)}`,
    query: { includeFilters: true },
    accept: [404],
    label: 'list get by name',
  });
  return res.status === 404 ? undefined : parseVendor(listEnvelope, res.body, 'list').list;
}

/** The registered lists that still exist in HubSpot, by view id; stale registry entries are forgotten (not in a dry run). */
async function registeredLists(ctx: ListContext, dryRun: boolean): Promise<Map<string, HubSpotList>> {
  const found = new Map<string, HubSpotList>();
  for (const [viewId, listId] of Object.entries(await ctx.registry.all())) {
    const list = await getById(ctx, listId);
    if (list) found.set(viewId, list);
    else if (!dryRun) await ctx.registry.forget(viewId);
  }
  return found;
}

/**
 * Creates the wanted lists that are missing, renames and refilters icp-sync's lists that drifted from the
 * model, and reports lists icp-sync created that the model or the views no longer need. Idempotent.
 */
export async function syncLists(ctx: ListContext, wanted: readonly WantedList[], dryRun: boolean, report: SetupReport): Promise<void> {
  const would = dryRun ? 'would ' : '';
  try {
    const ours = await registeredLists(ctx, dryRun);
    for (const want of wanted) {
      const list = ours.get(want.viewId);
      if (list) {
        await updateOurs(ctx, list, want, would, dryRun, report);
        continue;
      }
      const named = await getByName(ctx, want.objectTypeId, want.name);
      if (named) {
        if (named.processingType === 'DYNAMIC' && sameFilters(named.filterBranch, want.filterBranch)) {
          if (!dryRun) await ctx.registry.set(want.viewId, named.listId);
          report.unchanged.push(`list "${want.name}" exists with the expected filters (id ${named.listId}); ${would}remember it as icp-sync's`);
        } else {
          report.problems.push(`a list named "${want.name}" (id ${named.listId}) exists that icp-sync did not create: rename it in HubSpot, or set views.${want.viewId}.name in the mappings`);
        }
        continue;
      }
      if (!dryRun) {
        const res = await ctx.client.request({
          method: 'POST',
          path: ctx.paths.lists(),
          body: { name: want.name, objectTypeId: want.objectTypeId, processingType: 'DYNAMIC', filterBranch: want.filterBranch },
          accept: [409],
          label: 'list create',
        });
        if (res.status === 409) {
          // Names are unique across all object types: the clash is with a list of another object type.
          report.problems.push(`cannot create list "${want.name}": the name is taken by another HubSpot list; set views.${want.viewId}.name in the mappings`);
          continue;
        }
        await ctx.registry.set(want.viewId, parseVendor(listEnvelope, res.body, 'list create').list.listId);
      }
      report.changed.push(`${would}create active list "${want.name}" (${want.objectTypeId === COMPANIES ? 'companies' : 'contacts'})`);
    }
    const wantedIds = new Set(wanted.map((w) => w.viewId));
    for (const [viewId, list] of ours) {
      if (!wantedIds.has(viewId as ViewId)) {
        report.unchanged.push(`list "${list.name}" (id ${list.listId}) was created by icp-sync and is no longer needed (view ${viewId} off or not in the model): \`setup hubspot --remove\` deletes it`);
      }
    }
    if (!ctx.registry.durable) {
      report.unchanged.push('Redis does not answer: lists are matched by name and filters only, so a renamed tier creates a new list instead of renaming the old one');
    }
  } catch (err) {
    if (err instanceof CrmAuthError) {
      report.problems.push(`lists: ${err.message}`);
      return;
    }
    throw err;
  }
}

async function updateOurs(ctx: ListContext, list: HubSpotList, want: WantedList, would: string, dryRun: boolean, report: SetupReport): Promise<void> {
  const base = `${ctx.paths.lists()}/${encodeURIComponent(list.listId)}`;
  let changed = false;
  if (list.name !== want.name) {
    if (!dryRun) {
      const res = await ctx.client.request({ method: 'PUT', path: `${base}/update-list-name`, query: { listName: want.name }, accept: [409], label: 'list rename' });
      if (res.status === 409) {
        report.problems.push(`cannot rename list "${list.name}" to "${want.name}": another list has that name; set views.${want.viewId}.name in the mappings`);
        return;
      }
    }
    report.changed.push(`${would}rename list "${list.name}" → "${want.name}"`);
    changed = true;
  }
  if (!sameFilters(list.filterBranch, want.filterBranch)) {
    if (!dryRun) {
      await ctx.client.request({ method: 'PUT', path: `${base}/update-list-filters`, query: { enrollObjectsInWorkflows: false }, body: { filterBranch: want.filterBranch }, label: 'list filters' });
    }
    report.changed.push(`${would}update the filters of list "${want.name}"`);
    changed = true;
  }
  if (!changed) report.unchanged.push(`list "${want.name}" is up to date (id ${list.listId})`);
}

/** Deletes every list icp-sync created (the registered ones), and nothing else. */
export async function removeLists(ctx: ListContext, dryRun: boolean, report: SetupReport): Promise<void> {
  const would = dryRun ? 'would ' : '';
  try {
    for (const [viewId, list] of await registeredLists(ctx, dryRun)) {
      if (!dryRun) {
        await ctx.client.request({ method: 'DELETE', path: `${ctx.paths.lists()}/${encodeURIComponent(list.listId)}`, accept: [404], label: 'list delete' });
        await ctx.registry.forget(viewId);
      }
      report.changed.push(`${would}delete list "${list.name}" (id ${list.listId})`);
    }
  } catch (err) {
    if (err instanceof CrmAuthError || (err instanceof CrmError && err.status === 403)) {
      report.problems.push(`lists: ${err.message}`);
      return;
    }
    throw err;
  }
}
