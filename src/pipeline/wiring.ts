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

interface ConnectorDeps {
  env: Env;
  redis: Redis;
  logger: Logger;
}

type ConnectorFactory = (deps: ConnectorDeps) => CrmConnector | Promise<CrmConnector>;

async function factory(path: string, name: string): Promise<ConnectorFactory> {
  const mod = (await import(path)) as Record<string, unknown>;
  const f = mod[name];
  if (typeof f !== 'function') throw new Error(`${path} does not export ${name}`);
  return f as ConnectorFactory;
}

export function hubspotConfigured(env: Env): boolean {
  return env.HUBSPOT_ACCESS_TOKEN !== undefined;
}

export function salesforceConfigured(env: Env): boolean {
  return env.SALESFORCE_CLIENT_ID !== undefined && (env.SALESFORCE_CLIENT_SECRET !== undefined || env.SALESFORCE_USERNAME !== undefined);
}

export async function buildConnectors(env: Env, redis: Redis, logger: Logger): Promise<Map<CrmName, CrmConnector>> {
  const out = new Map<CrmName, CrmConnector>();
  const deps = { env, redis, logger };
  if (hubspotConfigured(env)) {
    const create = await factory('../connectors/hubspot/connector.ts', 'createHubSpotConnector');
    out.set('hubspot', await create(deps));
  }
  if (salesforceConfigured(env)) {
    const create = await factory('../connectors/salesforce/connector.ts', 'createSalesforceConnector');
    out.set('salesforce', await create(deps));
  }
  return out;
}

export async function buildEnricher(env: Env, redis: Redis, logger: Logger): Promise<Enricher> {
  const mod = (await import('../enrichment/index.ts' as string)) as Record<string, unknown>;
  const create = mod['createEnricher'];
  if (typeof create !== 'function') throw new Error('src/enrichment/index.ts does not export createEnricher');
  return (await (create as (o: ConnectorDeps) => Enricher | Promise<Enricher>)({ env, redis, logger }));
}
