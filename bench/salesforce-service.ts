/**
 * For the benchmarks that run the product against the Salesforce sandbox: `icp-sync start` in its own
 * process, pointed at the sandbox org (OAuth client credentials, its org id and integration user, an
 * outbound-message token), syncing Accounts only, under a private Redis prefix.
 */
import type { SalesforceSandbox } from '../src/sandbox/salesforce/index.ts';
import { startIcpSync, type RunningBenchService } from './hubspot-service.ts';

export interface SalesforceServiceOptions {
  sandbox: SalesforceSandbox;
  /** The connected app's consumer key and secret the sandbox was started with. */
  clientId: string;
  clientSecret: string;
  /** Shared token of the outbound messages (`?token=`). */
  webhookToken: string;
  modelPath: string;
  /** Prefix of the private Redis keys, a random suffix is added. */
  prefix: string;
  debounceMs: number;
}

export interface RunningSalesforceService extends RunningBenchService {
  /** Where the sandbox's outbound messages go. */
  outboundUrl: string;
}

export async function startSalesforceBenchService(o: SalesforceServiceOptions): Promise<RunningSalesforceService> {
  const service = await startIcpSync({
    prefix: o.prefix,
    modelPath: o.modelPath,
    debounceMs: o.debounceMs,
    crmEnv: {
      SALESFORCE_LOGIN_URL: o.sandbox.url,
      SALESFORCE_CLIENT_ID: o.clientId,
      SALESFORCE_CLIENT_SECRET: o.clientSecret,
      SALESFORCE_ORG_ID: o.sandbox.store.orgId,
      SALESFORCE_WEBHOOK_TOKEN: o.webhookToken,
      SALESFORCE_INTEGRATION_USER_ID: o.sandbox.store.integrationUserId,
      SALESFORCE_OBJECTS: 'Account',
      // The org has no closed deals and no loss-reason field.
      SALESFORCE_LOST_REASON_FIELD: '',
    },
  });
  return { ...service, outboundUrl: `http://127.0.0.1:${service.port}/webhooks/salesforce` };
}
