/**
 * Worker thread of a console calibration run: analyses the deals in `workerData`
 * (`calibration-analysis.ts`) and posts the result, or the error in words, back once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseDeals, type AnalysisInput } from './calibration-analysis.ts';

try {
  parentPort?.postMessage({ ok: true, output: analyseDeals(workerData as AnalysisInput) });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
