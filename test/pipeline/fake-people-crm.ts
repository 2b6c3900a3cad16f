/**
 * A HubSpot-shaped CRM with companies and contacts for the buying-roles pipeline tests: one fake
 * store per object type, contacts carrying their company associations (`companyIds`, `primary`),
 * every call counted per object type.
 */
import type { CrmConnector, CrmRecord, OutputField } from '../../src/connectors/port.ts';
import { createFakeConnector, FAKE_OUTPUT_FIELDS, type FakeConnector } from './fake-connector.ts';

export const CONTACT_OUTPUT_FIELDS: readonly OutputField[] = [
  { key: 'buyingRole', name: 'icp_buying_role', kind: 'enum' },
  { key: 'priorityScore', name: 'icp_priority_score', kind: 'number' },
  { key: 'priorityTier', name: 'icp_priority_tier', kind: 'enum' },
  { key: 'accountTier', name: 'icp_account_tier', kind: 'enum' },
  { key: 'modelVersion', name: 'icp_model_version', kind: 'text' },
  { key: 'scoredAt', name: 'icp_scored_at', kind: 'datetime' },
];

export const COMPANY_OUTPUT_FIELDS: readonly OutputField[] = [
  ...FAKE_OUTPUT_FIELDS,
  { key: 'committeeCoverage', name: 'icp_committee_coverage', kind: 'number' },
  { key: 'missingRoles', name: 'icp_missing_roles', kind: 'text' },
];

export interface PeopleCrm extends CrmConnector {
  companies: FakeConnector;
  contacts: FakeConnector;
  /** Associations of each contact: company ids, and the primary one if any. */
  links: Map<string, { companyIds: string[]; primary?: string }>;
}

/** The one company a contact counts for: the primary, else the lowest id. */
export function accountOf(links: PeopleCrm['links'], contactId: string): string | null {
  const l = links.get(contactId);
  if (!l || l.companyIds.length === 0) return null;
  if (l.primary !== undefined && l.companyIds.includes(l.primary)) return l.primary;
  return [...l.companyIds].sort((a, b) => Number(a) - Number(b))[0] ?? null;
}

export function createPeopleCrm(): PeopleCrm {
  const companies = createFakeConnector();
  const contacts = createFakeConnector();
  const links: PeopleCrm['links'] = new Map();
  const of = (t: string): FakeConnector => {
    if (t === 'companies') return companies;
    if (t === 'contacts') return contacts;
    throw new Error(`unknown object ${t}`);
  };
  const withAccounts = (t: string, records: CrmRecord[]): CrmRecord[] =>
    t === 'contacts' ? records.map((r) => ({ ...r, accountId: accountOf(links, r.id) })) : records;
  return {
    ...companies,
    companies,
    contacts,
    links,
    crm: 'hubspot',
    objectTypes: ['companies'],
    personObjectTypes: ['contacts'],
    objectKinds: { companies: 'account', contacts: 'person' },
    outputFields: (t) => (t === 'contacts' ? CONTACT_OUTPUT_FIELDS : COMPANY_OUTPUT_FIELDS),
    readByIds: async (t, ids, fields) => withAccounts(t, await of(t).readByIds(t, ids, fields)),
    listAll: async (t, fields, cursor) => {
      const page = await of(t).listAll(t, fields, cursor);
      return { ...page, records: withAccounts(t, page.records) };
    },
    listModifiedSince: async (t, fields, since, cursor) => {
      const page = await of(t).listModifiedSince(t, fields, since, cursor);
      return { ...page, records: withAccounts(t, page.records) };
    },
    writeChanges: (t, changes, options) => of(t).writeChanges(t, changes, options),
  };
}
