/**
 * What the one-page ICP sheet shows, computed once from a calibration result; the HTML page and its
 * Markdown twin both render this.
 */
import { unitNoun, type CalibrationResult } from '../../domain/calibration/calibrate.ts';
import { keyTraits, type KeyTraits, type Trait } from '../../domain/calibration/key-traits.ts';
import { changeText } from '../../domain/calibration/model-diff.ts';
import type { ModelFit } from '../../domain/calibration/model-fit.ts';
import type { IcpModel } from '../../domain/types.ts';
import { EXAMPLE_MODEL_PATH } from '../../config/model-loader.ts';
import { THEME_LABELS } from '../../domain/calibration/objections.ts';
import type { Interval } from '../../domain/calibration/statistics.ts';
import { formatsFor, type NumberFormats } from '../format.ts';
import { adviceOf } from '../advice.ts';
import { COLORS, type RateBar, type RateColumn, type RocSeries, type TierColumn } from './svg-charts.ts';
import { modelLanguage, sheetWords, type SheetLang, type SheetWords } from './sheet-words.ts';

export interface SheetContext {
  source: string;
  modelPath?: string;
  /** Language of the sheet (default: the current model's, see `modelLanguage`). */
  lang?: SheetLang;
}

export interface TargetFunctionRow {
  label: string;
  /** The model says the role is required (committee coverage). */
  required: boolean;
  /** First titles of the role in the model, for the reader to recognise it. */
  titles: string[];
  known: boolean;
  n: number;
  winRate: number;
  interval: Interval;
  lift: number | undefined;
  small: boolean;
  verdict: string;
  /** `0.8 · required`: the points (and required) the deals suggest for the role. */
  suggested: string | undefined;
}

export interface TargetFunctions {
  rows: TargetFunctionRow[];
  /** What the rows count and how many say which roles were present. */
  note: string;
}

export interface ObjectionRow {
  label: string;
  /** Other spellings merged into this reason (every spelling, for a theme named by its label). */
  merged: string[];
  deals: number;
  share: number;
  amountShare: number;
  /** The same reason among the top tier's lost deals (`undefined` without a model to place tiers). */
  top: { deals: number; share: number } | undefined;
}

export interface Objections {
  /** Every reason, most frequent first (the page shows the first `OBJECTIONS_SHOWN`). */
  rows: ObjectionRow[];
  /** The top tier's name and lost deals, when a model places the tiers. */
  topTier: { tier: string; lost: number } | undefined;
  note: string;
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
  lang: SheetLang;
  words: SheetWords;
  fmt: NumberFormats;
  title: string;
  /** Why no model is suggested, shown as a banner at the top; `undefined` when one is. */
  noModel: string | undefined;
  /** Shown when there is no change to list, in words that fit the case. */
  noChange: string;
  subtitle: string;
  generatedOn: string;
  rechallengeBy: string;
  /** The re-challenge date has passed (the model in use is due). */
  rechallengeOverdue: boolean;
  source: string;
  outcomeWord: string;
  /** What the counts count: `deals` or `accounts`. */
  unitWord: string;
  baseRate: number;
  figures: Figure[];
  traits: KeyTraits;
  /** `undefined` when the model defines no buying roles. */
  roles: BuyingRole[] | undefined;
  /** Win rate by role present; `undefined` when no deal says which roles were present. */
  targetFunctions: TargetFunctions | undefined;
  /** `undefined` when no lost deal gives a reason. */
  objections: Objections | undefined;
  /** Shown in place of a section without data. */
  noTargetFunctions: string;
  noObjections: string;
  segmentCharts: { attribute: string; informationValue: number; bars: RateBar[] }[];
  tierColumns: TierColumn[];
  /** Whose tiers the distribution shows; in French with its article (`des comptes analysés (85)`). */
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
function rolesOf(model: IcpModel | undefined, w: SheetWords): BuyingRole[] | undefined {
  if (model?.roles === undefined) return undefined;
  return model.roles.list.map((r) => ({
    name: `${r.label}${r.required ? ` (${w.required})` : ''}`,
    titles: [...r.titles],
  }));
}

/** Titles shown beside a role: enough to recognise it, not the whole list. */
const TITLES_SHOWN = 4;
/** Objections listed on the page; the Markdown twin lists them all. */
export const OBJECTIONS_SHOWN = 6;

function targetFunctionsOf(r: CalibrationResult, w: SheetWords, fmt: NumberFormats): TargetFunctions | undefined {
  const ra = r.roles;
  if (ra === undefined) return undefined;
  const model = r.current?.model.roles?.list ?? [];
  const rows = ra.roles.map((x): TargetFunctionRow => {
    const def = model.find((d) => d.id === x.role);
    const sug = ra.suggestions.find((sg) => sg.role === x.role);
    const fr = w.lang === 'fr';
    return {
      label: x.known ? x.label : `${x.label} (${fr ? 'hors modèle' : 'not in the model'})`,
      required: def?.required === true,
      titles: (def?.titles ?? []).slice(0, TITLES_SHOWN),
      known: x.known,
      n: x.present.n,
      winRate: x.present.winRate,
      interval: x.present.interval,
      lift: x.lift,
      small: x.small,
      verdict: w.verdicts[x.verdict],
      suggested:
        sug === undefined || r.suggestion === undefined
          ? undefined
          : `${fr ? String(sug.points).replace('.', ',') : sug.points}${sug.required ? ` · ${w.required}` : ''}`,
    };
  });
  const unit = w.unit(r.unit);
  const unknown = ra.unknown.map((u) => `${u.id} ×${fmt.count(u.rows)}`).join(', ');
  const note =
    w.lang === 'fr'
      ? `Taux de gain des ${unit} où la fonction était présente, sur ${fmt.count(ra.n)} ${unit} qui disent quelles fonctions étaient présentes` +
        (ra.withoutInformation > 0 ? ` (${fmt.count(ra.withoutInformation)} sans cette information)` : '') +
        `; lift face au taux de base ${fmt.pct(ra.baseRate)}.` +
        (unknown === '' ? '' : ` Fonctions absentes du modèle : ${unknown}.`)
      : `Win rate of the ${unit} where the role was present, on ${fmt.count(ra.n)} ${unit} that say which roles were present` +
        (ra.withoutInformation > 0 ? ` (${fmt.count(ra.withoutInformation)} without this information)` : '') +
        `; lift over the base rate ${fmt.pct(ra.baseRate)}.` +
        (unknown === '' ? '' : ` Role ids not in the model: ${unknown}.`);
  return { rows, note };
}

function objectionsOf(r: CalibrationResult, w: SheetWords, fmt: NumberFormats): Objections | undefined {
  const o = r.objections;
  if (o === undefined) return undefined;
  const top = o.topTier;
  const rows = o.overall.groups.map((g): ObjectionRow => {
    const t = top?.groups.find((x) => x.key === g.key);
    const theme = g.theme === undefined ? undefined : THEME_LABELS[g.theme];
    return {
      label: theme === undefined ? g.label : theme[w.lang],
      merged: (theme === undefined ? g.variants.slice(1) : g.variants).map((v) => v.text),
      deals: g.deals,
      share: g.share,
      amountShare: g.amountShare,
      top: top === undefined ? undefined : { deals: t?.deals ?? 0, share: t?.share ?? 0 },
    };
  });
  const more = Math.max(0, rows.length - OBJECTIONS_SHOWN);
  const fr = w.lang === 'fr';
  const note = fr
    ? `${fmt.count(o.overall.withReason)} affaires perdues sur ${fmt.count(o.overall.lost)} donnent un motif (toutes les affaires perdues lues, quelle que soit l'unité) ; motifs regroupés sans casse, accents ni ponctuation, synonymes évidents et fautes de frappe réunis.` +
      (more > 0 ? ` ${fmt.count(more)} autres motifs dans icp-sheet.md.` : '')
    : `${fmt.count(o.overall.withReason)} of ${fmt.count(o.overall.lost)} lost deals give a reason (every lost deal read, whatever the unit); reasons grouped ignoring case, accents and punctuation, obvious synonyms and typos merged.` +
      (more > 0 ? ` ${fmt.count(more)} more reasons in icp-sheet.md.` : '');
  return { rows, topTier: top === undefined ? undefined : { tier: top.tier, lost: top.lost }, note };
}

/** The traits with their segment labels in the sheet's words. */
function traitsIn(t: KeyTraits, w: SheetWords): KeyTraits {
  const relabel = (list: readonly Trait[]): Trait[] => list.map((x) => ({ ...x, label: w.segmentLabel(x.key, x.label) }));
  return { winning: relabel(t.winning), losing: relabel(t.losing), largestDeals: relabel(t.largestDeals), fastest: relabel(t.fastest) };
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
  const lang = ctx.lang ?? modelLanguage(r.current?.model);
  const fr = lang === 'fr';
  const w = sheetWords(lang);
  const fmt = formatsFor(lang);
  const { aucText, count, lift, pct } = fmt;
  const a = r.analysis;
  const s = r.suggestion;
  const best = r.mode === 'best';
  const outcomeWord = best ? w.bestRate : w.winRate;
  const noun = fr ? w.unit(r.unit) : unitNoun(r.unit);
  const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
  const figures: Figure[] = [
    {
      label: fr ? `${Noun} analysé${r.unit === 'deal' ? 'e' : ''}s` : `${Noun} analysed`,
      value: count(a.n),
      note: best
        ? fr
          ? `${count(a.won)} meilleurs clients dans la base`
          : `${count(a.won)} best customers in the base`
        : (fr ? `${count(a.won)} gagné${r.unit === 'deal' ? 'e' : ''}s, ${count(a.n - a.won)} perdu${r.unit === 'deal' ? 'e' : ''}s` : `${count(a.won)} won, ${count(a.n - a.won)} lost`) +
          (r.unit === 'deal' ? (fr ? `, de ${count(r.accounts)} comptes` : `, from ${count(r.accounts)} accounts`) : ''),
    },
    {
      label: best ? (fr ? 'Taux de meilleurs clients' : 'Best-customer rate') : fr ? 'Taux de gain de base' : 'Base win rate',
      value: pct(a.baseRate),
      note:
        r.window.from === undefined
          ? fr
            ? 'dates de clôture inconnues'
            : 'close dates unknown'
          : fr
            ? `clôturées du ${r.window.from} au ${r.window.to}`
            : `closed ${r.window.from} → ${r.window.to}`,
    },
  ];
  if (r.current !== undefined) {
    const top = r.current.fit.topTier;
    figures.push({
      label: fr ? `AUC, modèle ${r.current.model.version}` : `AUC, model ${r.current.model.version}`,
      value: aucText(r.current.fit.auc),
      note: fr
        ? `toutes les données, ${count(r.current.fit.n)} ${noun}` + (top === undefined ? '' : ` ; tier ${top.tier} : ${lift(top.lift)} le taux de base`)
        : `whole data set, all ${count(r.current.fit.n)} ${noun}` + (top === undefined ? '' : `; top tier ${top.tier}: ${lift(top.lift)} the base rate`),
    });
  }
  if (s !== undefined) {
    const top = s.holdoutFit.topTier;
    if (s.cautious === true) {
      figures.push({
        label: fr ? 'AUC, modèle prudent (non mis de côté)' : 'AUC, cautious model (not held out)',
        value: aucText(s.holdoutFit.auc),
        note: fr ? `ajusté et mesuré sur les ${count(s.trainSize)} mêmes comptes : optimiste` : `fitted and measured on the same ${count(s.trainSize)} accounts: optimistic`,
      });
    } else
      figures.push({
        label: fr ? 'AUC, modèle suggéré (mis de côté)' : 'AUC, suggested model (held out)',
        value: aucText(s.holdoutFit.auc),
        note: fr
          ? `sur ${count(s.holdoutSize)} ${noun} mis${r.unit === 'deal' ? 'es' : ''} de côté` +
            (r.current === undefined ? '' : ` (modèle actuel sur les mêmes : ${aucText(r.current.holdoutFit.auc)})`)
          : `on ${count(s.holdoutSize)} held-out ${noun}` +
            (r.current === undefined ? '' : ` (current model on the same held-out ${noun}: ${aucText(r.current.holdoutFit.auc)})`),
      });
    if (top !== undefined)
      figures.push({
        label: fr ? `Lift du tier ${top.tier}` : `Top tier ${top.tier} lift`,
        value: lift(top.lift),
        note: fr
          ? `modèle suggéré, ${noun} ${s.cautious === true ? 'identiques' : 'mis de côté'}`
          : `suggested model, ${s.cautious === true ? 'same' : 'held-out'} ${noun}`,
      });
  }
  const rc = r.rechallenge;
  figures.push({
    label: fr ? 'À re-challenger avant le' : 'Re-challenge by',
    value: r.rechallengeBy,
    note:
      rc.basis === 'current'
        ? fr
          ? `modèle ${r.current?.model.version ?? ''} daté du ${rc.from} + ${rc.months} mois${rc.overdue ? ' : en retard' : ''}`
          : `model ${r.current?.model.version ?? ''} dated ${rc.from} + ${rc.months} months${rc.overdue ? ': overdue' : ''}`
        : fr
          ? `${rc.months} mois après ce calibrage, sur des affaires récentes`
          : `${rc.months} months from this calibration, on fresh deals`,
  });

  const segmentCharts = a.attributes.filter((x) => x.leak === undefined).slice(0, 3).map((x) => ({
    attribute: x.attribute,
    informationValue: x.informationValue,
    bars: x.segments.map((seg) => ({
      label: w.segmentLabel(seg.key, seg.label),
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
      name: fr
        ? `actuel ${r.current.model.version}, AUC ${aucText(r.current.holdoutFit.auc)}`
        : `current ${r.current.model.version}, AUC ${aucText(r.current.holdoutFit.auc)}`,
      color: COLORS.current,
      points: r.current.holdoutFit.roc,
    });
  }
  if (s !== undefined && s.holdoutFit.roc.length > 0) {
    roc.push({
      name: fr
        ? `suggéré, AUC ${aucText(s.holdoutFit.auc)}${s.cautious === true ? ' (mêmes comptes)' : ''}`
        : `suggested, AUC ${aucText(s.holdoutFit.auc)}${s.cautious === true ? ' (same accounts)' : ''}`,
      color: COLORS.suggested,
      points: s.holdoutFit.roc,
    });
  }
  const total = s?.model.criteria.reduce((sum, c) => sum + c.weight, 0) ?? 1;
  const notes = fr ? frenchNotes(r, noun, count) : englishNotes(r, noun, count);
  return {
    lang,
    words: w,
    fmt,
    // The user's model names the ICP; the example model (the default before a config exists) does not.
    title: `${w.title} — ${r.current !== undefined && !isExampleModel(ctx.modelPath) ? r.current.model.name : dataName(ctx.source)}`,
    noModel: s === undefined ? (fr ? frenchProblem(r.suggestionProblem) : (r.suggestionProblem ?? 'not enough data')) : undefined,
    noChange:
      r.current === undefined
        ? fr
          ? 'Pas de modèle actuel à comparer.'
          : 'No current model to compare with.'
        : s === undefined
          ? fr
            ? `Aucun modèle suggéré : rien à changer au modèle ${r.current.model.version}.`
            : `No suggested model, so nothing to change in model ${r.current.model.version}.`
          : fr
            ? `Aucun changement par rapport au modèle ${r.current.model.version}.`
            : `No change from model ${r.current.model.version}.`,
    subtitle: s !== undefined ? w.suggestedModel(s.model.version) : r.current !== undefined ? w.model(r.current.model.version) : w.analysisOnly,
    generatedOn: r.generatedAt.slice(0, 10),
    rechallengeBy: r.rechallengeBy,
    rechallengeOverdue: rc.overdue,
    source: withoutDirectories(ctx.source),
    outcomeWord,
    unitWord: noun,
    baseRate: a.baseRate,
    figures,
    traits: traitsIn(keyTraits(a), w),
    roles: rolesOf(r.current?.model, w),
    targetFunctions: targetFunctionsOf(r, w, fmt),
    objections: objectionsOf(r, w, fmt),
    noTargetFunctions: fr
      ? 'Aucune affaire ne dit quelles fonctions étaient présentes : ajoutez une colonne roles (identifiants séparés par ;) ou lisez les affaires du CRM.'
      : 'No deal says which roles were present: add a roles column (ids separated by ;) or read the deals from the CRM.',
    noObjections: fr
      ? 'Aucune affaire perdue ne donne de motif : ajoutez une colonne lost_reason ou lisez les affaires du CRM.'
      : 'No lost deal gives a reason: add a lost_reason column or read the deals from the CRM.',
    segmentCharts,
    tierColumns,
    populationLabel:
      r.distribution.population === 'base'
        ? fr
          ? `de la base de comptes (${count(r.distribution.size)})`
          : `the account base (${count(r.distribution.size)})`
        : fr
          ? `des comptes analysés (${count(r.distribution.size)})`
          : `the analysed accounts (${count(r.distribution.size)})`,
    lift: {
      title: fr
        ? `${best ? 'Meilleurs clients' : 'Gain'} par tranche de 10 points${s !== undefined ? ', mis de côté' : ''}`
        : `${best ? 'Best-customer' : 'Win'} rate per 10-point score band${s !== undefined ? ', held out' : ''}`,
      columns: (liftFit?.calibration ?? []).map((b) => ({ label: String(b.from), rate: b.winRate, n: b.n })),
    },
    tierRates:
      liftFit === undefined
        ? undefined
        : {
            title: fr
              ? `${best ? 'Meilleurs clients' : 'Gain'} par tier${s !== undefined ? ', mis de côté' : ''}`
              : `${best ? 'Best-customer' : 'Win'} rate by tier${s !== undefined ? ', held out' : ''}`,
            columns: tierRateColumns(liftFit),
          },
    roc,
    rocAxes: best
      ? fr
        ? { x: 'part des autres comptes atteinte', y: 'part des meilleurs clients atteinte' }
        : { x: 'share of other accounts reached', y: 'share of best customers reached' }
      : fr
        ? { x: `part des ${noun} perdu${r.unit === 'deal' ? 'e' : ''}s atteinte`, y: `part des ${noun} gagné${r.unit === 'deal' ? 'e' : ''}s atteinte` }
        : { x: `share of lost ${noun} reached`, y: `share of won ${noun} reached` },
    criteria: (s?.model.criteria ?? []).map((c) => ({ attribute: c.attribute, share: c.weight / total })),
    leftOut: [
      ...r.leakage.map((f) => ({ attribute: f.attribute, reason: w.calibrationReason(`possible leakage: ${f.reason}`) })),
      ...(s?.verdicts ?? [])
        .filter((v) => v.leftOut !== undefined)
        .map((v) => ({ attribute: v.attribute, reason: w.calibrationReason(v.leftOut as string) })),
    ],
    changes: r.diff.map((d) => (d.detail === undefined ? d.text : changeText(d.detail, w.diff))),
    advice: s?.cautious === true ? undefined : adviceOf(r, lang),
    notes,
  };
}

function englishNotes(r: CalibrationResult, noun: string, count: (n: number) => string): string[] {
  const a = r.analysis;
  const s = r.suggestion;
  const notes = [
    r.mode === 'best'
      ? 'Each account counts once: best customers are matched to the base by account id, domain or name.'
      : r.unit === 'deal'
        ? `Unit of analysis: the deal (${r.unitReason}); the held-out part keeps every deal of an account together.`
        : `Unit of analysis: the account, won if any of its deals was won (${r.unitReason}).`,
    `Intervals are 95 % Wilson intervals; segments marked * have fewer than ${r.minSample} ${noun} and are never read as traits.`,
  ];
  if (r.leakage.length > 0) {
    notes.push(`Left out as possible leakage (they describe the deal's outcome, not the account): ${r.leakage.map((f) => f.attribute).join(', ')}.`);
  }
  if (r.current !== undefined && r.current.absent.length > 0) {
    notes.push(`Model ${r.current.model.version} was measured without ${r.current.absent.join(', ')}: the data has no such column.`);
  }
  if (s?.cautious === true) {
    notes.push(
      `Cautious model: ${count(a.won)} best customers are too few to hold some out, so it was fitted and measured on the same ${count(s.trainSize)} accounts; read it as the seed of an ICP.`,
    );
  } else if (s !== undefined) {
    notes.push(`The suggested model was fitted on ${count(s.trainSize)} ${noun} and measured on ${count(s.holdoutSize)} others (held out, never seen while fitting).`);
  } else if (r.suggestionProblem !== undefined) {
    notes.push(`No suggested model: ${r.suggestionProblem}.`);
  }
  return notes;
}

const FRENCH_UNIT: Record<string, string> = { deal: 'affaire', deals: 'affaires', account: 'compte', accounts: 'comptes' };

/**
 * Why no model is suggested, in French, for the reasons calibration gives (see calibrate.ts and
 * suggest-model.ts); any other reason is shown as written.
 */
export function frenchProblem(problem: string | undefined): string {
  if (problem === undefined) return 'pas assez de données';
  let m = /^too few (deals|accounts) to fit and measure a model: each of the training and held-out parts needs at least (\d+) won and (\d+) lost/.exec(problem);
  if (m !== null) {
    const u = FRENCH_UNIT[m[1] as string] as string;
    return `trop peu de ${u} pour ajuster et mesurer un modèle : la partie d'ajustement et la partie mise de côté demandent chacune au moins ${m[2]} ${u} gagné${u === 'affaires' ? 'e' : ''}s et ${m[3]} perdu${u === 'affaires' ? 'e' : ''}s`;
  }
  m = /^every (deal|account) is lost/.exec(problem);
  if (m !== null) return `${m[1] === 'deal' ? 'toutes les affaires sont perdues' : 'tous les comptes sont perdus'} : rien ne dit à quoi ressemble un client`;
  if (problem.startsWith('every account is won (an account counts as won if any of its deals was won)')) {
    return "tous les comptes sont gagnés (un compte est gagné si l'une de ses affaires l'est) : essayez --unit deal, ou comparez vos meilleurs clients à toute la base (--best FICHIER avec --base FICHIER ou --crm NOM)";
  }
  m = /^every (deal|account) is won/.exec(problem);
  if (m !== null) {
    return `${m[1] === 'deal' ? 'toutes les affaires sont gagnées' : 'tous les comptes sont gagnés'} : sans affaires perdues, comparez vos meilleurs clients à toute la base (--best FICHIER avec --base FICHIER ou --crm NOM)`;
  }
  if (problem.startsWith('no attribute separates won from lost')) return 'aucun attribut ne sépare les gagnés des perdus : pas de modèle à suggérer';
  if (problem.startsWith('the deals must include both won and lost')) return 'il faut des affaires gagnées et perdues pour suggérer un modèle';
  return problem;
}

function frenchNotes(r: CalibrationResult, noun: string, count: (n: number) => string): string[] {
  const a = r.analysis;
  const s = r.suggestion;
  const notes = [
    r.mode === 'best'
      ? 'Chaque compte compte une fois : les meilleurs clients sont retrouvés dans la base par identifiant, domaine ou nom.'
      : r.unit === 'deal'
        ? `Unité d'analyse : l'affaire (${r.accountsWithSeveralDeals} comptes ont plusieurs affaires clôturées) ; la partie mise de côté garde ensemble les affaires d'un même compte.`
        : `Unité d'analyse : le compte, gagné si l'une de ses affaires l'a été.`,
    `Intervalles de Wilson à 95 % ; les segments marqués * ont moins de ${r.minSample} ${noun} et ne sont jamais lus comme des traits.`,
  ];
  if (r.leakage.length > 0) {
    notes.push(`Écartés comme fuite possible (ils décrivent l'issue de l'affaire, pas le compte) : ${r.leakage.map((f) => f.attribute).join(', ')}.`);
  }
  if (r.current !== undefined && r.current.absent.length > 0) {
    notes.push(`Le modèle ${r.current.model.version} a été mesuré sans ${r.current.absent.join(', ')} : les données n'ont pas ces colonnes.`);
  }
  if (s?.cautious === true) {
    notes.push(
      `Modèle prudent : ${count(a.won)} meilleurs clients, c'est trop peu pour en mettre de côté ; il a été ajusté et mesuré sur les ${count(s.trainSize)} mêmes comptes : c'est la graine d'un ICP.`,
    );
  } else if (s !== undefined) {
    notes.push(`Le modèle suggéré a été ajusté sur ${count(s.trainSize)} ${noun} et mesuré sur ${count(s.holdoutSize)} autres (mis de côté, jamais vus pendant l'ajustement).`);
  } else if (r.suggestionProblem !== undefined) {
    notes.push(`Aucun modèle suggéré : ${frenchProblem(r.suggestionProblem)}.`);
  }
  return notes;
}
