/**
 * Calibration inputs read from a CRM: closed deals with their account's mapped attributes
 * (`--crm`), or the whole account base (`--best FILE --crm NAME`). Connectors, rate limits and
 * field mappings are the ones the sync uses, opened through the same runtime as other commands.
 */
import type { CliContext } from '../cli/context.ts';
import { CliError } from '../cli/context.ts';
import { HubSpotHttpClient } from '../connectors/hubspot/http-client.ts';
import { hubspotPaths } from '../connectors/hubspot/paths.ts';
import type { CrmConnector, CrmRecord } from '../connectors/port.ts';
import { SalesforceClient } from '../connectors/salesforce/client.ts';
import { accountIds, type AccountRow } from '../domain/calibration/account-row.ts';
import type { IcpModel } from '../domain/types.ts';
import type { Env } from '../config/env.ts';
import { inputFields, mapRecord } from '../mappings/apply.ts';
import { loadMappings } from '../mappings/load.ts';
import type { ObjectMapping } from '../mappings/types.ts';
import { openRuntime } from '../pipeline/cli-support.ts';
import { Progress } from '../io/progress.ts';
import { fetchHubSpotClosedDeals, type CrmClosedDeal } from './hubspot-deals.ts';
import { fetchSalesforceClosedDeals } from './salesforce-deals.ts';

export type CalibrationCrm = 'hubspot' | 'salesforce';

/** The account object whose attributes describe a deal's buyer. */
const ACCOUNT_OBJECT: Record<CalibrationCrm, string> = { hubspot: 'companies', salesforce: 'Account' };

export function isCalibrationCrm(s: string): s is CalibrationCrm {
  return s === 'hubspot' || s === 'salesforce';
}

interface Opened {
  env: Env;
  connector: CrmConnector;
  mapping: ObjectMapping;
  close(): Promise<void>;
}

async function open(crm: CalibrationCrm): Promise<Opened> {
  const { env, runtime } = await openRuntime({ workers: false });
  try {
    const connector = runtime.connectors.get(crm);
    if (connector === undefined) {
      const keys = crm === 'hubspot' ? 'HUBSPOT_ACCESS_TOKEN' : 'SALESFORCE_CLIENT_ID with SALESFORCE_CLIENT_SECRET or SALESFORCE_USERNAME';
      throw new CliError(`${crm} is not configured: set ${keys}`, 1);
    }
    const mappings = await loadMappings({ path: env.ICP_MAPPINGS_PATH, required: env.ICP_MAPPINGS_PATH !== 'config/mappings.yaml' });
    const mapping = mappings[crm][ACCOUNT_OBJECT[crm]];
    if (mapping === undefined) throw new CliError(`no ${crm} ${ACCOUNT_OBJECT[crm]} mapping in ${env.ICP_MAPPINGS_PATH}`, 1);
    return { env, connector, mapping, close: () => runtime.close() };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}

function noteUnmapped(mapping: ObjectMapping, model: IcpModel | undefined, ctx: CliContext): void {
  const unmapped = [...new Set((model?.criteria ?? []).map((c) => c.attribute))].filter((a) => mapping.attributes[a] === undefined);
  if (unmapped.length > 0) ctx.stderr.write(`note: no CRM mapping for model attribute(s) ${unmapped.join(', ')}: they count as missing\n`);
}

function accountRow(mapping: ObjectMapping, record: CrmRecord, source: string, deal?: CrmClosedDeal): AccountRow {
  const { attributes } = mapRecord(mapping, record);
  return {
    ids: accountIds(record.id, attributes['domain'], attributes['name']),
    attributes,
    source,
    ...(deal === undefined
      ? {}
      : {
          won: deal.won,
          ...(deal.amount === undefined ? {} : { amount: deal.amount }),
          ...(deal.cycleDays === undefined ? {} : { cycleDays: deal.cycleDays }),
          ...(deal.closeDate === undefined ? {} : { closeDate: deal.closeDate }),
        }),
  };
}

/** Closed deals since `since` (`YYYY-MM-DD`), one row per deal, with the account's attributes. */
export async function readCrmDeals(crm: CalibrationCrm, since: string, model: IcpModel | undefined, ctx: CliContext): Promise<AccountRow[]> {
  const o = await open(crm);
  try {
    noteUnmapped(o.mapping, model, ctx);
    const fields = inputFields(o.mapping);
    const client = (o.connector as { client?: unknown }).client;
    const rows: AccountRow[] = [];
    let withoutAccount = 0;
    const progress = new Progress(ctx.stderr, ctx.stderr.isTTY === true);
    const tick = (n: number): void => progress.tick(n);
    if (crm === 'hubspot') {
      if (!(client instanceof HubSpotHttpClient)) throw new Error('the HubSpot connector exposes no client');
      const deals = await fetchHubSpotClosedDeals(client, hubspotPaths(o.env.HUBSPOT_API_VERSION), since, tick);
      const ids = [...new Set(deals.flatMap((d) => (d.accountId === undefined ? [] : [d.accountId])))];
      const companies = new Map<string, CrmRecord>();
      for (let i = 0; i < ids.length; i += o.connector.batchSize.read) {
        for (const r of await o.connector.readByIds('companies', ids.slice(i, i + o.connector.batchSize.read), fields)) companies.set(r.id, r);
      }
      for (const d of deals) {
        const company = d.accountId === undefined ? undefined : companies.get(d.accountId);
        if (company === undefined) withoutAccount++;
        else rows.push(accountRow(o.mapping, company, `deal ${d.id}`, d));
      }
    } else {
      if (!(client instanceof SalesforceClient)) throw new Error('the Salesforce connector exposes no client');
      for (const d of await fetchSalesforceClosedDeals(client, fields, since, tick)) {
        if (d.account === undefined) withoutAccount++;
        else rows.push(accountRow(o.mapping, d.account, `Opportunity ${d.id}`, d));
      }
    }
    progress.clear();
    if (withoutAccount > 0) ctx.stderr.write(`note: ${withoutAccount} closed deal(s) have no ${ACCOUNT_OBJECT[crm]} and were left out\n`);
    return rows;
  } finally {
    await o.close();
  }
}

/** Every account of the CRM (companies, Accounts), through the connector's full listing. */
export async function readCrmAccounts(crm: CalibrationCrm, model: IcpModel | undefined, ctx: CliContext): Promise<AccountRow[]> {
  const o = await open(crm);
  try {
    noteUnmapped(o.mapping, model, ctx);
    const fields = inputFields(o.mapping);
    const rows: AccountRow[] = [];
    const progress = new Progress(ctx.stderr, ctx.stderr.isTTY === true);
    let cursor: string | undefined;
    do {
      const page = await o.connector.listAll(ACCOUNT_OBJECT[crm], fields, cursor);
      for (const r of page.records) rows.push(accountRow(o.mapping, r, `${ACCOUNT_OBJECT[crm]} ${r.id}`));
      progress.tick(rows.length);
      cursor = page.next;
    } while (cursor !== undefined);
    progress.clear();
    if (rows.length === 0) throw new CliError(`no ${ACCOUNT_OBJECT[crm]} in ${crm}: the base is empty`, 1);
    return rows;
  } finally {
    await o.close();
  }
}
