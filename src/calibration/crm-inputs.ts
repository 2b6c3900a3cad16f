/**
 * Calibration inputs read from a CRM: closed deals with their account's mapped attributes
 * (`--crm`), or the whole account base (`--best FILE --crm NAME`). Connectors, rate limits and
 * field mappings are the ones the sync uses, opened through the same runtime as other commands.
 */
import type { CliContext } from '../cli/context.ts';
import { CliError } from '../cli/context.ts';
import type { CrmConnector } from '../connectors/port.ts';
import type { AccountRow } from '../domain/calibration/account-row.ts';
import type { IcpModel } from '../domain/types.ts';
import type { Env } from '../config/env.ts';
import { inputFields } from '../mappings/apply.ts';
import { loadMappings } from '../mappings/load.ts';
import type { Mappings, ObjectMapping } from '../mappings/types.ts';
import { openRuntime } from '../pipeline/cli-support.ts';
import { Progress } from '../io/progress.ts';
import { ACCOUNT_OBJECT, accountRow, readClosedDealRows, type CalibrationCrm } from './crm-deal-reader.ts';

export type { CalibrationCrm } from './crm-deal-reader.ts';

export function isCalibrationCrm(s: string): s is CalibrationCrm {
  return s === 'hubspot' || s === 'salesforce';
}

interface Opened {
  env: Env;
  connector: CrmConnector;
  mappings: Mappings;
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
    return { env, connector, mappings, mapping, close: () => runtime.close() };
  } catch (err) {
    await runtime.close();
    throw err;
  }
}

function noteUnmapped(mapping: ObjectMapping, model: IcpModel | undefined, ctx: CliContext): void {
  const unmapped = [...new Set((model?.criteria ?? []).map((c) => c.attribute))].filter((a) => mapping.attributes[a] === undefined);
  if (unmapped.length > 0) ctx.stderr.write(`note: no CRM mapping for model attribute(s) ${unmapped.join(', ')}: they count as missing\n`);
}

/** Closed deals since `since` (`YYYY-MM-DD`), one row per deal, with the account's attributes, lost reason and roles. */
export async function readCrmDeals(crm: CalibrationCrm, since: string, model: IcpModel | undefined, ctx: CliContext): Promise<AccountRow[]> {
  const o = await open(crm);
  try {
    noteUnmapped(o.mapping, model, ctx);
    const progress = new Progress(ctx.stderr, ctx.stderr.isTTY === true);
    const read = await readClosedDealRows(
      {
        crm,
        connector: o.connector,
        mappings: o.mappings,
        ...(model === undefined ? {} : { model }),
        hubspotApiVersion: o.env.HUBSPOT_API_VERSION,
        ...(o.env.SALESFORCE_LOST_REASON_FIELD === undefined ? {} : { salesforceLostReasonField: o.env.SALESFORCE_LOST_REASON_FIELD }),
        onProgress: (n) => progress.tick(n),
      },
      since,
    );
    progress.clear();
    for (const note of read.notes) ctx.stderr.write(`note: ${note}\n`);
    if (read.withoutAccount > 0) ctx.stderr.write(`note: ${read.withoutAccount} closed deal(s) have no ${ACCOUNT_OBJECT[crm]} and were left out\n`);
    return read.rows;
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
