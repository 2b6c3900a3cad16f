/**
 * The demo's segmented views: the same setup step as `icp-sync setup <crm>` (HubSpot active lists,
 * Salesforce list views, from the `views` of the mappings), then what it made, in a few lines. What is
 * printed comes from setup itself — the plan the connector made, the list ids setup registered, the
 * views it saved — never from names rebuilt here.
 */
import type { Redis } from 'ioredis';
import type { HubSpotConnector } from '../connectors/hubspot/connector.ts';
import { listRegistryKey, redisListRegistry } from '../connectors/hubspot/list-registry.ts';
import type { FilterBranch, WantedList } from '../connectors/hubspot/lists.ts';
import type { CrmConnector, SetupReport } from '../connectors/port.ts';
import type { SalesforceConnector } from '../connectors/salesforce/connector.ts';
import { plannedListViews, type ListViewDefinition } from '../connectors/salesforce/list-views.ts';
import { syncListViews } from '../connectors/salesforce/list-views-setup.ts';
import { peopleSpecOf } from '../connectors/setup-spec.ts';
import type { IcpModel } from '../domain/types.ts';
import { topTierNames, type SalesforceSharedTo, type ViewsConfig } from '../mappings/views.ts';
import { DemoError } from './demo-error.ts';

/** One view setup left in the CRM, as the demo prints it. */
export interface DemoView {
  /** HubSpot list id, or the Salesforce list view's `Object.DeveloperName`. */
  id: string;
  name: string;
  /** `companies`, `contacts`, `Account`, `Contact`… */
  objectType: string;
  /** The filters in words: `icp_tier is A and icp_committee_coverage < 100`. */
  filters: string;
}

export interface DemoViews {
  /** `HubSpot active lists` / `Salesforce list views (shared with all internal users)`. */
  kind: string;
  /** What setup said it did, one line each (created, updated, already right). */
  report: SetupReport;
  views: DemoView[];
}

function isHubSpot(c: CrmConnector): c is HubSpotConnector {
  return c.crm === 'hubspot' && 'planLists' in c && 'syncLists' in c;
}

function isSalesforce(c: CrmConnector): c is SalesforceConnector {
  return c.crm === 'salesforce' && 'client' in c;
}

/** An active list's filter branch in words (one AND branch under the OR root, as setup builds them). */
export function hubspotFilterText(branch: FilterBranch): string {
  return branch.filterBranches
    .map((and) =>
      and.filters
        .map((f) => (f.operation.operator === 'IS_ANY_OF' ? `${f.property} is ${f.operation.values.join(' or ')}` : `${f.property} < ${f.operation.value}`))
        .join(' and '),
    )
    .join('; or ');
}

function listViewFilterText(v: ListViewDefinition): string {
  return v.filters.map((f) => (f.operation === 'equals' ? `${f.field} = ${f.value}` : `${f.field} < ${f.value}`)).join(' and ');
}

function sharedText(to: SalesforceSharedTo): string {
  if (to === 'allInternalUsers') return 'all internal users';
  const [kind, name] = Object.entries(to)[0] ?? ['group', ''];
  return `${kind === 'group' ? 'public group' : kind === 'role' ? 'role' : 'role and subordinates'} ${name}`;
}

const OBJECT_NAME: Record<WantedList['objectTypeId'], string> = { '0-2': 'companies', '0-1': 'contacts' };

async function hubspotViews(connector: HubSpotConnector, model: IcpModel, views: ViewsConfig, redis: Redis, prefix: string, portal: string): Promise<DemoViews> {
  // The registry `setup hubspot` keeps, under the demo's private prefix: `setup hubspot --remove` with
  // the same prefix would find these lists, and the demo's clean-up removes the key.
  const registry = redisListRegistry(redis, listRegistryKey(prefix, portal));
  const wanted = connector.planLists(model, views);
  const report = await connector.syncLists(wanted, registry);
  const ids = await registry.all();
  const made = wanted.flatMap((w) => {
    const id = ids[w.viewId];
    return id === undefined ? [] : [{ id, name: w.name, objectType: OBJECT_NAME[w.objectTypeId], filters: hubspotFilterText(w.filterBranch) }];
  });
  return { kind: 'HubSpot active lists', report, views: made };
}

async function salesforceViews(connector: SalesforceConnector, model: IcpModel, views: ViewsConfig): Promise<DemoViews> {
  const people = peopleSpecOf(model);
  const planned = plannedListViews({
    views,
    ...topTierNames(model),
    people: people !== undefined,
    committee: people?.committee === true,
    objectTypes: connector.objectTypes,
    // The connector knows only the types it syncs (asking for another throws): the others have no fields here.
    outputFields: (t) => ([...connector.objectTypes, ...connector.personObjectTypes].includes(t) ? connector.outputFields(t) : []),
  });
  const report: SetupReport = { changed: [], unchanged: [], problems: [] };
  await syncListViews(connector.client, planned, false, report);
  const failed = new Set(planned.filter((v) => report.problems.some((p) => p.includes(v.fullName))).map((v) => v.fullName));
  const made = planned.filter((v) => !failed.has(v.fullName)).map((v) => ({ id: v.fullName, name: v.label, objectType: v.objectType, filters: listViewFilterText(v) }));
  return { kind: `Salesforce list views (shared with ${sharedText(views.salesforceSharedTo)})`, report, views: made };
}

export interface DemoViewsInput {
  connector: CrmConnector;
  model: IcpModel;
  views: ViewsConfig;
  redis: Redis;
  /** The demo's Redis prefix. */
  prefix: string;
  /** HubSpot portal id (the list registry's key). */
  portal: string;
}

/** Creates the model's views in the sandbox, as `setup <crm>` does; throws `DemoError` on a setup problem. */
export async function setupDemoViews(input: DemoViewsInput): Promise<DemoViews> {
  const { connector } = input;
  let result: DemoViews;
  if (isHubSpot(connector)) result = await hubspotViews(connector, input.model, input.views, input.redis, input.prefix, input.portal);
  else if (isSalesforce(connector)) result = await salesforceViews(connector, input.model, input.views);
  else throw new DemoError(`the demo cannot set up views for ${connector.crm}`);
  if (result.report.problems.length > 0) throw new DemoError(`setup of the views found problems:\n${result.report.problems.join('\n')}`);
  return result;
}

/** Lines printed under the setup step: one per view, its id, name, object and filters. */
export function viewLines(v: DemoViews): string[] {
  const idWidth = Math.max(0, ...v.views.map((x) => x.id.length));
  return v.views.map((x) => `      ${x.id.padEnd(idWidth)}  "${x.name}" — ${x.objectType} where ${x.filters}`);
}
