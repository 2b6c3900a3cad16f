/**
 * Explicit buying roles of Contacts: the `Role` of their OpportunityContactRoles (PRODUCT.md §2). Reads of
 * Contacts that ask for the pseudo-field `OpportunityContactRole.Role` get, per Contact, the distinct Role
 * values in order of first appearance (CreatedDate), or `null` when it has none. One query per batch of
 * Contacts (the id list cut to the URI budget), its further pages followed with queryMore.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunitycontactrole.html
 */
import { z } from 'zod';
import { CrmValidationError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { SalesforceClient } from './client.ts';
import { QUERY_PAGE_SIZE, SOQL_IN_LIST_URI_BUDGET } from './limits.ts';
import { soqlInList } from './soql.ts';

/**
 * The pseudo-field a Contact read asks for to get its OpportunityContactRole roles. Never sent in a Contact
 * query; the same name as the default mapping's `CONTACT_ROLES_FIELD`.
 */
export const CONTACT_ROLES_FIELD = 'OpportunityContactRole.Role';

/** The object of people whose explicit roles come from OpportunityContactRole. */
export const CONTACT_OBJECT = 'Contact';

const roleRows = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.looseObject({ ContactId: z.string().nullish(), Role: z.string().nullish() })),
});

const QUERY_HEADERS = { 'Sforce-Query-Options': `batchSize=${QUERY_PAGE_SIZE}` };

/** Ids cut into groups whose encoded `IN (…)` list, with `fixed` characters around it, fits the URI budget. */
export function inListChunks(ids: readonly string[], fixed: number, budget = SOQL_IN_LIST_URI_BUDGET): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = fixed;
  for (const id of ids) {
    const cost = encodeURIComponent(`'${id}', `).length;
    if (current.length > 0 && size + cost > budget) {
      out.push(current);
      current = [];
      size = fixed;
    }
    current.push(id);
    size += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const ROLE_QUERY_HEAD = 'SELECT ContactId, Role FROM OpportunityContactRole WHERE ContactId IN ';
const ROLE_QUERY_TAIL = ' AND Role != null ORDER BY CreatedDate ASC, Id ASC';

/** The SOQL that reads the roles of these Contacts (exported for tests and the docs). */
export function contactRolesSoql(contactIds: readonly string[]): string {
  return `${ROLE_QUERY_HEAD}${soqlInList(contactIds)}${ROLE_QUERY_TAIL}`;
}

export class ContactRoles {
  private readonly client: SalesforceClient;
  private readonly logger: Logger;
  private warned = false;

  constructor(client: SalesforceClient, logger: Logger) {
    this.client = client;
    this.logger = logger;
  }

  /**
   * Contact id (15-character form) → distinct roles in order of first appearance. Contacts without a role are
   * absent. When the integration user cannot read OpportunityContactRole (no access to Opportunities), every
   * Contact reads as having no explicit role and a warning is logged once: titles still give roles.
   */
  async rolesOf(contactIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const fixed = encodeURIComponent(`${ROLE_QUERY_HEAD}()${ROLE_QUERY_TAIL}`).length + '/query?q='.length;
    for (const chunk of inListChunks(contactIds, fixed)) {
      try {
        let res = await this.client.rest(
          'contactRoles',
          { method: 'GET', url: `/query?q=${encodeURIComponent(contactRolesSoql(chunk))}`, headers: QUERY_HEADERS },
          roleRows,
        );
        for (;;) {
          for (const r of res.records) {
            if (!r.ContactId || !r.Role) continue;
            const key = r.ContactId.slice(0, 15);
            const list = out.get(key) ?? [];
            if (!list.includes(r.Role)) list.push(r.Role);
            out.set(key, list);
          }
          if (res.done || !res.nextRecordsUrl) break;
          res = await this.client.rest('contactRoles.queryMore', { method: 'GET', url: res.nextRecordsUrl, headers: QUERY_HEADERS }, roleRows);
        }
      } catch (err) {
        if (!(err instanceof CrmValidationError && (err.vendorCode === 'INVALID_TYPE' || err.vendorCode === 'INVALID_FIELD'))) throw err;
        if (!this.warned) {
          this.warned = true;
          this.logger.warn(
            { crm: 'salesforce', objectType: 'OpportunityContactRole', vendorCode: err.vendorCode },
            'OpportunityContactRole is not readable by the integration user (it needs read access to Opportunity): Contacts read without explicit roles',
          );
        }
        return new Map();
      }
    }
    return out;
  }
}
