import { runConnectorContract } from '../port-contract.ts';
import { startHubSpotSandbox } from '../../../src/sandbox/hubspot/server.ts';
import { redisConnector, SPEC, testEnv } from './helpers.ts';

for (const version of ['2026-03', 'v3']) {
  runConnectorContract(`hubspot (sandbox, ${version} paths)`, async () => {
    const sandbox = await startHubSpotSandbox({ seed: 230 });
    const rc = redisConnector(testEnv({ HUBSPOT_BASE_URL: sandbox.url, HUBSPOT_API_VERSION: version }));
    const report = await rc.connector.setup(SPEC);
    if (report.problems.length > 0) throw new Error(report.problems.join('\n'));
    return {
      connector: rc.connector,
      objectType: 'companies',
      seedIds: sandbox.store.list().map((c) => c.id),
      readFields: ['name', 'domain', 'industry', 'numberofemployees', 'annualrevenue', 'country'],
      nameField: 'name',
      teardown: async () => {
        await rc.close();
        await sandbox.close();
      },
    };
  });
}
