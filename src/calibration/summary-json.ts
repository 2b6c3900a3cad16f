/** `--format json`: the calibration as one JSON document (ROC points left out; the report has them). */
import type { CalibrationResult } from '../domain/calibration/calibrate.ts';
import { modelDocument } from '../domain/calibration/model-document.ts';
import type { ModelFit } from '../domain/calibration/model-fit.ts';

function fitJson(fit: ModelFit): Record<string, unknown> {
  return { n: fit.n, won: fit.won, baseRate: fit.baseRate, auc: fit.auc ?? null, topTier: fit.topTier ?? null, tiers: fit.tiers, calibration: fit.calibration };
}

export function summaryJson(r: CalibrationResult, files: { suggested?: string; report?: string }): string {
  const a = r.analysis;
  const doc = {
    mode: r.mode,
    generatedAt: r.generatedAt,
    rechallengeBy: r.rechallengeBy,
    rechallenge: r.rechallenge,
    window: r.window,
    unit: r.unit,
    unitReason: r.unitReason,
    rows: r.dealsIn,
    /** Rows of the analysis: deals or accounts, as \`unit\` says. */
    analysed: a.n,
    accounts: r.accounts,
    accountsWithSeveralDeals: r.accountsWithSeveralDeals,
    won: a.won,
    baseRate: a.baseRate,
    attributes: a.attributes.map((x) => ({
      attribute: x.attribute,
      kind: x.spec.kind,
      informationValue: x.informationValue,
      pValue: x.pValue,
      missingShare: x.missingShare,
      segments: x.segments,
    })),
    skipped: a.skipped,
    leakage: r.leakage,
    current:
      r.current === undefined
        ? null
        : { version: r.current.model.version, absentAttributes: r.current.absent, all: fitJson(r.current.fit), holdout: fitJson(r.current.holdoutFit) },
    suggestion:
      r.suggestion === undefined
        ? { problem: r.suggestionProblem ?? null }
        : {
            version: r.suggestion.model.version,
            cautious: r.suggestion.cautious === true,
            trainSize: r.suggestion.trainSize,
            holdoutSize: r.suggestion.holdoutSize,
            holdout: fitJson(r.suggestion.holdoutFit),
            attributes: r.suggestion.verdicts,
            model: modelDocument(r.suggestion.model),
            file: files.suggested ?? null,
          },
    /** Target functions: win rate by role present; null when no deal says which roles were present. */
    roles: r.roles ?? null,
    /** Frequent objections of the lost deals, overall and in the top tier; null when no lost deal gives a reason. */
    objections: r.objections ?? null,
    // The changes as they always read: their facts (`detail`) serve other languages, not this document.
    diff: r.diff.map(({ subject, change, text }) => ({ subject, change, text })),
    distribution: r.distribution,
    report: files.report ?? null,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
