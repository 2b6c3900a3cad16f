/**
 * The analysis half of a console calibration run (`calibration-runs.ts`), on deals already read: the
 * same pure calibration as `icp-sync calibrate`, the suggested model text, the ICP sheet and the
 * figures the page shows. CPU-bound (a few hundred ms for thousands of deals), so the runs call it
 * in a worker thread (`calibration-worker.ts`) and the service keeps answering meanwhile.
 */
import { Worker } from 'node:worker_threads';
import { calibrate, type CalibrationResult } from '../domain/calibration/calibrate.ts';
import type { ClosedDeal } from '../domain/calibration/deal.ts';
import { changeText } from '../domain/calibration/model-diff.ts';
import type { ModelFit } from '../domain/calibration/model-fit.ts';
import type { IcpModel } from '../domain/types.ts';
import { IDENTITY_COLUMNS } from './account-rows-csv.ts';
import { adviceOf } from './advice.ts';
import { buildIcpSheet } from './report/icp-sheet.ts';
import { sheetHtml } from './report/sheet-html.ts';
import { sheetWords, type SheetLang } from './report/sheet-words.ts';
import { suggestedModelYaml } from './suggested-yaml.ts';

export interface TierFigure {
  tier: string;
  n: number;
  winRate: number;
}

export interface FitSummary {
  version: string;
  n: number;
  /** `null` when the deals are all won or all lost. */
  auc: number | null;
  tiers: TierFigure[];
}

/** What the page shows beside the sheet: AUC, win rate per tier, the suggestion and the advice. */
export interface CalibrationSummary {
  source: string;
  since: string;
  unit: 'deal' | 'account';
  /** Rows of the analysis (deals or accounts), won among them. */
  analysed: number;
  won: number;
  baseRate: number;
  window: { from?: string; to?: string };
  /** Closed deals left out because they have no account. */
  withoutAccount: number;
  notes: string[];
  current?: { all: FitSummary; holdout: FitSummary };
  suggestion?: { holdout: FitSummary; cautious: boolean; trainSize: number; holdoutSize: number };
  suggestionProblem?: string;
  /** The suggestion against the model in use, in words (the run's language, as the sheet). */
  changes: string[];
  advice?: string;
  rechallengeBy: string;
}

export interface AnalysisInput {
  deals: ClosedDeal[];
  /** The model in use. */
  current: IcpModel;
  /** ISO time of the run. */
  now: string;
  rechallengeMonths: number;
  lang: SheetLang;
  /** `hubspot deals closed since 2024-12-05`, as the command words it. */
  source: string;
  since: string;
  withoutAccount: number;
  notes: string[];
}

export interface AnalysisOutput {
  summary: CalibrationSummary;
  suggestedYaml?: string;
  sheetHtml: string;
}

function fitSummary(version: string, fit: ModelFit): FitSummary {
  return { version, n: fit.n, auc: fit.auc ?? null, tiers: fit.tiers.map((t) => ({ tier: t.tier, n: t.n, winRate: t.winRate })) };
}

export function summaryOf(r: CalibrationResult, o: Pick<AnalysisInput, 'source' | 'since' | 'withoutAccount' | 'notes' | 'lang'>): CalibrationSummary {
  const advice = adviceOf(r, o.lang);
  return {
    source: o.source,
    since: o.since,
    unit: r.unit,
    analysed: r.analysis.n,
    won: r.analysis.won,
    baseRate: r.analysis.baseRate,
    window: r.window,
    withoutAccount: o.withoutAccount,
    notes: o.notes,
    ...(r.current === undefined ? {} : { current: { all: fitSummary(r.current.model.version, r.current.fit), holdout: fitSummary(r.current.model.version, r.current.holdoutFit) } }),
    ...(r.suggestion === undefined
      ? {}
      : {
          suggestion: {
            holdout: fitSummary(r.suggestion.model.version, r.suggestion.holdoutFit),
            cautious: r.suggestion.cautious === true,
            trainSize: r.suggestion.trainSize,
            holdoutSize: r.suggestion.holdoutSize,
          },
        }),
    ...(r.suggestionProblem === undefined ? {} : { suggestionProblem: r.suggestionProblem }),
    changes: r.diff.map((c) => (c.detail === undefined ? c.text : changeText(c.detail, sheetWords(o.lang).diff))),
    ...(advice === undefined ? {} : { advice }),
    rechallengeBy: r.rechallengeBy,
  };
}

/** The analysis on this thread (the worker's body; tests). Options as the command's defaults (`--since 24m`, holdout 0.3, seed 1). */
export function analyseDeals(input: AnalysisInput): AnalysisOutput {
  const result = calibrate(input.deals, {
    mode: 'deals',
    now: new Date(input.now),
    current: input.current,
    ignore: [...IDENTITY_COLUMNS],
    rechallengeMonths: input.rechallengeMonths,
  });
  return {
    summary: summaryOf(result, input),
    ...(result.suggestion === undefined ? {} : { suggestedYaml: suggestedModelYaml(result, input.source) }),
    sheetHtml: sheetHtml(buildIcpSheet(result, { source: input.source, lang: input.lang })),
  };
}

/** The analysis in a worker thread of its own, ended once it answers. */
export function analyseInWorker(input: AnalysisInput): Promise<AnalysisOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./calibration-worker.ts', import.meta.url), { workerData: input });
    let settled = false;
    worker.once('message', (m: { ok: true; output: AnalysisOutput } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.output);
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the calibration worker stopped (exit code ${code})`));
    });
  });
}
