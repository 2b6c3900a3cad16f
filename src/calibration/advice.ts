/** Whether to adopt the suggested model, from both models' AUC on the same held-out accounts. */
import type { CalibrationResult } from '../domain/calibration/calibrate.ts';

/** Whether the suggestion beats the current model on the same held-out accounts, in words. */
export function adviceOf(r: CalibrationResult, lang: 'en' | 'fr' = 'en'): string | undefined {
  const now = r.current?.holdoutFit.auc;
  const next = r.suggestion?.holdoutFit.auc;
  if (now === undefined || next === undefined) return undefined;
  if (lang === 'fr') {
    const v = r.current?.model.version;
    if (next >= now + 0.01) return `la suggestion sépare mieux gagnés et perdus que le modèle ${v} : à adopter après relecture`;
    if (now >= next + 0.01) return `le modèle ${v} sépare encore mieux gagnés et perdus : gardez-le, ou ne prenez que les changements sûrs`;
    return `les deux modèles séparent aussi bien gagnés et perdus : n'adoptez la suggestion que pour sa lisibilité ou sa couverture`;
  }
  if (next >= now + 0.01) return `the suggestion separates won from lost better than model ${r.current?.model.version}: worth adopting after review`;
  if (now >= next + 0.01) return `model ${r.current?.model.version} still separates won from lost better: keep it, or take only the changes you trust`;
  return `both models separate won from lost about as well: adopt the suggestion only for its readability or coverage`;
}
