/** Shared helpers for the enrichment tests: fixtures and a recording rate gate. */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { RateGate } from '../../src/enrichment/rate-gate.ts';
import { envSchema, type Env } from '../../src/config/env.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { compileModel, type Scorer } from '../../src/domain/scorer.ts';

export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8')) as T;
}

/** A gate that lets every call through and records what it was asked. */
export class RecordingGate implements RateGate {
  acquired = 0;
  pauses: number[] = [];
  async acquire(): Promise<void> {
    this.acquired++;
  }
  async pauseFor(ms: number): Promise<void> {
    this.pauses.push(ms);
  }
}

export const REGISTRY = 'https://recherche-entreprises.api.gouv.fr';
export const PDL_URL = 'https://api.peopledatalabs.com';

export const silentLogger = pino({ level: 'silent' });

export function testEnv(overrides: Record<string, string> = {}): Env {
  return envSchema.parse({ REDIS_PREFIX: `icp-test-${randomUUID()}`, ...overrides });
}

/** A real Redis connection; `cleanup` deletes every key holding the (random) `prefix` and disconnects. */
export function testRedis(prefix: string): { redis: Redis; cleanup: () => Promise<void> } {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
  return {
    redis,
    cleanup: async () => {
      await deleteKeys(redis, `*${prefix}*`);
      redis.disconnect();
    },
  };
}

/** The model both SIREN tests score with: every criterion reads an attribute the registry supplies. */
export function sirenModelYaml(version: string): string {
  return `
version: "${version}"
tiers: [{ name: A, min: 75 }, { name: B, min: 50 }, { name: C, min: 0 }]
criteria:
  - { id: naf, label: Secteur, attribute: naf, weight: 30, tag: tech, match: { kind: prefix, values: { "62.01": 1, "62": 0.8 } } }
  - { id: size, label: Effectif, attribute: employees, weight: 25, match: { kind: range, bands: [{ min: 50, max: 249, points: 1 }, { min: 10, max: 49, points: 0.5 }] } }
  - { id: category, label: Catégorie, attribute: company_category, weight: 15, match: { kind: category, values: { PME: 1, ETI: 0.6 } } }
  - { id: age, label: Ancienneté, attribute: company_age_years, weight: 10, match: { kind: range, bands: [{ min: 3, points: 1 }] } }
  - { id: revenue, label: CA, attribute: annual_revenue, weight: 20, match: { kind: range, bands: [{ min: 10000000, points: 1 }, { min: 5000000, points: 0.5 }] } }
exclusions:
  - { id: closed, attribute: is_closed, match: { kind: boolean }, reason: "Entreprise fermée" }
`;
}

export function sirenScorer(version: string): Scorer {
  const parsed = parseModelText(sirenModelYaml(version), 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
}
