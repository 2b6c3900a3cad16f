/**
 * `icp-sync calibrate --crm X --report` as background work of the running service (console
 * Calibration page, issue 12): the CRM's closed deals read through the sync's connector, the same
 * pure calibration and ICP sheet as the command, and the last result kept in Redis under the
 * instance's prefix so every console process shows it. One run per CRM at a time across processes
 * (a Redis lease, renewed as deals come in); the status says how far it got.
 */
import type { Redis } from 'ioredis';
import { rowsToDeals } from '../domain/calibration/account-row.ts';
import type { IcpModel } from '../domain/types.ts';
import type { CrmName } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { hashTagPrefix } from '../pipeline/keys.ts';
import { analyseInWorker, type AnalysisInput, type AnalysisOutput, type CalibrationSummary } from './calibration-analysis.ts';
import { CONSOLE_DEALS_SINCE, type ClosedDealReader } from './deal-source.ts';
import type { SheetLang } from './report/sheet-words.ts';
import { sinceDate } from './since.ts';

export type { CalibrationSummary, FitSummary, TierFigure } from './calibration-analysis.ts';

/** A run that stopped reporting (its process died) is taken over after this long, ms. */
const RUN_LEASE_MS = 15 * 60_000;

export type CalibrationRunState = 'idle' | 'running' | 'done' | 'failed';

export interface CalibrationRunStatus {
  crm: CrmName;
  state: CalibrationRunState;
  /** While running: reading the deals, then the analysis. */
  phase?: 'reading' | 'analysing';
  /** Deals read so far (while reading), or in the last run. */
  deals: number;
  startedAt?: string;
  finishedAt?: string;
  /** Who started the current or last run. */
  by?: string;
  error?: string;
}

export interface CalibrationRunResult {
  crm: CrmName;
  by: string;
  startedAt: string;
  finishedAt: string;
  summary: CalibrationSummary;
  /** The suggested model as a valid `icp.yaml` text; absent when the data supports none. */
  suggestedYaml?: string;
  /** The one-page ICP sheet (self-contained HTML, its own CSP, no script). */
  sheetHtml: string;
}

export interface CalibrationRuns {
  status(crm: CrmName): Promise<CalibrationRunStatus>;
  /** Starts a run in the background unless one runs anywhere for that CRM; resolves at once. */
  start(crm: CrmName, options: { by: string; lang: SheetLang }): Promise<{ started: boolean; status: CalibrationRunStatus }>;
  /** The last finished run of a CRM. */
  result(crm: CrmName): Promise<CalibrationRunResult | undefined>;
  /** Resolves when this process's run of that CRM (if any) ends; for tests. */
  settled(crm: CrmName): Promise<void>;
}

export interface CalibrationRunsOptions {
  redis: Redis;
  /** `REDIS_PREFIX`. */
  prefix: string;
  read: ClosedDealReader;
  /** The model in use: measured on the deals and compared with the suggestion. */
  current(): IcpModel;
  /** `MODEL_RECHALLENGE_MONTHS`. */
  rechallengeMonths: number;
  logger: Logger;
  now?: () => Date;
  /** Runs the analysis; default: in a worker thread (`analyseInWorker`). */
  analyse?: (input: AnalysisInput) => Promise<AnalysisOutput>;
}

export function calibrationRunKeys(prefix: string): { status(crm: string): string; result(crm: string): string; lock(crm: string): string } {
  const p = hashTagPrefix(prefix);
  return { status: (crm) => `${p}:calibration:status:${crm}`, result: (crm) => `${p}:calibration:result:${crm}`, lock: (crm) => `${p}:calibration:lock:${crm}` };
}

export function createCalibrationRuns(o: CalibrationRunsOptions): CalibrationRuns {
  const keys = calibrationRunKeys(o.prefix);
  const now = o.now ?? (() => new Date());
  const runs = new Map<CrmName, Promise<void>>();
  const analyse = o.analyse ?? analyseInWorker;

  async function status(crm: CrmName): Promise<CalibrationRunStatus> {
    const h = await o.redis.hgetall(keys.status(crm));
    const state = (h['state'] as CalibrationRunState | undefined) ?? 'idle';
    const leaseOver = state === 'running' && Number(h['heartbeat'] ?? 0) + RUN_LEASE_MS < now().getTime();
    return {
      crm,
      state: leaseOver ? 'failed' : state,
      deals: Number(h['deals'] ?? 0),
      ...(state === 'running' && !leaseOver && (h['phase'] === 'reading' || h['phase'] === 'analysing') ? { phase: h['phase'] } : {}),
      ...(h['startedAt'] ? { startedAt: h['startedAt'] } : {}),
      ...(h['finishedAt'] ? { finishedAt: h['finishedAt'] } : {}),
      ...(h['by'] ? { by: h['by'] } : {}),
      ...(leaseOver ? { error: 'the run stopped without finishing (its process ended)' } : h['error'] ? { error: h['error'] } : {}),
    };
  }

  async function run(crm: CrmName, by: string, lang: SheetLang, startedAt: string): Promise<void> {
    const sk = keys.status(crm);
    const beat = (fields: Record<string, string | number>) => o.redis.hset(sk, { ...fields, heartbeat: now().getTime() }).then(() => undefined);
    try {
      const since = sinceDate(CONSOLE_DEALS_SINCE, now()) as string;
      const read = await o.read(crm, since, (n) => void beat({ deals: n }).catch(() => undefined));
      const deals = rowsToDeals(read.rows);
      if (deals.length === 0) throw new Error(`no closed deal with an account in ${crm} since ${since}`);
      await beat({ deals: deals.length, phase: 'analysing' });
      const source = `${crm} deals closed since ${since}`;
      const notes = [...read.notes, ...(read.withoutAccount > 0 ? [`${read.withoutAccount} closed deal(s) have no account and were left out`] : [])];
      const analysed = await analyse({ deals, current: o.current(), now: now().toISOString(), rechallengeMonths: o.rechallengeMonths, lang, source, since, withoutAccount: read.withoutAccount, notes });
      const doc: CalibrationRunResult = { crm, by, startedAt, finishedAt: now().toISOString(), ...analysed };
      await o.redis.multi().set(keys.result(crm), JSON.stringify(doc)).hset(sk, { state: 'done', deals: deals.length, finishedAt: doc.finishedAt, phase: '', error: '' }).exec();
      o.logger.info({ crm, deals: deals.length, suggested: doc.suggestedYaml !== undefined }, 'calibration run finished');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await o.redis.hset(sk, { state: 'failed', error: message, finishedAt: now().toISOString(), phase: '' });
      o.logger.warn({ crm, err: message }, 'calibration run failed');
    }
  }

  return {
    status,
    async start(crm, options) {
      const current = await status(crm);
      if (current.state === 'running') return { started: false, status: current };
      const lock = keys.lock(crm);
      if ((await o.redis.set(lock, options.by, 'PX', RUN_LEASE_MS, 'NX')) === null) return { started: false, status: await status(crm) };
      const startedAt = now().toISOString();
      await o.redis.hset(keys.status(crm), { state: 'running', phase: 'reading', deals: 0, startedAt, finishedAt: '', by: options.by, heartbeat: now().getTime(), error: '' });
      const job = run(crm, options.by, options.lang, startedAt)
        .catch((err: unknown) => o.logger.warn({ crm, err: err instanceof Error ? err.message : String(err) }, 'calibration state could not be saved'))
        .finally(async () => {
          runs.delete(crm);
          await o.redis.del(lock).catch(() => undefined);
        });
      runs.set(crm, job);
      return { started: true, status: await status(crm) };
    },
    async result(crm) {
      const raw = await o.redis.get(keys.result(crm));
      return raw === null ? undefined : (JSON.parse(raw) as CalibrationRunResult);
    },
    async settled(crm) {
      await runs.get(crm);
    },
  };
}
