/**
 * The French of what calibration says in English deeper down: the model diff (told from its facts with
 * French words), the reasons an attribute is left out or a criterion dropped, the reasons for a role's
 * points, and the segment words ("missing", "other", "any value"). The reasons are fixed sentences of
 * `suggest-model.ts`, `leakage.ts`, `bucketing.ts`, `role-analysis.ts` and `calibrate.ts`, read here by
 * pattern; a reason no pattern knows is shown as written (and the French sheet test lists the English
 * words it must not find).
 */
import { formatNumber, MISSING_SEGMENT, OTHER_SEGMENT } from '../../domain/calibration/bucketing.ts';
import type { DiffWords } from '../../domain/calibration/model-diff.ts';
import { frenchNumbers } from '../format.ts';

type Phrase = [RegExp, (m: RegExpExecArray) => string];

const g = (m: RegExpExecArray, i: number): string => frenchNumbers(m[i] ?? '');

const VERDICTS: Readonly<Record<string, string>> = {
  'wins clearly more': 'gagne nettement plus',
  'wins clearly less': 'gagne nettement moins',
  'no clear difference': 'pas de différence nette',
};

const PHRASES: readonly Phrase[] = [
  // suggest-model.ts: why an attribute is left out of the suggestion.
  [/^not a snake_case attribute name$/, () => "nom d'attribut qui n'est pas en snake_case"],
  [/^not predictive \(information value (\S+) < (\S+)\)$/, (m) => `pas prédictif (valeur d'information ${g(m, 1)} < ${g(m, 2)})`],
  [/^could be chance \(chi-square p = (\S+) > (\S+)\)$/, (m) => `peut-être le hasard (khi-deux p = ${g(m, 1)} > ${g(m, 2)})`],
  [/^every segment wins at the same rate$/, () => 'tous les segments gagnent au même taux'],
  [/^beyond the (\d+) most predictive attributes$/, (m) => `au-delà des ${m[1] ?? ''} attributs les plus prédictifs`],
  [/^no segment large enough to score$/, () => 'aucun segment assez grand pour être noté'],
  // calibrate.ts: why a criterion of the current model is dropped.
  [/^not in the data, so not assessed$/, () => 'absent des données, donc pas évalué'],
  [/^possible leakage: (.+)$/s, (m) => `fuite possible : ${frenchReason(m[1] ?? '')}`],
  // leakage.ts
  [
    /^its name says date, stage, status, outcome, owner, name or id: it describes the deal, not the account$/,
    () => "son nom dit date, étape, statut, issue, propriétaire, nom ou identifiant : il décrit l'affaire, pas le compte",
  ],
  [/^it holds dates: a date tells when a deal closed, not who buys$/, () => "il contient des dates : une date dit quand l'affaire s'est conclue, pas qui achète"],
  [/^nearly every row has its own value: an identifier or a name$/, () => 'presque chaque ligne a sa propre valeur : un identifiant ou un nom'],
  [
    /^it separates won from lost almost perfectly on its own \(AUC (\S+)\): most likely a consequence of the outcome \(e\.g\. an amount set to 0 on lost deals\)$/,
    (m) => `il sépare presque parfaitement à lui seul gagnés et perdus (AUC ${g(m, 1)}) : sans doute une conséquence de l'issue (par exemple un montant mis à 0 sur les affaires perdues)`,
  ],
  // bucketing.ts: attributes the analysis cannot segment.
  [/^every value is missing$/, () => 'toutes les valeurs manquent'],
  [/^no value reads as a number$/, () => 'aucune valeur ne se lit comme un nombre'],
  [/^identifier-like: (\d+) distinct values in (\d+)$/, (m) => `ressemble à un identifiant : ${g(m, 1)} valeurs distinctes sur ${g(m, 2)}`],
  // role-analysis.ts: why a role gets its points.
  [/^too few rows to judge \((\d+) with the role\): kept as in the model$/, (m) => `trop peu de lignes pour juger (${m[1] ?? ''} avec la fonction) : gardée comme dans le modèle`],
  [
    /^(\S+ %) won with it, (\S+ %) without: (wins clearly more|wins clearly less|no clear difference)$/,
    (m) => `${g(m, 1)} gagnées avec, ${g(m, 2)} sans : ${VERDICTS[m[3] ?? ''] ?? m[3] ?? ''}`,
  ],
];

/** A reason calibration gave, in French; one no pattern knows is returned as written. */
export function frenchReason(text: string): string {
  for (const [re, say] of PHRASES) {
    const m = re.exec(text);
    if (m !== null) return say(m);
  }
  return text;
}

export const FRENCH_DIFF_WORDS: DiffWords = {
  points: (n) => frenchNumbers(String(n)),
  bound: (n) => frenchNumbers(formatNumber(n)),
  share: (x) => `${Math.round(x * 100)} %`,
  colon: ' : ',
  semicolon: ' ; ',
  version: 'version',
  tiers: 'tiers',
  weight: 'poids',
  ofScore: 'du score',
  newCriterion: 'nouveau critère',
  dropped: (was) => `retiré (valait ${was})`,
  added: 'ajouté',
  otherValues: 'autres valeurs',
  otherwise: 'sinon',
  bands: 'tranches',
  yes: 'oui',
  no: 'non',
  kind: (kind) => (kind === 'category' ? 'catégories' : 'préfixes'),
  role: 'fonction',
  nowRequired: 'désormais requise',
  noLongerRequired: 'plus requise',
  reason: frenchReason,
};

/** The segment words the analysis writes in English (`bucketing.ts`), by segment key. */
export function frenchSegmentLabel(key: string, label: string): string {
  if (key === MISSING_SEGMENT) return 'valeur manquante';
  if (key === OTHER_SEGMENT) return 'autres';
  // A numeric attribute whose bands all merged: one band, "any value".
  if (key === 'band0' && label === 'any value') return 'toute valeur';
  if (key === 'true' && label === 'yes') return 'oui';
  if (key === 'false' && label === 'no') return 'non';
  // Band bounds are written `1,400–5,300`: French writes `1 400–5 300` (and `0,5` for a decimal).
  if (/^band\d+$/.test(key)) return frenchNumbers(label);
  return label;
}
