/**
 * The console's closed-deal figures on Salesforce: the local Salesforce sandbox's closed
 * Opportunities with their Accounts, read through the real connector (real Redis, isolated prefix)
 * by the what-if deal check and by a Calibration page run, and checked against the figures computed
 * directly on the deals the calibration reader returns.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_COLUMNS } from '../../src/calibration/account-rows-csv.ts';
import { readClosedDealRows } from '../../src/calibration/crm-deal-reader.ts';
import { calibrate } from '../../src/domain/calibration/calibrate.ts';
import { sinceDate } from '../../src/calibration/since.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadModel } from '../../src/config/model-loader.ts';
import { rowsToDeals } from '../../src/domain/calibration/account-row.ts';
import { evaluateModel } from '../../src/domain/calibration/model-fit.ts';
import type { Scorer } from '../../src/domain/scorer.ts';
import { createLogger } from '../../src/logging.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { removeTestKeys } from '../redis-keys.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../src/sandbox/salesforce/index.ts';

const prefix = `test-dealcheck-sf-${randomBytes(5).toString('hex')}`;
let sandbox: SalesforceSandbox;
let runtime: Runtime;
let scorer: Scorer;

beforeAll(async () => {
  scorer = (await loadModel('config/icp.example.yaml')).scorer;
  sandbox = await startSalesforceSandbox({ seed: { accounts: 200, people: true, deals: true, seed: 5 } });
  const env = parseEnv({
    SALESFORCE_LOGIN_URL: sandbox.url,
    SALESFORCE_CLIENT_ID: 'sandbox-client-id',
    SALESFORCE_CLIENT_SECRET: 'sandbox-client-secret',
    SALESFORCE_OBJECTS: 'Account',
    SALESFORCE_LOST_REASON_FIELD: 'Loss_Reason__c',
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  runtime = await createRuntime({ env, logger: createLogger({ level: 'silent' }), scorer, mappings: DEFAULT_MAPPINGS });
});

afterAll(async () => {
  await runtime?.close();
  await sandbox?.close();
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  await removeTestKeys(redis, prefix);
  await redis.quit();
});

describe('closed Opportunities in the console', () => {
  it('the preview compares draft and model in use on them, and a calibration run measures the model as on the deals read', async () => {
    const since = sinceDate('24m', new Date()) as string;
    const read = await readClosedDealRows(
      { crm: 'salesforce', connector: runtime.connectors.get('salesforce')!, mappings: DEFAULT_MAPPINGS, model: scorer.model, hubspotApiVersion: '2026-03', salesforceLostReasonField: 'Loss_Reason__c' },
      since,
    );
    const deals = rowsToDeals(read.rows);
    expect(deals.length).toBeGreaterThan(30);

    await runtime.preview.samples.refresh('salesforce', 'Account', { size: 50 });
    await runtime.preview.samples.settled('salesforce', 'Account');
    await runtime.preview.deals?.refresh('salesforce');
    await runtime.preview.deals?.settled('salesforce');
    const draft = (await readFile('config/icp.example.yaml', 'utf8')).replace(/^version: .*$/m, 'version: "sf-draft"');
    const p = await runtime.preview.preview({ crm: 'salesforce', objectType: 'Account', draft });
    expect(p.dealCheck).toMatchObject({ state: 'ready', enough: true, count: deals.length });
    const fit = evaluateModel(deals, scorer);
    expect(p.whatIf.deals?.current.auc).toBe(Math.round((fit.auc as number) * 10_000) / 10_000);

    const runs = runtime.calibration!;
    expect((await runs.start('salesforce', { by: 'Camille', lang: 'fr' })).started).toBe(true);
    await runs.settled('salesforce');
    expect(await runs.status('salesforce')).toMatchObject({ state: 'done', deals: deals.length });
    const result = await runs.result('salesforce');
    expect(result?.summary.source).toBe(`salesforce deals closed since ${since}`);
    expect(result?.summary.notes).toEqual([]);
    expect(result?.sheetHtml).toContain('<html lang="fr">');
    // The command's calibration on the same deals, with its defaults.
    const direct = calibrate(deals, { mode: 'deals', now: new Date(), current: scorer.model, ignore: [...IDENTITY_COLUMNS], rechallengeMonths: 6 });
    expect(result?.summary.unit).toBe(direct.unit);
    expect(result?.summary.current?.all.auc).toBe(direct.current?.fit.auc);
    expect(result?.summary.current?.holdout.auc).toBe(direct.current?.holdoutFit.auc);
    expect(result?.suggestedYaml !== undefined).toBe(direct.suggestion !== undefined);
  });
});
