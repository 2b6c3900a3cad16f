/**
 * A model without tags: HubSpot requires options on an enumeration property, so `icp_tags` is
 * created with one hidden placeholder option, and the model's tags join it once there are some.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TAGS_PLACEHOLDER } from '../../../src/connectors/hubspot/setup.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { redisConnector, testEnv } from './helpers.ts';

let sandbox: HubSpotSandbox;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ seed: 2 });
});

afterAll(async () => {
  await sandbox.close();
});

describe('setup of a model with no tags', () => {
  it('creates icp_tags with a hidden placeholder, then adds the tags next to it', async () => {
    const rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_ACCESS_TOKEN: sandbox.accessToken }));
    try {
      const first = await rc.connector.setup({ tiers: ['A', 'B', 'C'], tags: [] });
      expect(first.problems).toEqual([]);
      expect(first.changed).toContain('create property icp_tags (enumeration/checkbox)');
      expect(sandbox.store.properties.get('icp_tags')?.options).toEqual([expect.objectContaining({ value: NO_TAGS_PLACEHOLDER.value, hidden: true })]);

      const again = await rc.connector.setup({ tiers: ['A', 'B', 'C'], tags: [] });
      expect(again.problems).toEqual([]);
      expect(again.changed).toEqual([]);

      const tagged = await rc.connector.setup({ tiers: ['A', 'B', 'C'], tags: ['saas'] });
      expect(tagged.problems).toEqual([]);
      expect(tagged.changed).toEqual(['add option saas to icp_tags']);
      const options = sandbox.store.properties.get('icp_tags')?.options.map((o) => [o.value, o.hidden]);
      expect(options).toEqual([
        [NO_TAGS_PLACEHOLDER.value, true],
        ['saas', false],
      ]);
    } finally {
      await rc.close();
    }
  });
});
