/**
 * Records whose enrichment failed (timeout, 5xx, 429) are rescored again later: they go back into
 * the pipeline's pending set, due after `delayMs`, through the ordinary rescore producer (the
 * dispatcher picks them up when due). Each record gets at most `maxAttempts` such retries in a
 * row; a record enriched without error starts again from zero. After that it waits for its next
 * ordinary rescore (webhook, incremental sync, backfill).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CrmName } from '../errors.ts';
import type { RescoreProducer, RescoreRequest } from '../pipeline/requests.ts';

const CRMS: readonly CrmName[] = ['hubspot', 'salesforce'];

/**
 * Batch rounds in which a record scored while a provider failed (429, timeout, 5xx) is held back:
 * not written, tried again after `heldRetryDelayMs`. After them its score with what is known is
 * written and the ordinary retries below take over.
 */
export const HELD_RETRY_ROUNDS = 4;

/** Delay before a held record is tried again, by batch round: 2 s, 4 s, 8 s, 16 s. */
export function heldRetryDelayMs(round: number): number {
  return 2000 * 2 ** Math.min(round, HELD_RETRY_ROUNDS);
}
/** Attempt counters outlive any sane retry schedule, then disappear by themselves. */
const ATTEMPTS_TTL_SECONDS = 7 * 86_400;

export interface EnrichmentRetryOptions {
  redis: Redis;
  /** Hash-tagged key prefix. */
  prefix: string;
  /** A producer whose debounce window is the retry delay. */
  producer: RescoreProducer;
  maxAttempts: number;
  logger: Logger;
}

/** `hubspot:companies:123` → its rescore request; undefined for keys of another shape. */
export function requestOfKey(key: string): RescoreRequest | undefined {
  const [crm, objectType, ...rest] = key.split(':');
  const id = rest.join(':');
  if (!crm || !objectType || id === '' || !(CRMS as readonly string[]).includes(crm)) return undefined;
  return { crm: crm as CrmName, objectType, id, trigger: 'incremental' };
}

export class EnrichmentRetry {
  readonly #o: EnrichmentRetryOptions;

  constructor(opts: EnrichmentRetryOptions) {
    this.#o = opts;
  }

  get #attemptsKey(): string {
    return `${this.#o.prefix}:enrich:retry-attempts`;
  }

  /** Schedules a later rescore of each record (within its attempt allowance). */
  async schedule(keys: readonly string[]): Promise<void> {
    if (keys.length === 0 || this.#o.maxAttempts === 0) return;
    const multi = this.#o.redis.multi();
    for (const k of keys) multi.hincrby(this.#attemptsKey, k, 1);
    multi.expire(this.#attemptsKey, ATTEMPTS_TTL_SECONDS);
    const res = (await multi.exec()) ?? [];
    const due: RescoreRequest[] = [];
    let givenUp = 0;
    keys.forEach((k, i) => {
      const attempts = Number(res[i]?.[1] ?? 0);
      const req = requestOfKey(k);
      if (!req) return;
      if (attempts <= this.#o.maxAttempts) due.push(req);
      else givenUp++;
    });
    await this.#o.producer.enqueue(due);
    if (givenUp > 0) this.#o.logger.warn({ records: givenUp, maxAttempts: this.#o.maxAttempts }, 'enrichment: retries used up, records wait for their next rescore');
  }

  /** Forgets the attempts of records that were enriched without error. */
  async clear(keys: readonly string[]): Promise<void> {
    if (keys.length === 0 || this.#o.maxAttempts === 0) return;
    await this.#o.redis.hdel(this.#attemptsKey, ...keys);
  }
}
