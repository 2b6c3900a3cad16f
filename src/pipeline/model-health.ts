/**
 * The model-health monitor of the running service (issue 11): on a schedule (default every 30 days)
 * and on demand (`GET /admin/model?check=true`, `icp-sync calibrate --crm X --check`), the deals each
 * CRM closed since the active model was published are scored with it (`assessModelHealth`); the
 * verdict is logged (a warning per problem), kept in Redis with a bounded history, and served to
 * `/admin/model`, `/metrics` and the console (`readModelHealth`).
 *
 * - Published: the time the model store recorded for the active entry (console publish, model file
 *   registered at start, rollback); without a store entry, the first time any process of this
 *   deployment saw the version (kept in Redis, set once).
 * - Once across processes: a Redis lock (`SET NX PX`, released only by its holder) around each run, and
 *   a shared "last run" time the schedule reads, so N workers make one check per period.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ClosedDeal } from '../domain/calibration/deal.ts';
import { modelAgeDays, rechallengeDate } from '../domain/calibration/rechallenge.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { Logger } from '../logging.ts';
import { hashTagPrefix } from './keys.ts';
import { assessModelHealth, healthLine, type ModelHealthReport, type ModelHealthThresholds, type ModelHealthWarning } from './model-health-check.ts';

export type { ModelHealthReport, ModelHealthThresholds, ModelHealthWarning } from './model-health-check.ts';
export { healthLine } from './model-health-check.ts';

/** Checks kept per CRM (about two years at the monthly default). */
export const HISTORY_MAX = 24;
/** How long one run may hold the lock, ms: a crashed holder frees it after this. */
const LOCK_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export interface ModelHealthKeys {
  /** String: ISO time a version was first seen (fallback publication time). */
  firstSeen(version: string): string;
  /** List (newest first) of JSON `ModelHealthReport`s of one CRM, at most `HISTORY_MAX`. */
  history(crm: string): string;
  readonly lock: string;
  /** String: ISO time of the last completed run, and the version it checked (`time\tversion`). */
  readonly lastRun: string;
}

export function modelHealthKeys(prefix: string): ModelHealthKeys {
  const p = hashTagPrefix(prefix);
  return {
    firstSeen: (version) => `${p}:model-health:first-seen:${version}`,
    history: (crm) => `${p}:model-health:history:${crm}`,
    lock: `${p}:model-health:lock`,
    lastRun: `${p}:model-health:last-run`,
  };
}

/** Reads the closed deals of one CRM closed on or after `since` (`YYYY-MM-DD`), for the active model. */
export type ClosedDealSource = (since: string, scorer: Scorer) => Promise<ClosedDeal[]>;

export interface ModelHealthOptions {
  redis: Redis;
  /** `REDIS_PREFIX`. */
  prefix: string;
  logger: Logger;
  /** The model scored with now, and when the store says it was published (absent: not in the store). */
  current(): { scorer: Scorer; publishedAt?: string };
  /** One source per configured CRM. */
  sources: ReadonlyMap<string, ClosedDealSource>;
  thresholds: ModelHealthThresholds;
  /** Days between scheduled checks; 0 turns the schedule off (on-demand checks still work). */
  intervalDays: number;
  /** How often the schedule looks whether a check is due, ms. Default one hour. */
  tickMs?: number;
  now?: () => Date;
}

export interface CrmHealth {
  crm: string;
  latest: ModelHealthReport | null;
  /** Earlier checks, newest first (AUC, win rates, n over time). */
  history: ModelHealthReport[];
}

export interface ModelHealthSnapshot {
  modelVersion: string;
  publishedAt: string;
  ageDays: number;
  rechallengeBy: string;
  /** `not_checked` until a check ran for this version. */
  status: 'ok' | 'warning' | 'insufficient_data' | 'not_checked';
  /** Current warnings: those of each CRM's latest check of this version, and the model's age. */
  warnings: Array<ModelHealthWarning & { crm?: string }>;
  thresholds: ModelHealthThresholds;
  schedule: { intervalDays: number; lastRunAt: string | null; nextRunAt: string | null };
  crms: CrmHealth[];
}

export interface ModelHealthMonitor {
  /**
   * Runs a check now for every CRM under the shared lock. `ran: false` when another process holds it
   * (its result will be in `snapshot()` once done).
   */
  check(options?: { crms?: readonly string[] }): Promise<{ ran: boolean; reports: ModelHealthReport[] }>;
  /** What is known now, read from Redis (cheap: no CRM call). */
  snapshot(): Promise<ModelHealthSnapshot>;
  /** Starts the schedule (idempotent). */
  start(): void;
  /** Stops the schedule and waits for a running check. */
  stop(): Promise<void>;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** The publication time of `version`: the store's, else the first time this deployment saw it. */
async function publishedAtOf(redis: Redis, keys: ModelHealthKeys, version: string, fromStore: string | undefined, now: Date): Promise<string> {
  if (fromStore !== undefined) return fromStore;
  const key = keys.firstSeen(version);
  await redis.set(key, now.toISOString(), 'NX');
  return (await redis.get(key)) ?? now.toISOString();
}

async function readHistory(redis: Redis, keys: ModelHealthKeys, crm: string): Promise<ModelHealthReport[]> {
  const raw = await redis.lrange(keys.history(crm), 0, HISTORY_MAX - 1);
  const out: ModelHealthReport[] = [];
  for (const r of raw) {
    try {
      out.push(JSON.parse(r) as ModelHealthReport);
    } catch {
      // An entry that is not JSON (hand-edited) is skipped rather than failing the whole read.
    }
  }
  return out;
}

/**
 * The model health as stored, without a monitor (the console, `/metrics` in a process without workers).
 * `publishedAt` must be the active model's; `thresholds` and `intervalDays` are only echoed.
 */
export async function readModelHealth(
  redis: Redis,
  prefix: string,
  input: { version: string; publishedAt: string; crms: readonly string[]; thresholds: ModelHealthThresholds; intervalDays: number; now?: Date },
): Promise<ModelHealthSnapshot> {
  const keys = modelHealthKeys(prefix);
  const now = input.now ?? new Date();
  const crms: CrmHealth[] = [];
  for (const crm of input.crms) {
    const history = await readHistory(redis, keys, crm);
    const latest = history.find((h) => h.modelVersion === input.version) ?? null;
    crms.push({ crm, latest, history });
  }
  const rechallengeBy = rechallengeDate(input.publishedAt, input.thresholds.rechallengeMonths);
  const ageDays = modelAgeDays(input.publishedAt, now);
  const warnings: ModelHealthSnapshot['warnings'] = [];
  for (const c of crms) for (const w of c.latest?.warnings ?? []) if (w.code !== 'rechallenge_due') warnings.push({ ...w, crm: c.crm });
  // Age is judged now, not at the last check: a model passes its date between two monthly checks.
  if (now.toISOString().slice(0, 10) >= rechallengeBy) {
    warnings.push({
      code: 'rechallenge_due',
      message: `model ${input.version} was published ${ageDays} days ago: it was due for its re-challenge on ${rechallengeBy} (every ${input.thresholds.rechallengeMonths} months; run icp-sync calibrate on fresh deals)`,
    });
  }
  const checked = crms.filter((c) => c.latest !== null);
  const status: ModelHealthSnapshot['status'] =
    warnings.length > 0 ? 'warning' : checked.length === 0 ? 'not_checked' : checked.some((c) => c.latest?.status === 'ok') ? 'ok' : 'insufficient_data';
  const last = await redis.get(keys.lastRun);
  const lastRunAt = last?.split('\t')[0] ?? null;
  const nextRunAt =
    input.intervalDays === 0 ? null : lastRunAt === null ? now.toISOString() : new Date(Date.parse(lastRunAt) + input.intervalDays * DAY_MS).toISOString();
  return {
    modelVersion: input.version,
    publishedAt: input.publishedAt,
    ageDays,
    rechallengeBy,
    status,
    warnings,
    thresholds: input.thresholds,
    schedule: { intervalDays: input.intervalDays, lastRunAt, nextRunAt },
    crms,
  };
}

export function createModelHealthMonitor(opts: ModelHealthOptions): ModelHealthMonitor {
  const { redis, logger } = opts;
  const keys = modelHealthKeys(opts.prefix);
  const now = opts.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  /** The scheduled tick in progress (at most one per process). */
  let inFlight: Promise<void> | undefined;

  async function published(): Promise<{ scorer: Scorer; publishedAt: string }> {
    const cur = opts.current();
    return { scorer: cur.scorer, publishedAt: await publishedAtOf(redis, keys, cur.scorer.model.version, cur.publishedAt, now()) };
  }

  /** One check of every CRM (or of `crms` only: then the schedule's last run is left as it was). */
  async function runLocked(options: { crms?: readonly string[] } = {}): Promise<{ ran: boolean; reports: ModelHealthReport[] }> {
    const token = randomUUID();
    if ((await redis.set(keys.lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return { ran: false, reports: [] };
    try {
      const { scorer, publishedAt } = await published();
      const reports: ModelHealthReport[] = [];
      for (const [crm, source] of opts.sources) {
        if (options.crms !== undefined && !options.crms.includes(crm)) continue;
        let deals: ClosedDeal[];
        try {
          deals = await source(publishedAt.slice(0, 10), scorer);
        } catch (err) {
          logger.warn({ crm, err: (err as Error).message }, 'model health: closed deals could not be read; next try at the next check');
          continue;
        }
        const report = assessModelHealth({ crm, scorer, deals, publishedAt, now: now() }, opts.thresholds);
        await redis.multi().lpush(keys.history(crm), JSON.stringify(report)).ltrim(keys.history(crm), 0, HISTORY_MAX - 1).exec();
        const fields = { crm, modelVersion: report.modelVersion, n: report.n, auc: report.auc, status: report.status };
        if (report.warnings.length === 0) logger.info(fields, `model health: ${healthLine(report)}`);
        for (const w of report.warnings) logger.warn({ ...fields, warning: w.code }, `model health: ${w.message}`);
        reports.push(report);
      }
      if (options.crms === undefined) await redis.set(keys.lastRun, `${now().toISOString()}\t${scorer.model.version}`);
      return { ran: true, reports };
    } finally {
      await redis.eval(RELEASE, 1, keys.lock, token);
    }
  }


  /** A check is due when none ran for this version yet, or the last one is older than the period. */
  async function due(): Promise<boolean> {
    const last = await redis.get(keys.lastRun);
    if (last === null) return true;
    const [at = '', version] = last.split('\t');
    if (version !== opts.current().scorer.model.version) return true;
    return now().getTime() - Date.parse(at) >= opts.intervalDays * DAY_MS;
  }

  async function tick(): Promise<void> {
    try {
      if (await due()) await runLocked({});
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'model health: scheduled check failed; next try at the next tick');
    }
  }

  const schedule = (): void => {
    if (inFlight !== undefined) return;
    inFlight = tick().finally(() => {
      inFlight = undefined;
    });
  };

  return {
    check: (options) => runLocked(options),
    async snapshot() {
      const { scorer, publishedAt } = await published();
      return readModelHealth(redis, opts.prefix, {
        version: scorer.model.version,
        publishedAt,
        crms: [...opts.sources.keys()],
        thresholds: opts.thresholds,
        intervalDays: opts.intervalDays,
        now: now(),
      });
    },
    start() {
      if (timer !== undefined || opts.intervalDays === 0 || opts.sources.size === 0) return;
      const tickMs = opts.tickMs ?? Math.min(3_600_000, opts.intervalDays * DAY_MS);
      // The first look comes one tick after start, not at once: a restart loop must not read the CRM each time.
      timer = setInterval(schedule, tickMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
