/**
 * The reasons text shows a CRM option's display label while the model matches its value: HubSpot
 * `industry` holds `COMPUTER_SOFTWARE`, whose option label is "Computer Software". Real runtime and
 * HubSpot connector against the sandbox (whose `industry` property has HubSpot's options), real Redis.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv, type Env } from '../../src/config/env.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { createLogger } from '../../src/logging.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { labelFields } from '../../src/pipeline/value-labels.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { scorer as compile } from '../domain/model-fixture.ts';

const scorer = compile({
  version: 'labels-1',
  criteria: [
    { id: 'industry', label: 'Secteur', attribute: 'industry', weight: 50, match: { kind: 'category', values: { COMPUTER_SOFTWARE: 1, INTERNET: 0.5 } } },
    { id: 'country', label: 'Pays', attribute: 'country', weight: 50, match: { kind: 'category', values: { FR: 1 } } },
  ],
});

describe('CRM option labels in the reasons text', () => {
  let sandbox: HubSpotSandbox;
  let runtime: Runtime;
  let env: Env;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ seed: 0, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    ids.software = sandbox.store.create({ name: 'Logiwave', industry: 'COMPUTER_SOFTWARE', country: 'France' }, { changeSource: 'IMPORT' }, false).id;
    ids.internet = sandbox.store.create({ name: 'Netaxe', industry: 'INTERNET', country: 'Belgique' }, { changeSource: 'IMPORT' }, false).id;
    env = parseEnv({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `icplabels-${randomBytes(5).toString('hex')}`,
      HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
      HUBSPOT_BASE_URL: sandbox.url,
      HUBSPOT_RATE_LIMIT_PER_10S: '100000',
      INCREMENTAL_SYNC_INTERVAL_MS: '0',
      AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
      LOG_LEVEL: 'silent',
    });
    runtime = await createRuntime({ env, logger: createLogger({ level: 'silent' }), scorer, mappings: DEFAULT_MAPPINGS });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await sandbox?.close();
    const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`*${env.REDIS_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('shows "Computer Software" where the CRM holds COMPUTER_SOFTWARE, and scores on the value', async () => {
    const e = await runtime.explain('hubspot', 'companies', ids.software ?? '');
    expect(e.result?.score).toBe(100);
    expect(e.result?.reasons).toBe('+50 Secteur: Computer Software · +50 Pays: FR');
    // The criterion still reports the value the model matched.
    expect(e.criteria.find((c) => c.id === 'industry')?.value).toBe('COMPUTER_SOFTWARE');
    const other = await runtime.explain('hubspot', 'companies', ids.internet ?? '');
    // A value a transform made (country → ISO code) is shown as it is.
    expect(other.result?.reasons).toBe('+25 Secteur: Internet · 0 Pays: BE');
  });

  it('asks labels only for fields whose value reaches a criterion unchanged', () => {
    // `country` goes through the country transform (ISO code): its labels would not describe the value.
    expect(labelFields(DEFAULT_MAPPINGS.hubspot.companies ?? { attributes: {}, outputs: {} }, scorer.model)).toEqual(['industry']);
  });
});
