/**
 * Shared set-up for pipeline tests: a small model, an env with a random Redis prefix, and cleanup
 * of every key under that prefix (never FLUSHALL).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseEnv, type Env } from '../../src/config/env.ts';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { compileModel, type Scorer } from '../../src/domain/scorer.ts';
import { createLogger } from '../../src/logging.ts';
import { removeTestKeys } from '../redis-keys.ts';

export const MODEL_YAML = `
version: "t-1"
tiers:
  - { name: A, min: 80 }
  - { name: B, min: 50 }
  - { name: C, min: 0 }
criteria:
  - id: industry
    label: Secteur
    attribute: industry
    weight: 50
    tag: saas
    match: { kind: category, values: { software: 1, "it services": 0.5 } }
  - id: size
    label: Effectif
    attribute: employees
    weight: 30
    match: { kind: range, bands: [{ min: 50, max: 500, points: 1 }, { min: 10, max: 49, points: 0.5 }] }
  - id: country
    label: Pays
    attribute: country
    weight: 20
    tag: france
    match: { kind: category, values: { fr: 1 } }
`;

export function testScorer(yaml = MODEL_YAML): Scorer {
  const parsed = parseModelText(yaml, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
}

export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `icptest-${randomBytes(5).toString('hex')}`,
    SYNC_DEBOUNCE_MS: '50',
    INCREMENTAL_SYNC_INTERVAL_MS: '0',
    AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

export const silentLogger = createLogger({ level: 'silent' });

/** Deletes every key under the env's prefix (hash-tagged pipeline keys and bare limiter keys). */
export async function cleanRedis(env: Env, url = 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(url);
  try {
    await removeTestKeys(redis, env.REDIS_PREFIX);
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
