/**
 * How the running service reads a CRM's closed deals for the console (the what-if deal check and
 * the Calibration page): the calibration reader over the sync's own connector, mappings and rate
 * limits, built once by the runtime.
 */
import type { Env } from '../config/env.ts';
import type { CrmConnector } from '../connectors/port.ts';
import type { IcpModel } from '../domain/types.ts';
import { ConfigError, type CrmName } from '../errors.ts';
import type { Mappings } from '../mappings/types.ts';
import { readClosedDealRows, type DealRead } from './crm-deal-reader.ts';

/**
 * Reads the deals of `crm` closed on or after `since` (`YYYY-MM-DD`), one row per deal with an
 * account. `onProgress` gets the number of deals read so far.
 */
export type ClosedDealReader = (crm: CrmName, since: string, onProgress?: (deals: number) => void) => Promise<DealRead>;

/** How far back the console reads closed deals, as `calibrate --since` (its default). */
export const CONSOLE_DEALS_SINCE = '24m';

export interface DealReaderOptions {
  connectors: ReadonlyMap<CrmName, CrmConnector>;
  mappings: Mappings;
  /** `HUBSPOT_API_VERSION` and `SALESFORCE_LOST_REASON_FIELD`. */
  env: Pick<Env, 'HUBSPOT_API_VERSION' | 'SALESFORCE_LOST_REASON_FIELD'>;
  /** The model whose `roles` resolve the people on deals: the one in use at read time. */
  model(): IcpModel;
}

export function closedDealReader(o: DealReaderOptions): ClosedDealReader {
  return async (crm, since, onProgress) => {
    const connector = o.connectors.get(crm);
    if (connector === undefined) throw new ConfigError([`${crm} is not configured on this instance`]);
    return readClosedDealRows(
      {
        crm,
        connector,
        mappings: o.mappings,
        model: o.model(),
        hubspotApiVersion: o.env.HUBSPOT_API_VERSION,
        ...(o.env.SALESFORCE_LOST_REASON_FIELD === undefined ? {} : { salesforceLostReasonField: o.env.SALESFORCE_LOST_REASON_FIELD }),
        ...(onProgress === undefined ? {} : { onProgress }),
      },
      since,
    );
  };
}
