/**
 * The suggested model as an `icp.yaml` file: the documented format only, with a header comment
 * saying where it came from, the data window and the held-out AUC. The text is validated again
 * before it is returned, so a file that `icp-sync validate` would refuse is never written.
 */
import { Document } from 'yaml';
import { unitNoun, type CalibrationResult } from '../domain/calibration/calibrate.ts';
import { modelDocument } from '../domain/calibration/model-document.ts';
import { parseModelText } from '../domain/model-schema.ts';

function auc(x: number | undefined): string {
  return x === undefined ? 'n/a' : x.toFixed(3);
}

export function suggestedModelYaml(result: CalibrationResult, source: string): string {
  const s = result.suggestion;
  if (s === undefined) throw new Error('no suggested model to write');
  const what = result.mode === 'best' ? 'best customers against the account base' : 'closed deals';
  const window = result.window.from === undefined ? 'close dates unknown' : `closed ${result.window.from} to ${result.window.to}`;
  const lines = [
    ` Suggested ICP model, written by \`icp-sync calibrate\` on ${result.generatedAt.slice(0, 10)} from ${source}.`,
    result.unit === 'deal'
      ? ` Fitted on ${s.trainSize} ${what} (${window}), each deal counted (unit of analysis: deal);`
      : ` Fitted on ${s.trainSize} ${what} (${window}), one per account;`,
    s.cautious === true
      ? ` CAUTIOUS MODEL: too few best customers to hold some out; measured on the same accounts: AUC ${auc(s.holdoutFit.auc)} (optimistic).`
      : ` measured on ${s.holdoutSize} other ${unitNoun(result.unit)} held out: AUC ${auc(s.holdoutFit.auc)}` +
        (result.current === undefined ? '.' : ` (model ${result.current.model.version} on the same held-out ${unitNoun(result.unit)}: ${auc(result.current.holdoutFit.auc)}).`),
    ` Review it, then save it as config/icp.yaml (or point ICP_MODEL_PATH at it) and run \`icp-sync validate\`.`,
    ` Re-challenge this ICP by ${result.rechallengeBy}.`,
  ];
  const doc = new Document(modelDocument(s.model));
  doc.commentBefore = lines.join('\n');
  const text = doc.toString({ lineWidth: 0 });
  const check = parseModelText(text, 'suggested.yaml');
  if (!check.ok) throw new Error(`the suggested model does not validate:\n${check.problems.join('\n')}`);
  return text;
}
