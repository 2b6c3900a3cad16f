import { createSalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { startSalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { runConnectorContract } from '../../connectors/port-contract.ts';
import { FAST, quietLogger, sandboxEnv, testRedis } from '../../connectors/salesforce/helpers.ts';

for (const objectType of ['Account', 'Lead'] as const) {
  runConnectorContract(`salesforce ${objectType} (sandbox, jsforce over HTTP)`, async () => {
    const sb = await startSalesforceSandbox();
    const seeded = sb.store.seed({ accounts: 12, leads: 12, seed: 3 });
    const env = sandboxEnv(sb.url);
    const r = testRedis();
    const connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    const report = await connector.setup({ tiers: ['A', 'B', 'C', 'D', 'X'], tags: ['saas', 'fintech'] });
    if (report.problems.length > 0) throw new Error(report.problems.join('\n'));
    return {
      connector,
      objectType,
      seedIds: objectType === 'Account' ? seeded.accounts : seeded.leads,
      readFields: objectType === 'Account' ? ['Name', 'Industry', 'NumberOfEmployees'] : ['Company', 'Industry'],
      nameField: objectType === 'Account' ? 'Name' : 'Company',
      unknownId: objectType === 'Account' ? '001000000000ZZZAAA' : '00Q000000000ZZZAAA',
      teardown: async () => {
        await connector.close();
        await r.cleanup(env.REDIS_PREFIX);
        await sb.close();
      },
    };
  });
}
