/**
 * The segmented views on Salesforce: list views on Account, Contact and Lead with the ICP columns and the
 * filters of the HubSpot lists (`views` in the mappings), as Metadata API `ListView` components
 * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_listview.htm), shared
 * through `sharedTo` (list views cannot be shared through a permission set).
 *
 * Ownership: a list view is icp-sync's by its developer name (`ICP_Top_Tier`, `ICP_Top_Priority`,
 * `ICP_Incomplete_Committee`), which never changes; the label and the filter follow the model's tier
 * names, so a renamed tier updates the same view on the next deploy.
 */
import { renderViewName, type SalesforceSharedTo, type ViewId, type ViewsConfig } from '../../mappings/views.ts';
import type { OutputField, OutputKey } from '../port.ts';
import { picklistApiName } from './picklist-names.ts';

/** Labels longer than this are refused by Salesforce ("must be under 40 characters", forcedotcom afv-library list-view skill). */
export const LIST_VIEW_LABEL_MAX = 40;

export interface ListViewFilter {
  field: string;
  operation: 'equals' | 'lessThan';
  value: string;
}

export interface ListViewDefinition {
  /** `Object.DeveloperName`. */
  fullName: string;
  objectType: string;
  viewId: ViewId;
  label: string;
  filterScope: 'Everything';
  columns: string[];
  filters: ListViewFilter[];
  sharedTo: SalesforceSharedTo;
}

export interface ListViewInput {
  views: ViewsConfig;
  /** The model's top tier and top priority tier (highest `min`). */
  tier: string;
  priorityTier: string;
  /** The model has roles (Contact views), and some role is required (committee view). */
  people: boolean;
  committee: boolean;
  /** Objects synced: `Account`, and `Lead` when configured; `Contact` is added with people. */
  objectTypes: readonly string[];
  outputFields: (objectType: string) => readonly OutputField[];
}

/** The developer name of each view: what makes a list view icp-sync's (setup updates it, `--remove` deletes it). */
export const LIST_VIEW_DEVELOPER_NAMES: Readonly<Record<ViewId, string>> = {
  topTierCompanies: 'ICP_Top_Tier',
  topPriorityContacts: 'ICP_Top_Priority',
  incompleteCommittee: 'ICP_Incomplete_Committee',
};

/** A label Salesforce accepts: the view's name, cut to 40 characters when longer. */
export function listViewLabel(name: string): string {
  return name.length <= LIST_VIEW_LABEL_MAX ? name : `${name.slice(0, LIST_VIEW_LABEL_MAX - 1).trimEnd()}…`;
}

/**
 * The list views a model needs. Standard columns use list-view tokens (`ACCOUNT.NAME`, `FULL_NAME`,
 * `CONTACT.TITLE`; the exact token list per object is not documented), custom fields their API names.
 */
export function plannedListViews(input: ListViewInput): ListViewDefinition[] {
  const { views } = input;
  const names = { tier: input.tier, priorityTier: input.priorityTier };
  const objects = new Set([...input.objectTypes, ...(input.people ? ['Contact'] : [])]);
  const field = (objectType: string, key: OutputKey) => input.outputFields(objectType).find((f) => f.key === key)?.name;
  const has = (objectType: string, ...keys: OutputKey[]) => keys.every((k) => field(objectType, k) !== undefined);
  const cols = (objectType: string, standard: string[], keys: OutputKey[]) => [...standard, ...keys.flatMap((k) => field(objectType, k) ?? [])];
  const out: ListViewDefinition[] = [];
  const add = (viewId: ViewId, objectType: string, columns: string[], filters: ListViewFilter[]) => {
    if (!views[viewId].enabled || !objects.has(objectType)) return;
    out.push({
      fullName: `${objectType}.${LIST_VIEW_DEVELOPER_NAMES[viewId]}`,
      objectType,
      viewId,
      label: listViewLabel(renderViewName(views[viewId].name, names)),
      filterScope: 'Everything',
      columns,
      filters,
      sharedTo: views.salesforceSharedTo,
    });
  };
  // Filters name picklist values by API name, as the records hold them (the same as the label for safe names).
  const tierIs = (objectType: string): ListViewFilter => ({ field: field(objectType, 'tier') ?? '', operation: 'equals', value: picklistApiName(input.tier) });
  const fit: OutputKey[] = ['score', 'tier', 'reasons'];

  if (has('Account', 'tier')) add('topTierCompanies', 'Account', cols('Account', ['ACCOUNT.NAME'], [...fit, ...(input.committee ? (['committeeCoverage'] as OutputKey[]) : [])]), [tierIs('Account')]);
  if (has('Lead', 'tier')) add('topTierCompanies', 'Lead', cols('Lead', ['FULL_NAME'], fit), [tierIs('Lead')]);
  if (input.people) {
    for (const objectType of ['Contact', 'Lead']) {
      if (!has(objectType, 'priorityTier')) continue;
      const standard = objectType === 'Contact' ? ['FULL_NAME', 'ACCOUNT.NAME', 'CONTACT.TITLE'] : ['FULL_NAME'];
      add('topPriorityContacts', objectType, cols(objectType, standard, ['buyingRole', 'priorityScore', 'priorityTier']), [
        { field: field(objectType, 'priorityTier') ?? '', operation: 'equals', value: picklistApiName(input.priorityTier) },
      ]);
    }
  }
  if (input.committee && has('Account', 'tier', 'committeeCoverage')) {
    add('incompleteCommittee', 'Account', cols('Account', ['ACCOUNT.NAME'], ['score', 'tier', 'committeeCoverage', 'missingRoles']), [
      tierIs('Account'),
      { field: field('Account', 'committeeCoverage') ?? '', operation: 'lessThan', value: '100' },
    ]);
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tag = (name: string, value: string, indent = '    ') => `${indent}<${name}>${esc(value)}</${name}>\n`;

function sharedToXml(to: SalesforceSharedTo): string {
  if (to === 'allInternalUsers') return '    <sharedTo>\n        <allInternalUsers></allInternalUsers>\n    </sharedTo>\n';
  const [kind, name] = Object.entries(to)[0] ?? ['group', ''];
  return `    <sharedTo>\n${tag(kind, name, '        ')}    </sharedTo>\n`;
}

/** The `.listView-meta.xml` source file of a list view (elements in the order the metadata type lists them). */
export function listViewXml(v: ListViewDefinition): string {
  const name = v.fullName.split('.')[1] ?? v.fullName;
  const filters = v.filters
    .map((f) => `    <filters>\n${tag('field', f.field, '        ')}${tag('operation', f.operation, '        ')}${tag('value', f.value, '        ')}    </filters>\n`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListView xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
    tag('fullName', name) +
    v.columns.map((c) => tag('columns', c)).join('') +
    tag('filterScope', v.filterScope) +
    filters +
    tag('label', v.label) +
    sharedToXml(v.sharedTo) +
    '</ListView>\n'
  );
}
