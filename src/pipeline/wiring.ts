/**
 * Builds the CRM connectors and the enricher that the environment asks for. Each is imported only
 * when configured, so a HubSpot-only install never loads jsforce.
 */
import type { Redis } from 'ioredis';
import type { Env } from '../config/env.ts';
import type { CrmConnector } from '../connectors/port.ts';
import type { Enricher } from '../enrichment/port.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { Mappings } from '../mappings/types.ts';
import type { OutputNames } from '../connectors/output-names.ts';

/** One empty object, so that a getter returns the same names while the mappings do not change. */
const NO_NAMES: OutputNames = Object.freeze({});

export function hubspotConfigured(env: Env): boolean {
  return env.HUBSPOT_ACCESS_TOKEN !== undefined;
}

export function salesforceConfigured(env: Env): boolean {
  return env.SALESFORCE_CLIENT_ID !== undefined && (env.SALESFORCE_CLIENT_SECRET !== undefined || env.SALESFORCE_USERNAME !== undefined);
}

/**
 * `mappings`: fixed, or a getter of the active mappings, which the connectors then read their
 * output names through (a mapping saved on the console reaches them without a restart).
 */
export async function buildConnectors(env: Env, redis: Redis, logger: Logger, mappings: Mappings | (() => Mappings)): Promise<Map<CrmName, CrmConnector>> {
  const now = typeof mappings === 'function' ? mappings : () => mappings;
  const out = new Map<CrmName, CrmConnector>();
  if (hubspotConfigured(env)) {
    const { createHubSpotConnector } = await import('../connectors/hubspot/connector.ts');
    const outputFieldNames = () => now().hubspot['companies']?.outputs ?? NO_NAMES;
    const contactOutputFieldNames = () => now().hubspot['contacts']?.outputs ?? NO_NAMES;
    out.set('hubspot', createHubSpotConnector({ env, redis, logger, outputFieldNames, contactOutputFieldNames }));
  }
  if (salesforceConfigured(env)) {
    const { createSalesforceConnector } = await import('../connectors/salesforce/connector.ts');
    // One set of names for Accounts and Leads: the Salesforce connector creates the same fields on both.
    const outputFieldNames = () => now().salesforce['Account']?.outputs ?? NO_NAMES;
    // Each object's own names where its mapping sets them (Contact, Lead), as `setup salesforce` does.
    const perObject = new WeakMap<Mappings, Record<string, OutputNames | undefined>>();
    const objectOutputFieldNames = () => {
      const m = now();
      let names = perObject.get(m);
      if (names === undefined) {
        names = Object.fromEntries(Object.entries(m.salesforce).map(([t, o]) => [t, o?.outputs]));
        perObject.set(m, names);
      }
      return names;
    };
    const connector = createSalesforceConnector({ env, redis, logger, outputFieldNames, objectOutputFieldNames });
    // Its writeChanges uses Bulk API 2.0 for more than SALESFORCE_BULK_THRESHOLD changes in bulk
    // mode: backfills gather their changes up to that size (src/pipeline/bulk-stage.ts).
    out.set('salesforce', connector.bulkWriteThreshold === undefined ? { ...connector, bulkWriteThreshold: env.SALESFORCE_BULK_THRESHOLD } : connector);
  }
  return out;
}

export async function buildEnricher(env: Env, redis: Redis, logger: Logger): Promise<Enricher> {
  const { createEnricher } = await import('../enrichment/index.ts');
  return createEnricher({ env, redis, logger });
}
