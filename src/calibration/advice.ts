/** Whether to adopt the suggested model, from both models' AUC on the same held-out accounts. */
import type { CalibrationResult } from '../domain/calibration/calibrate.ts';

/** Whether the suggestion beats the current model on the same held-out accounts, in words. */
export function adviceOf(r: CalibrationResult): string | undefined {
  const now = r.current?.holdoutFit.auc;
  const next = r.suggestion?.holdoutFit.auc;
  if (now === undefined || next === undefined) return undefined;
  if (next >= now + 0.01) return `the suggestion separates won from lost better than model ${r.current?.model.version}: worth adopting after review`;
  if (now >= next + 0.01) return `model ${r.current?.model.version} still separates won from lost better: keep it, or take only the changes you trust`;
  return `both models separate won from lost about as well: adopt the suggestion only for its readability or coverage`;
}
