/**
 * The Records page's search by name: each synced object type of the chosen CRM (or of every CRM) is
 * asked through its connector (`searchByName`: HubSpot CRM search, Salesforce SOQL LIKE) until
 * {@link SEARCH_LIMIT} records are found. A CRM that refuses or fails is reported on the page and
 * logged without the text searched (a person's name).
 */
import type { CrmName } from '../connectors/port.ts';
import { CrmError } from '../errors.ts';
import type { Notice, PageContext } from './layout.ts';
import type { RecordsData, RecordsQuery } from './pages/records.ts';
import type { ConsoleRuntime } from './port.ts';

/** Results shown at most: a name search is a way to one record, not a listing. */
export const SEARCH_LIMIT = 20;
/** Shortest text searched: one letter would match a large part of any CRM. */
export const SEARCH_MIN_CHARS = 2;

export async function searchRecords(
  runtime: Pick<ConsoleRuntime, 'connectors' | 'objectTypes'>,
  query: RecordsQuery,
  text: string,
  ctx: PageContext,
): Promise<{ matches: NonNullable<RecordsData['matches']>; notice?: Notice }> {
  const { t } = ctx;
  if ([...text].length < SEARCH_MIN_CHARS) return { matches: [], notice: { kind: 'error', text: t('records.tooShort', { min: SEARCH_MIN_CHARS }) } };
  const crms: CrmName[] = query.crm === undefined ? [...runtime.connectors.keys()] : [query.crm];
  const matches: Array<NonNullable<RecordsData['matches']>[number]> = [];
  const failures: string[] = [];
  for (const crm of crms) {
    const connector = runtime.connectors.get(crm);
    if (connector === undefined) continue;
    const types = query.objectType === undefined ? runtime.objectTypes(crm) : runtime.objectTypes(crm).filter((x) => x === query.objectType);
    for (const objectType of types) {
      if (matches.length >= SEARCH_LIMIT) break;
      if (connector.searchByName === undefined) {
        failures.push(t('records.noSearch', { crm }));
        break;
      }
      try {
        for (const m of await connector.searchByName(objectType, text, SEARCH_LIMIT - matches.length)) matches.push({ crm, objectType, ...m });
      } catch (err) {
        if (!(err instanceof CrmError)) throw err;
        failures.push(t('records.searchFailed', { crm, objectType, message: err.message }));
      }
    }
  }
  return { matches: matches.slice(0, SEARCH_LIMIT), ...(failures.length === 0 ? {} : { notice: { kind: 'error', text: failures.join(' ') } }) };
}
