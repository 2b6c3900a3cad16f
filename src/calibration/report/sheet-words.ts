/**
 * The words of the one-page ICP sheet in English and French (`--lang en|fr`). The default language
 * is the model's: its name, tier, criterion and role labels are read for French words and accents
 * (the example model is French). Texts computed deeper in calibration (the model diff, the reasons
 * an attribute is left out, the segment words) reach the French sheet through `french-phrases.ts`.
 */
import { ENGLISH_DIFF_WORDS, type DiffWords } from '../../domain/calibration/model-diff.ts';
import type { IcpModel } from '../../domain/types.ts';
import { FRENCH_DIFF_WORDS, frenchReason, frenchSegmentLabel } from './french-phrases.ts';

export type SheetLang = 'en' | 'fr';

export function isSheetLang(s: string): s is SheetLang {
  return s === 'en' || s === 'fr';
}

const FRENCH_WORDS = new Set([
  'le', 'la', 'les', 'de', 'des', 'du', 'et', 'ou', 'en', 'au', 'aux', 'pour', 'sans', 'avec', 'cible', 'cœur', 'coeur', 'bonne',
  'secteur', 'taille', 'effectif', 'pays', 'chiffre', 'affaires', 'hors', 'décideur', 'acheteur', 'utilisateur', 'entreprise',
  'entreprises', 'salariés', 'secondaire', 'prioritaire',
]);
const ENGLISH_WORDS = new Set([
  'the', 'of', 'and', 'or', 'for', 'with', 'without', 'target', 'core', 'good', 'sector', 'industry', 'size', 'employees',
  'country', 'revenue', 'out', 'decision', 'maker', 'buyer', 'user', 'company', 'companies', 'secondary', 'fit', 'best',
]);

/** `fr` when the model's labels read French (French words or accented letters outnumber English words), else `en`. */
export function modelLanguage(model: IcpModel | undefined): SheetLang {
  if (model === undefined) return 'en';
  const texts = [
    model.name ?? '',
    ...model.tiers.map((t) => t.label ?? ''),
    ...model.criteria.map((c) => (c.label === c.id ? '' : c.label)),
    ...(model.roles?.list ?? []).map((r) => (r.label === r.id ? '' : r.label)),
  ];
  let fr = 0;
  let en = 0;
  for (const text of texts) {
    if (/[àâçéèêëîïôûùüÿœ]/i.test(text)) fr++;
    for (const w of text.toLowerCase().split(/[^a-zàâçéèêëîïôûùüÿœ]+/)) {
      if (FRENCH_WORDS.has(w)) fr++;
      else if (ENGLISH_WORDS.has(w)) en++;
    }
  }
  return fr > en ? 'fr' : 'en';
}

export interface SheetWords {
  lang: SheetLang;
  title: string;
  analysisOnly: string;
  suggestedModel: (v: string) => string;
  model: (v: string) => string;
  from: string;
  rechallengeBy: string;
  overdue: string;
  noModelBanner: string;
  keyTraits: string;
  weakest: string;
  largestDeals: string;
  fastest: string;
  targetFunctions: string;
  objections: string;
  whatChanged: string;
  segments: string;
  modelSection: string;
  noneSure: (unit: string) => string;
  segment: string;
  interval: string;
  lift: string;
  medianWon: string;
  cycle: string;
  median: string;
  wonOf: (won: number, n: number) => string;
  unit: (unit: 'deal' | 'account', plural?: boolean) => string;
  winRate: string;
  bestRate: string;
  role: string;
  titles: string;
  required: string;
  suggested: string;
  reason: string;
  shareOfLost: string;
  lostAmount: string;
  overall: string;
  /** The top tier's column head, with its lost deals when given. */
  topTier: (tier: string, lost?: string) => string;
  verdicts: Record<'wins more' | 'wins less' | 'no clear effect' | 'too few', string>;
  yes: string;
  no: string;
  moreIn: (n: number) => string;
  suggestedWeights: string;
  leftOut: string;
  currentModel: string;
  suggestedModelLegend: string;
  dashedLine: (outcome: string, rate: string) => string;
  /** `: ` in English, ` : ` in French (a space before the colon). */
  colon: string;
  /** Joins a rate and its count in chart tooltips: `55 % of 128`. */
  of: string;
  /** The model diff's words. */
  diff: DiffWords;
  /** A reason calibration gave in English (an attribute left out, a criterion dropped). */
  calibrationReason: (text: string) => string;
  /** A segment's label (`missing`, `other`, `any value`, band bounds) by its key. */
  segmentLabel: (key: string, label: string) => string;
}

const EN: SheetWords = {
  lang: 'en',
  title: 'Ideal Customer Profile',
  analysisOnly: 'analysis only',
  suggestedModel: (v) => `suggested model ${v}`,
  model: (v) => `model ${v}`,
  from: 'from',
  rechallengeBy: 're-challenge by',
  overdue: 'overdue',
  noModelBanner: 'No suggested model:',
  keyTraits: 'Key account traits',
  weakest: 'Weakest segments',
  largestDeals: 'Largest won deals',
  fastest: 'Fastest to close',
  targetFunctions: 'Target functions',
  objections: 'Frequent objections',
  whatChanged: 'What changed since the last model',
  segments: 'Segments',
  modelSection: 'Model',
  noneSure: (unit) => `None with enough ${unit} to be sure.`,
  segment: 'segment',
  interval: '95 % interval',
  lift: 'lift',
  medianWon: 'median won',
  cycle: 'cycle',
  median: 'median',
  wonOf: (won, n) => `${won} won of ${n}`,
  unit: (unit, plural = true) => (unit === 'deal' ? (plural ? 'deals' : 'deal') : plural ? 'accounts' : 'account'),
  winRate: 'win rate',
  bestRate: 'best-customer rate',
  role: 'role',
  titles: 'titles',
  required: 'required',
  suggested: 'suggested points',
  reason: 'reason',
  shareOfLost: '% of lost',
  lostAmount: '% of amount',
  overall: 'All lost deals',
  topTier: (tier, lost) => `Top tier ${tier}${lost === undefined ? '' : `: ${lost} lost`}`,
  verdicts: { 'wins more': 'wins more', 'wins less': 'wins less', 'no clear effect': 'no clear effect', 'too few': 'too few' },
  yes: 'yes',
  no: 'no',
  moreIn: (n) => `… ${n} more in icp-sheet.md`,
  suggestedWeights: 'Suggested weights',
  leftOut: 'Left out',
  currentModel: 'current model',
  suggestedModelLegend: 'suggested model',
  dashedLine: (outcome, rate) => `Dashed line: base ${outcome} ${rate}.`,
  colon: ': ',
  of: 'of',
  diff: ENGLISH_DIFF_WORDS,
  calibrationReason: (text) => text,
  segmentLabel: (_key, label) => label,
};

const FR: SheetWords = {
  lang: 'fr',
  title: 'Profil client idéal',
  analysisOnly: 'analyse seule',
  suggestedModel: (v) => `modèle suggéré ${v}`,
  model: (v) => `modèle ${v}`,
  from: 'source',
  rechallengeBy: 'à re-challenger avant le',
  overdue: 'en retard',
  noModelBanner: 'Aucun modèle suggéré :',
  keyTraits: 'Traits des comptes gagnants',
  weakest: 'Segments les plus faibles',
  largestDeals: 'Plus grosses affaires gagnées',
  fastest: 'Cycles les plus courts',
  targetFunctions: 'Fonctions cibles',
  objections: 'Objections fréquentes',
  whatChanged: 'Ce qui change depuis le dernier modèle',
  segments: 'Segments',
  modelSection: 'Modèle',
  noneSure: (unit) => `Aucun avec assez de ${unit} pour conclure.`,
  segment: 'segment',
  interval: 'intervalle 95 %',
  lift: 'lift',
  medianWon: 'médiane gagnée',
  cycle: 'cycle',
  median: 'médiane',
  wonOf: (won, n) => `${won} gagnés sur ${n}`,
  unit: (unit, plural = true) => (unit === 'deal' ? (plural ? 'affaires' : 'affaire') : plural ? 'comptes' : 'compte'),
  winRate: 'taux de gain',
  bestRate: 'taux de meilleurs clients',
  role: 'fonction',
  titles: 'intitulés',
  required: 'requise',
  suggested: 'points suggérés',
  reason: 'motif',
  shareOfLost: '% des perdues',
  lostAmount: '% du montant',
  overall: 'Toutes les affaires perdues',
  topTier: (tier, lost) => `Tier ${tier}${lost === undefined ? '' : ` : ${lost} perdues`}`,
  verdicts: { 'wins more': 'gagne plus', 'wins less': 'gagne moins', 'no clear effect': 'pas d’effet net', 'too few': 'trop peu' },
  yes: 'oui',
  no: 'non',
  moreIn: (n) => `… ${n} de plus dans icp-sheet.md`,
  suggestedWeights: 'Poids suggérés',
  leftOut: 'Écartés',
  currentModel: 'modèle actuel',
  suggestedModelLegend: 'modèle suggéré',
  dashedLine: (outcome, rate) => `Ligne pointillée : ${outcome} de base ${rate}.`,
  colon: ' : ',
  of: 'sur',
  diff: FRENCH_DIFF_WORDS,
  calibrationReason: frenchReason,
  segmentLabel: frenchSegmentLabel,
};

export function sheetWords(lang: SheetLang): SheetWords {
  return lang === 'fr' ? FR : EN;
}
