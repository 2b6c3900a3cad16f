import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceWebhookRoutes } from '../../../src/connectors/salesforce/webhook-route.ts';
import type { RescoreProducer, RescoreRequest } from '../../../src/pipeline/requests.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { quietLogger, sandboxEnv } from '../../connectors/salesforce/helpers.ts';

const TOKEN = 'outbound-deleted-token-456';

describe('outbound message holding a record deleted before delivery (sandbox)', () => {
  let sb: SalesforceSandbox;
  let app: FastifyInstance;
  const received: RescoreRequest[] = [];
  let accounts: string[];

  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    accounts = sb.store.seed({ accounts: 5, seed: 5 }).accounts;
    const env = sandboxEnv(sb.url, { SALESFORCE_ORG_ID: sb.store.orgId, SALESFORCE_WEBHOOK_TOKEN: TOKEN, SALESFORCE_OBJECTS: 'Account' });
    const producer: RescoreProducer = { enqueue: async (reqs) => void received.push(...reqs) };
    app = Fastify();
    await app.register(salesforceWebhookRoutes, { env, producer, integrationUserId: sb.store.integrationUserId, logger: quietLogger() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    sb.setOutboundTarget(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/salesforce`, { token: TOKEN });
  });

  afterAll(async () => {
    sb.setOutboundTarget(undefined);
    await app.close();
    await sb.close();
  });

  it('is acknowledged whole, and the records still there are queued', async () => {
    const [kept, gone, alsoKept] = accounts as [string, string, string];
    sb.store.update('Account', kept, { Industry: 'Software' });
    sb.store.update('Account', gone, { Industry: 'Banking' });
    sb.store.update('Account', alsoKept, { NumberOfEmployees: 42 });
    sb.store.delete('Account', gone);
    await sb.waitForOutbound();
    expect(sb.outboundStats()).toMatchObject({ attempts: 1, acked: 3, nacks: 0, dropped: 0 });
    expect(received.map((x) => x.id)).toEqual([kept, alsoKept]);
  });
});
