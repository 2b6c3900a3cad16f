/**
 * What the one-page ICP sheet shows, computed once from a calibration result; the HTML page and its
 * Markdown twin both render this.
 */
import { unitNoun, type CalibrationResult } from '../../domain/calibration/calibrate.ts';
import { keyTraits, type KeyTraits } from '../../domain/calibration/key-traits.ts';
import type { ModelFit } from '../../domain/calibration/model-fit.ts';
import type { IcpModel } from '../../domain/types.ts';
import { EXAMPLE_MODEL_PATH } from '../../config/model-loader.ts';
import { aucText, count, lift, pct } from '../format.ts';
import { adviceOf } from '../advice.ts';
import { COLORS, type RateBar, type RateColumn, type RocSeries, type TierColumn } from './svg-charts.ts';

export interface SheetContext {
  source: string;
  modelPath?: string;
}

export interface Figure {
  label: string;
  value: string;
  note: string;
}

export interface BuyingRole {
  name: string;
  titles: string[];
}

export interface IcpSheet {
  title: string;
  /** Why no model is suggested, shown as a banner at the top; `undefined` when one is. */
  noModel: string | undefined;
  /** Shown when there is no change to list, in words that fit the case. */
  noChange: string;
  subtitle: string;
  generatedOn: string;
  rechallengeBy: string;
  source: string;
  outcomeWord: string;
  /** What the counts count: `deals` or `accounts`. */
  unitWord: string;
  baseRate: number;
  figures: Figure[];
  traits: KeyTraits;
  /** `undefined` when the model defines no buying roles. */
  roles: BuyingRole[] | undefined;
  segmentCharts: { attribute: string; informationValue: number; bars: RateBar[] }[];
  tierColumns: TierColumn[];
  populationLabel: string;
  lift: { title: string; columns: RateColumn[] };
  tierRates: { title: string; columns: RateColumn[] } | undefined;
  roc: RocSeries[];
  /** What the ROC axes count, in the unit and the mode's words. */
  rocAxes: { x: string; y: string };
  criteria: { attribute: string; share: number }[];
  leftOut: { attribute: string; reason: string }[];
  changes: string[];
  /** Whether to adopt the suggestion, from both models' held-out AUC. */
  advice: string | undefined;
  notes: string[];
}

/** The model's buying roles (PRODUCT.md §2, `roles`), labels first, required roles marked. */
function rolesOf(model: IcpModel | undefined): BuyingRole[] | undefined {
  if (model?.roles === undefined) return undefined;
  return model.roles.list.map((r) => ({
    name: `${r.label}${r.required ? ' (required)' : ''}`,
    titles: [...r.titles],
  }));
}

function tierRateColumns(fit: ModelFit): RateColumn[] {
  return fit.tiers.filter((t) => t.n > 0).map((t) => ({ label: t.tier, rate: t.winRate, n: t.n }));
}

/** File names without their folders: a sheet is shared, a local path says nothing to its reader. */
export function withoutDirectories(source: string): string {
  return source.replace(/(?:[A-Za-z]:)?[^\s]*[\\/]([^\s\\/]+)/g, '$1');
}

function isExampleModel(path: string | undefined): boolean {
  return path !== undefined && path.replace(/\\/g, '/').endsWith(EXAMPLE_MODEL_PATH);
}

/** What the sheet is about, from the data: the input file's name, or the CRM. */
function dataName(source: string): string {
  return withoutDirectories(source);
}

export function buildIcpSheet(r: CalibrationResult, ctx: SheetContext): IcpSheet {
  const a = r.analysis;
  const s = r.suggestion;
  const best = r.mode === 'best';
  const outcomeWord = best ? 'best-customer rate' : 'win rate';
  const noun = unitNoun(r.unit);
  const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
  const figures: Figure[] = [
    {
      label: `${Noun} analysed`,
      value: count(a.n),
      note: best
        ? `${count(a.won)} best customers in the base`
        : `${count(a.won)} won, ${count(a.n - a.won)} lost` +
          (r.unit === 'deal' ? `, from ${count(r.accounts)} accounts` : ''),
    },
    {
      label: best ? 'Best-customer rate' : 'Base win rate',
      value: pct(a.baseRate),
      note: r.window.from === undefined ? 'close dates unknown' : `closed ${r.window.from} → ${r.window.to}`,
    },
  ];
  if (r.current !== undefined) {
    const top = r.current.fit.topTier;
    figures.push({
      label: `AUC, model ${r.current.model.version}`,
      value: aucText(r.current.fit.auc),
      note:
        `whole data set, all ${count(r.current.fit.n)} ${noun}` +
        (top === undefined ? '' : `; top tier ${top.tier}: ${lift(top.lift)} the base rate`),
    });
  }
  if (s !== undefined) {
    const top = s.holdoutFit.topTier;
    if (s.cautious === true) {
      figures.push({
        label: 'AUC, cautious model (not held out)',
        value: aucText(s.holdoutFit.auc),
        note: `fitted and measured on the same ${count(s.trainSize)} accounts: optimistic`,
      });
    } else
      figures.push({
        label: 'AUC, suggested model (held out)',
        value: aucText(s.holdoutFit.auc),
        note:
          `on ${count(s.holdoutSize)} held-out ${noun}` +
          (r.current === undefined
            ? ''
            : ` (current model on the same held-out ${noun}: ${aucText(r.current.holdoutFit.auc)})`),
      });
    if (top !== undefined)
      figures.push({
        label: `Top tier ${top.tier} lift`,
        value: lift(top.lift),
        note: `suggested model, ${s.cautious === true ? 'same' : 'held-out'} ${noun}`,
      });
  }
  figures.push({ label: 'Re-challenge by', value: r.rechallengeBy, note: 'recalibrate on fresh deals' });

  const segmentCharts = a.attributes.filter((x) => x.leak === undefined).slice(0, 3).map((x) => ({
    attribute: x.attribute,
    informationValue: x.informationValue,
    bars: x.segments.map((seg) => ({
      label: seg.label,
      rate: seg.winRate,
      interval: seg.interval,
      n: seg.n,
      small: seg.small,
    })),
  }));

  const tierNames = new Set<string>(
    [...(r.distribution.current ?? []), ...(r.distribution.suggested ?? [])].map((t) => t.tier),
  );
  const tierColumns: TierColumn[] = [...tierNames].map((tier) => {
    const c = r.distribution.current?.find((t) => t.tier === tier);
    const sg = r.distribution.suggested?.find((t) => t.tier === tier);
    return {
      tier,
      ...(c === undefined ? {} : { current: c.share }),
      ...(sg === undefined ? {} : { suggested: sg.share }),
    };
  });

  const liftFit = s?.holdoutFit ?? r.current?.fit;
  const roc: RocSeries[] = [];
  if (r.current !== undefined && r.current.holdoutFit.roc.length > 0) {
    roc.push({
      name: `current model ${r.current.model.version}, AUC ${aucText(r.current.holdoutFit.auc)} held out`,
      color: COLORS.current,
      points: r.current.holdoutFit.roc,
    });
  }
  if (s !== undefined && s.holdoutFit.roc.length > 0) {
    roc.push({
      name: `suggested model, AUC ${aucText(s.holdoutFit.auc)} ${s.cautious === true ? 'on the same accounts' : 'held out'}`,
      color: COLORS.suggested,
      points: s.holdoutFit.roc,
    });
  }
  const total = s?.model.criteria.reduce((sum, c) => sum + c.weight, 0) ?? 1;
  const notes = [
    best
      ? 'Each account counts once: best customers are matched to the base by account id, domain or name.'
      : r.unit === 'deal'
        ? `Unit of analysis: the deal (${r.unitReason}); the held-out part keeps every deal of an account together.`
        : `Unit of analysis: the account, won if any of its deals was won (${r.unitReason}).`,
    `Intervals are 95 % Wilson intervals; segments marked * have fewer than ${r.minSample} ${noun} and are never read as traits.`,
  ];
  if (r.leakage.length > 0) {
    notes.push(
      `Left out as possible leakage (they describe the deal's outcome, not the account): ${r.leakage.map((f) => f.attribute).join(', ')}.`,
    );
  }
  if (r.current !== undefined && r.current.absent.length > 0) {
    notes.push(
      `Model ${r.current.model.version} was measured without ${r.current.absent.join(', ')}: the data has no such column.`,
    );
  }
  if (s?.cautious === true) {
    notes.push(
      `Cautious model: ${count(a.won)} best customers are too few to hold some out, so it was fitted and measured on the same ${count(s.trainSize)} accounts; read it as the seed of an ICP.`,
    );
  } else if (s !== undefined) {
    notes.push(
      `The suggested model was fitted on ${count(s.trainSize)} ${noun} and measured on ${count(s.holdoutSize)} others (held out, never seen while fitting).`,
    );
  } else if (r.suggestionProblem !== undefined) {
    notes.push(`No suggested model: ${r.suggestionProblem}.`);
  }
  return {
    // The user's model names the ICP; the example model (the default before a config exists) does not.
    title: `Ideal Customer Profile — ${r.current !== undefined && !isExampleModel(ctx.modelPath) ? r.current.model.name : dataName(ctx.source)}`,
    noModel: s === undefined ? (r.suggestionProblem ?? 'not enough data') : undefined,
    noChange:
      r.current === undefined
        ? 'No current model to compare with.'
        : s === undefined
          ? `No suggested model, so nothing to change in model ${r.current.model.version}.`
          : `No change from model ${r.current.model.version}.`,
    subtitle:
      s !== undefined
        ? `suggested model ${s.model.version}`
        : r.current !== undefined
          ? `model ${r.current.model.version}`
          : 'analysis only',
    generatedOn: r.generatedAt.slice(0, 10),
    rechallengeBy: r.rechallengeBy,
    source: withoutDirectories(ctx.source),
    outcomeWord,
    unitWord: noun,
    baseRate: a.baseRate,
    figures,
    traits: keyTraits(a),
    roles: rolesOf(r.current?.model),
    segmentCharts,
    tierColumns,
    populationLabel:
      r.distribution.population === 'base'
        ? `the account base (${count(r.distribution.size)})`
        : `the analysed accounts (${count(r.distribution.size)})`,
    lift: {
      title: `${best ? 'Best-customer' : 'Win'} rate per 10-point score band${s !== undefined ? ', held out' : ''}`,
      columns: (liftFit?.calibration ?? []).map((b) => ({ label: String(b.from), rate: b.winRate, n: b.n })),
    },
    tierRates:
      liftFit === undefined
        ? undefined
        : {
            title: `${best ? 'Best-customer' : 'Win'} rate by tier${s !== undefined ? ', held out' : ''}`,
            columns: tierRateColumns(liftFit),
          },
    roc,
    rocAxes: best
      ? { x: 'share of other accounts reached', y: 'share of best customers reached' }
      : { x: `share of lost ${noun} reached`, y: `share of won ${noun} reached` },
    criteria: (s?.model.criteria ?? []).map((c) => ({ attribute: c.attribute, share: c.weight / total })),
    leftOut: [
      ...r.leakage.map((f) => ({ attribute: f.attribute, reason: `possible leakage: ${f.reason}` })),
      ...(s?.verdicts ?? [])
        .filter((v) => v.leftOut !== undefined)
        .map((v) => ({ attribute: v.attribute, reason: v.leftOut as string })),
    ],
    changes: r.diff.map((d) => d.text),
    advice: s?.cautious === true ? undefined : adviceOf(r),
    notes,
  };
}
