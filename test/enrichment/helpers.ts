/** Shared helpers for the enrichment tests: fixtures and a recording rate gate. */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { RateGate } from '../../src/enrichment/rate-gate.ts';
import { envSchema, type Env } from '../../src/config/env.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';

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
