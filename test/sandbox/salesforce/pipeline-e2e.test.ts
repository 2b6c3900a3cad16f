/**
 * The product end to end on real Redis and the Salesforce sandbox, through the real jsforce: the service
 * starts, setup creates the fields and the permission set, a backfill of each object type writes every
 * Account and Lead; an outbound message triggers a rescore and gets its Ack; an expired session loses nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelText } from '../../../src/domain/model-schema.ts';
import { reasonsText } from '../../../src/domain/reasons-text.ts';
import { compileModel } from '../../../src/domain/scorer.ts';
import { startService, type RunningService } from '../../../src/http/service.ts';
import { startSalesforceSandbox, type Row, type SalesforceSandbox, type SObjectName } from '../../../src/sandbox/salesforce/index.ts';
import { cleanRedis } from '../../pipeline/helpers.ts';

const MODEL = `
version: "sf-e2e-1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C, min: 0 }
criteria:
  - { id: industry, label: Secteur, attribute: industry, weight: 50, tag: tech, match: { kind: category, values: { technology: 1, consulting: 0.6, finance: 0.5 } } }
  - { id: size, label: Effectif, attribute: employees, weight: 30, tag: taille-cible, match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }, { min: 10, max: 49, points: 0.5 }] } }
  - { id: country, label: Pays, attribute: country, weight: 20, tag: france, match: { kind: category, values: { FR: 1, BE: 0.5 } } }
`;
const TOKEN = 'sf-e2e-outbound-token';
const scorer = (() => {
  const parsed = parseModelText(MODEL, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
})();

/** What a record's inputs must produce, by hand from the model; reasons from the scoring core's text. */
function expected(type: SObjectName, r: Row) {
  const industry = typeof r.Industry === 'string' ? r.Industry : null;
  const ind = ({ Technology: 1, Consulting: 0.6, Finance: 0.5 } as Record<string, number>)[industry ?? ''] ?? 0;
  const n = typeof r.NumberOfEmployees === 'number' ? r.NumberOfEmployees : null;
  const size = n === null ? 0 : n >= 50 && n <= 1000 ? 1 : n >= 10 && n <= 49 ? 0.5 : 0;
  const code = (type === 'Account' ? r.BillingCountryCode : r.CountryCode) as string | null;
  const ctry = code === 'FR' ? 1 : code === 'BE' ? 0.5 : 0;
  const score = Math.floor(50 * ind + 30 * size + 20 * ctry + 0.5 + 1e-9);
  const attrs: Record<string, unknown> = {};
  if (industry) attrs.industry = industry;
  if (n !== null) attrs.employees = n;
  if (code) attrs.country = code;
  const known = (industry ? 50 : 0) + (n !== null ? 30 : 0) + (code ? 20 : 0);
  return {
    ICP_Fit_Score__c: score,
    ICP_Tier__c: score >= 70 ? 'A' : score >= 40 ? 'B' : 'C',
    ICP_Tags__c: [ind >= 1 ? 'tech' : '', size >= 1 ? 'taille_cible' : '', ctry >= 1 ? 'france' : ''].filter(Boolean).join(';') || null,
    ICP_Fit_Reasons__c: reasonsText(scorer.score(attrs), { maxLength: 1000 }),
    ICP_Completeness__c: known,
    ICP_Model_Version__c: 'sf-e2e-1',
  };
}

function wrong(sb: SalesforceSandbox): string[] {
  const out: string[] = [];
  for (const type of ['Account', 'Lead'] as const) {
    for (const r of sb.store.records[type].values()) {
      const e = expected(type, r);
      const bad = Object.entries(e).filter(([k, v]) => (r[k] ?? null) !== v).map(([k, v]) => `${k} ${String(r[k])} ≠ ${String(v)}`);
      if (bad.length > 0) out.push(`${type} ${r.Id}: ${bad.join(', ')}`);
    }
  }
  return out;
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Salesforce end to end (service, workers, sandbox)', () => {
  let sb: SalesforceSandbox;
  let service: RunningService;

  const idle = async () => {
    const st = await service.runtime.status();
    return st.objects.every((o) => o.pending === 0) && st.queues.every((q) => q.waiting + q.active + q.delayed + q.prioritized === 0);
  };

  beforeAll(async () => {
    sb = await startSalesforceSandbox({ seed: { accounts: 1500, leads: 300, seed: 5 } });
    const dir = await mkdtemp(join(tmpdir(), 'icp-sf-e2e-'));
    const modelPath = join(dir, 'icp.yaml');
    await writeFile(modelPath, MODEL);
    service = await startService({
      workers: true,
      handleSignals: false,
      env: {
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `icpsfe2e-${randomBytes(5).toString('hex')}`,
        HOST: '127.0.0.1',
        PORT: '0',
        ICP_MODEL_PATH: modelPath,
        SALESFORCE_LOGIN_URL: sb.url,
        SALESFORCE_CLIENT_ID: 'sandbox-client-id',
        SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
        SALESFORCE_OBJECTS: 'Account,Lead',
        SALESFORCE_ORG_ID: sb.store.orgId,
        SALESFORCE_WEBHOOK_TOKEN: TOKEN,
        SALESFORCE_INTEGRATION_USER_ID: sb.store.integrationUserId,
        SYNC_DEBOUNCE_MS: '50',
        INCREMENTAL_SYNC_INTERVAL_MS: '0',
        AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
        LOG_LEVEL: 'silent',
      },
    });
    sb.setOutboundTarget(`${service.address}/webhooks/salesforce`, { token: TOKEN });
  }, 60_000);

  afterAll(async () => {
    const env = service?.env;
    sb?.setOutboundTarget(undefined);
    await service?.stop();
    await sb?.close();
    if (env) await cleanRedis(env);
  });

  it('setup, then a backfill of each object type, writes every Account and Lead with the right values', async () => {
    const connector = service.runtime.connectors.get('salesforce');
    const report = await connector?.setup({ tiers: scorer.tierNames, tags: scorer.tags });
    expect(report?.problems).toEqual([]);
    for (const objectType of ['Account', 'Lead']) {
      const { id } = await service.runtime.startBackfill('salesforce', objectType);
      await until(async () => {
        const st = await service.runtime.backfillStatus('salesforce');
        return st.some((s) => s.objectType === objectType && s.run === id && s.status === 'done');
      }, 60_000, `the ${objectType} backfill`);
    }
    expect(sb.store.customFields.size).toBe(14);
    expect(wrong(sb).slice(0, 5)).toEqual([]);
    const stats = sb.stats();
    expect(stats['composite.update']).toBeLessThanOrEqual(Math.ceil(1500 / 200) + Math.ceil(300 / 200));
    expect(stats['composite.retrieve'] ?? 0).toBe(0);
  }, 100_000);

  it('a rep edit sends an outbound message: the record is rescored and the message acknowledged', async () => {
    const id = [...sb.store.records.Account.keys()][7] as string;
    sb.store.update('Account', id, { Industry: 'Technology', NumberOfEmployees: 200, BillingCountryCode: 'FR', BillingCountry: 'France' });
    await until(() => sb.store.get('Account', id)?.ICP_Fit_Score__c === 100, 15_000, 'the outbound-message rescore');
    await sb.waitForOutbound();
    expect(sb.store.get('Account', id)).toMatchObject({ ICP_Tier__c: 'A', ICP_Tags__c: 'tech;taille_cible;france' });
    expect(sb.outboundStats()).toMatchObject({ nacks: 0, dropped: 0 });
    expect(sb.outboundStats().acked).toBeGreaterThanOrEqual(1);
  });

  it('an expired session is refreshed without losing work', async () => {
    const ids = [...sb.store.records.Lead.keys()].slice(0, 40);
    for (const [i, id] of ids.entries()) sb.store.update('Lead', id, { NumberOfEmployees: 20 + i * 30 }, sb.store.integrationUserId);
    const tokensBefore = sb.stats()['oauth.token'] ?? 0;
    sb.store.expireSessions();
    await service.runtime.rescore('salesforce', 'Lead', ids);
    await until(async () => wrong(sb).length === 0 && (await idle()), 20_000, 'every value right after the refresh');
    expect(sb.stats()['oauth.token']).toBe(tokensBefore + 1);
    expect((await service.runtime.failed.list()).total).toBe(0);
  });
});
