/**
 * Deals in the sandbox portal: records with HubSpot's default deal properties, their stage in the
 * default sales pipeline (HubSpot computes `hs_is_closed` and `hs_is_closed_won` from the stage's
 * closed / won flags), and their associations to companies (primary typeId 5, unlabelled 341) and to
 * contacts (typeId 3), as the associations v4 API reports them.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/associations/overview (type ids)
 * https://knowledge.hubspot.com/object-settings/set-up-and-customize-pipelines (stage flags)
 * Kept beside the store (one per store, see `dealsOf`) so companies and contacts stay as they are.
 */
import type { SandboxProperty } from './properties.ts';
import type { SandboxRecord, SandboxStore } from './store.ts';

/** HubSpot-defined deal association type ids. */
export const DEAL_ASSOCIATION_TYPE = { dealToContact: 3, primaryDealToCompany: 5, dealToCompany: 341 } as const;

/** The default sales pipeline's stages: internal value, label, closed, won. */
export const DEFAULT_PIPELINE_STAGES: ReadonlyArray<{ value: string; label: string; closed: boolean; won: boolean }> = [
  { value: 'appointmentscheduled', label: 'Appointment Scheduled', closed: false, won: false },
  { value: 'qualifiedtobuy', label: 'Qualified To Buy', closed: false, won: false },
  { value: 'presentationscheduled', label: 'Presentation Scheduled', closed: false, won: false },
  { value: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', closed: false, won: false },
  { value: 'contractsent', label: 'Contract Sent', closed: false, won: false },
  { value: 'closedwon', label: 'Closed Won', closed: true, won: true },
  { value: 'closedlost', label: 'Closed Lost', closed: true, won: false },
];

function prop(name: string, label: string, type: string, fieldType: string, calculated = false): SandboxProperty {
  const at = '2019-08-06T02:41:52.000Z';
  const options =
    name === 'dealstage'
      ? DEFAULT_PIPELINE_STAGES.map((s, i) => ({ label: s.label, value: s.value, displayOrder: i, hidden: false }))
      : type === 'bool'
        ? [
            { label: 'True', value: 'true', displayOrder: 0, hidden: false },
            { label: 'False', value: 'false', displayOrder: 1, hidden: false },
          ]
        : [];
  return {
    name,
    label,
    type,
    fieldType,
    groupName: 'dealinformation',
    description: '',
    options,
    displayOrder: -1,
    hidden: false,
    formField: false,
    hasUniqueValue: false,
    calculated,
    externalOptions: false,
    createdAt: at,
    updatedAt: at,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: calculated },
  };
}

/** The default deal properties the sandbox knows (a subset of a real portal's). */
export function defaultDealProperties(): Map<string, SandboxProperty> {
  const list = [
    prop('dealname', 'Deal Name', 'string', 'text'),
    prop('amount', 'Amount', 'number', 'number'),
    prop('closedate', 'Close Date', 'datetime', 'date'),
    prop('createdate', 'Create Date', 'datetime', 'date', true),
    prop('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', true),
    prop('hs_object_id', 'Record ID', 'number', 'number', true),
    prop('pipeline', 'Pipeline', 'enumeration', 'select'),
    prop('dealstage', 'Deal Stage', 'enumeration', 'radio'),
    prop('hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', true),
    prop('hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', true),
    prop('closed_lost_reason', 'Closed Lost Reason', 'string', 'textarea'),
    prop('closed_won_reason', 'Closed Won Reason', 'string', 'textarea'),
  ];
  return new Map(list.map((p) => [p.name, p]));
}

export interface NewDeal {
  properties: Record<string, string | null>;
  /** Companies, the first one primary. */
  companyIds?: readonly string[];
  contactIds?: readonly string[];
  /** ISO creation time (default now). */
  createdAt?: string;
}

export class SandboxDeals {
  readonly records = new Map<string, SandboxRecord>();
  readonly properties = defaultDealProperties();
  /** deal id → company id → type ids (341, plus 5 for the primary). */
  readonly companies = new Map<string, Map<string, number[]>>();
  /** deal id → contact ids (type 3). */
  readonly contacts = new Map<string, string[]>();
  private nextId = 30_000_000_001;

  /** Creates a deal; `hs_is_closed` / `hs_is_closed_won` follow its stage. Returns it. */
  create(deal: NewDeal): SandboxRecord {
    const id = String(this.nextId);
    this.nextId += 1;
    const at = deal.createdAt ?? new Date().toISOString();
    const stage = DEFAULT_PIPELINE_STAGES.find((s) => s.value === deal.properties['dealstage']);
    const record: SandboxRecord = {
      id,
      properties: {
        pipeline: 'default',
        ...deal.properties,
        hs_object_id: id,
        createdate: at,
        hs_lastmodifieddate: at,
        hs_is_closed: String(stage?.closed ?? false),
        hs_is_closed_won: String(stage?.won ?? false),
      },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.records.set(id, record);
    const companies = new Map<string, number[]>();
    (deal.companyIds ?? []).forEach((c, i) => {
      companies.set(c, i === 0 ? [DEAL_ASSOCIATION_TYPE.primaryDealToCompany, DEAL_ASSOCIATION_TYPE.dealToCompany] : [DEAL_ASSOCIATION_TYPE.dealToCompany]);
    });
    if (companies.size > 0) this.companies.set(id, companies);
    if ((deal.contactIds ?? []).length > 0) this.contacts.set(id, [...new Set(deal.contactIds)]);
    return record;
  }

  /** Live deals. */
  list(): SandboxRecord[] {
    return [...this.records.values()].filter((d) => !d.archived);
  }

  /** The deal's associations to companies or contacts, as (id, type ids) pairs. */
  links(dealId: string, to: 'companies' | 'contacts'): Array<{ id: string; typeIds: number[] }> {
    if (to === 'companies') return [...(this.companies.get(dealId) ?? new Map<string, number[]>()).entries()].map(([id, typeIds]) => ({ id, typeIds }));
    return (this.contacts.get(dealId) ?? []).map((id) => ({ id, typeIds: [DEAL_ASSOCIATION_TYPE.dealToContact] }));
  }
}

const DEALS = new WeakMap<SandboxStore, SandboxDeals>();

/** The deals of a sandbox portal (created empty on first use). */
export function dealsOf(store: SandboxStore): SandboxDeals {
  let d = DEALS.get(store);
  if (d === undefined) {
    d = new SandboxDeals();
    DEALS.set(store, d);
  }
  return d;
}
