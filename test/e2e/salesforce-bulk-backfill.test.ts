/**
 * A Salesforce backfill of more than SALESFORCE_BULK_THRESHOLD (2,000) changed Accounts, end to end
 * on real Redis and the Salesforce sandbox through jsforce: the changes are gathered in Redis and
 * written through a Bulk API 2.0 ingest job; every value is right; records refused by Salesforce
 * land in the failed set, and a locked row is written again. The Leads' backfill runs under the
 * same run id at the same time, below the threshold, through collections.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { reasonsText } from '../../src/domain/reasons-text.ts';
import { compileModel } from '../../src/domain/scorer.ts';
import { startService, type RunningService } from '../../src/http/service.ts';
import { startSalesforceSandbox, type Row, type SalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';
import { cleanRedis, until } from '../pipeline/helpers.ts';

const ACCOUNTS = 2300;
const LEADS = 250;
const MODEL = `
version: "sf-bulk-1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C, min: 0 }
criteria:
  - { id: industry, label: Secteur, attribute: industry, weight: 50, tag: tech, match: { kind: category, values: { technology: 1, consulting: 0.6, finance: 0.5 } } }
  - { id: size, label: Effectif, attribute: employees, weight: 30, tag: taille-cible, match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }, { min: 10, max: 49, points: 0.5 }] } }
  - { id: country, label: Pays, attribute: country, weight: 20, tag: france, match: { kind: category, values: { FR: 1, BE: 0.5 } } }
`;
const scorer = (() => {
  const parsed = parseModelText(MODEL, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
})();

/** What a record's inputs must produce, by hand from the model; reasons from the scoring core's text. */
function expected(r: Row, type: 'Account' | 'Lead' = 'Account') {
  const industry = typeof r.Industry === 'string' ? r.Industry : null;
  const ind = ({ Technology: 1, Consulting: 0.6, Finance: 0.5 } as Record<string, number>)[industry ?? ''] ?? 0;
  const n = typeof r.NumberOfEmployees === 'number' ? r.NumberOfEmployees : null;
  const size = n === null ? 0 : n >= 50 && n <= 1000 ? 1 : n >= 10 && n <= 49 ? 0.5 : 0;
  const rawCode = type === 'Account' ? r.BillingCountryCode : r.CountryCode;
  const code = typeof rawCode === 'string' ? rawCode : null;
  const ctry = code === 'FR' ? 1 : code === 'BE' ? 0.5 : 0;
  const score = Math.floor(50 * ind + 30 * size + 20 * ctry + 0.5 + 1e-9);
  const attrs: Record<string, unknown> = {};
  if (industry) attrs.industry = industry;
  if (n !== null) attrs.employees = n;
  if (code) attrs.country = code;
  return {
    ICP_Fit_Score__c: score,
    ICP_Tier__c: score >= 70 ? 'A' : score >= 40 ? 'B' : 'C',
    // Picklist values are written by their safe API names (hyphens become underscores).
    ICP_Tags__c: [ind >= 1 ? 'tech' : '', size >= 1 ? 'taille_cible' : '', ctry >= 1 ? 'france' : ''].filter(Boolean).join(';') || null,
    ICP_Fit_Reasons__c: reasonsText(scorer.score(attrs), { maxLength: 1000 }),
    ICP_Completeness__c: (industry ? 50 : 0) + (n !== null ? 30 : 0) + (code ? 20 : 0),
    ICP_Model_Version__c: 'sf-bulk-1',
  };
}

describe('Salesforce backfill through Bulk API 2.0', () => {
  let sb: SalesforceSandbox;
  let service: RunningService;

  beforeAll(async () => {
    sb = await startSalesforceSandbox({ seed: { accounts: ACCOUNTS, leads: LEADS, seed: 11 } });
    const dir = await mkdtemp(join(tmpdir(), 'icp-sf-bulk-'));
    const modelPath = join(dir, 'icp.yaml');
    await writeFile(modelPath, MODEL);
    service = await startService({
      workers: true,
      handleSignals: false,
      env: {
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `icpsfbulk-${randomBytes(5).toString('hex')}`,
        HOST: '127.0.0.1',
        PORT: '0',
        ICP_MODEL_PATH: modelPath,
        SALESFORCE_LOGIN_URL: sb.url,
        SALESFORCE_CLIENT_ID: 'sandbox-client-id',
        SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
        SALESFORCE_OBJECTS: 'Account,Lead',
        SALESFORCE_ORG_ID: sb.store.orgId,
        SYNC_DEBOUNCE_MS: '50',
        INCREMENTAL_SYNC_INTERVAL_MS: '0',
        AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
        LOG_LEVEL: 'silent',
      },
    });
  }, 60_000);

  afterAll(async () => {
    const env = service?.env;
    await service?.stop();
    await sb?.close();
    if (env) await cleanRedis(env);
  });

  it('writes every Account through one ingest job and every Lead in collections, under one run; refused records go to the failed set, a locked one is written again', async () => {
    const connector = service.runtime.connectors.get('salesforce');
    expect(connector?.bulkWriteThreshold).toBe(2000);
    expect((await connector?.setup({ tiers: scorer.tierNames, tags: scorer.tags }))?.problems).toEqual([]);
    const ids = [...sb.store.records.Account.keys()];
    // An admin removed the tag value "taille-cible" from the restricted picklist: Salesforce refuses
    // every record that should carry it, row by row, inside the ingest job.
    const tags = sb.store.customFields.get('Account.ICP_Tags__c')?.valueSet;
    if (!tags) throw new Error('ICP_Tags__c has no value set');
    tags.values = tags.values.filter((v) => v.fullName !== 'taille_cible');
    const refused = [...sb.store.records.Account.values()].filter((r) => String(expected(r).ICP_Tags__c ?? '').includes('taille_cible')).map((r) => r.Id);
    expect(refused.length).toBeGreaterThan(0);
    const locked = ids.filter((i) => !refused.includes(i)).slice(100, 103);
    sb.store.injectLockFailures(locked, 1);
    sb.resetStats();

    const { id } = await service.runtime.startBackfill('salesforce');
    await until(async () => (await service.runtime.backfillStatus('salesforce')).every((s) => s.run === id && s.status === 'done'), 90_000, 'the backfills');

    const stats = sb.stats();
    expect(stats['bulk.create']).toBe(1);
    const [accounts, leads] = await service.runtime.backfillStatus('salesforce');
    expect(accounts).toMatchObject({ objectType: 'Account', listed: ACCOUNTS, processed: ACCOUNTS, written: ACCOUNTS - refused.length, failed: refused.length });
    expect(leads).toMatchObject({ objectType: 'Lead', listed: LEADS, processed: LEADS, written: LEADS, failed: 0 });
    const failed = await service.runtime.failed.list({ limit: ACCOUNTS });
    expect(failed.entries.flatMap((e) => e.recordIds).sort()).toEqual([...refused].sort());
    expect(new Set(failed.entries.map((e) => e.code))).toEqual(new Set(['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']));
    const wrong: string[] = [];
    for (const r of sb.store.records.Account.values()) {
      if (refused.includes(String(r.Id))) {
        expect(r.ICP_Model_Version__c ?? null).toBeNull();
        continue;
      }
      const e = expected(r);
      const bad = Object.entries(e).filter(([k, v]) => (r[k] ?? null) !== v).map(([k]) => k);
      if (bad.length > 0) wrong.push(`${String(r.Id)}: ${bad.join(', ')}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    for (const r of sb.store.records.Lead.values()) {
      const bad = Object.entries(expected(r, 'Lead')).filter(([k, v]) => (r[k] ?? null) !== v).map(([k]) => k);
      if (bad.length > 0) wrong.push(`${String(r.Id)}: ${bad.join(', ')}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    for (const l of locked) expect(sb.store.get('Account', l)?.ICP_Model_Version__c).toBe('sf-bulk-1');
  }, 120_000);
});
