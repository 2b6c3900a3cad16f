/**
 * Connectors built with a getter of the active mappings (as the runtime builds them) follow a
 * mapping save: their output field names change without a new connector, and stay the same
 * objects while the mappings do not change.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { parseMappingsText } from '../../src/mappings/load.ts';
import type { Mappings } from '../../src/mappings/types.ts';
import { createLogger } from '../../src/logging.ts';
import { buildConnectors } from '../../src/pipeline/wiring.ts';

const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
afterAll(() => redis.disconnect());

const env = parseEnv({
  HUBSPOT_ACCESS_TOKEN: 'test-token',
  SALESFORCE_CLIENT_ID: 'id',
  SALESFORCE_CLIENT_SECRET: 'secret',
  SALESFORCE_LOGIN_URL: 'https://login.example.com',
  SALESFORCE_OBJECTS: 'Account,Lead',
  REDIS_PREFIX: 'icptest-output-names',
  LOG_LEVEL: 'silent',
});

const renamed = parseMappingsText(`version: 1
hubspot:
  companies:
    outputs: { score: acme_fit_score }
salesforce:
  Account:
    outputs: { tier: Acme_Tier__c }
  Lead:
    outputs: { score: Lead_Fit__c }
`);

describe('connectors reading their output names through the mappings getter', () => {
  it('follow a mappings change, and keep their fields while nothing changes', async () => {
    let current: Mappings = parseMappingsText('version: 1\n');
    const connectors = await buildConnectors(env, redis, createLogger({ level: 'silent' }), () => current);
    const hubspot = connectors.get('hubspot');
    const salesforce = connectors.get('salesforce');
    const name = (fields: readonly { key: string; name: string }[] | undefined, key: string) => fields?.find((f) => f.key === key)?.name;
    const before = hubspot?.outputFields('companies');
    expect(name(before, 'score')).toBe('icp_fit_score');
    expect(hubspot?.outputFields('companies')).toBe(before);
    expect(name(salesforce?.outputFields('Account'), 'tier')).toBe('ICP_Tier__c');

    current = renamed;
    expect(name(hubspot?.outputFields('companies'), 'score')).toBe('acme_fit_score');
    expect(name(hubspot?.outputFields('contacts'), 'priorityScore')).toBe('icp_priority_score');
    expect(name(salesforce?.outputFields('Account'), 'tier')).toBe('Acme_Tier__c');
    // Leads keep their own names (set by the built-in defaults) where the edit leaves them.
    expect(name(salesforce?.outputFields('Lead'), 'tier')).toBe('ICP_Tier__c');
    expect(name(salesforce?.outputFields('Lead'), 'score')).toBe('Lead_Fit__c');
    for (const c of connectors.values()) await c.close();
  });
});
