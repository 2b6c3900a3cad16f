/**
 * Roles and lost reasons added to synthetic deals, with a known answer: a decision maker is on
 * 70 % of won deals and 30 % of lost ones; a buyer on half the deals whatever the outcome; a
 * "champion" (not a role of the model) on every tenth deal. Lost deals give one of a few reasons,
 * each written in several spellings, price being the most frequent.
 */
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import type { IcpModel, RoleSet } from '../../src/domain/types.ts';
import { mulberry32 } from '../../src/domain/prng.ts';
import { GROUND_TRUTH } from './synthetic-deals.ts';

export const SHEET_ROLES: RoleSet = {
  ignoreTitles: [],
  defaultPoints: 0,
  list: [
    { id: 'decision_maker', label: 'Décideur', points: 1, required: true, titles: ['ceo', 'pdg', 'directeur general', 'dg', 'founder'], hubspot: [], salesforce: [] },
    { id: 'buyer', label: 'Acheteur', points: 0.8, required: true, titles: ['daf', 'cfo', 'achats'], hubspot: [], salesforce: [] },
    { id: 'user', label: 'Utilisateur', points: 0.4, required: false, titles: ['developpeur', 'engineer'], hubspot: [], salesforce: [] },
  ],
};

/** The ground truth with French labels and the roles above, as a French team's model would read. */
export const FRENCH_MODEL: IcpModel = {
  ...GROUND_TRUTH,
  version: '2026.06',
  name: 'PME et ETI tech',
  tiers: GROUND_TRUTH.tiers.map((t, i) => ({ ...t, label: ['Cœur de cible', 'Bonne cible', 'Cible secondaire', 'Hors cible'][i] as string })),
  roles: SHEET_ROLES,
};

const REASONS: readonly (readonly string[])[] = [
  ['Trop cher', 'trop cher !', 'Too expensive', 'Prix'],
  ['Concurrent', 'Lost to competitor', 'concurent'],
  ['Pas de budget', 'No budget'],
  ['Mauvais timing', 'Not now'],
  ['Fonctionnalité manquante', 'Missing feature'],
];
const REASON_WEIGHTS = [0.35, 0.25, 0.2, 0.12, 0.08];

export function withRolesAndReasons(deals: readonly ClosedDeal[], seed = 1): ClosedDeal[] {
  const rand = mulberry32(seed);
  return deals.map((d) => {
    const roles: string[] = [];
    if (rand() < (d.won ? 0.7 : 0.3)) roles.push('decision_maker');
    if (rand() < 0.5) roles.push('buyer');
    if (rand() < 0.4) roles.push('user');
    if (rand() < 0.1) roles.push('champion');
    if (d.won) return { ...d, roles };
    let x = rand();
    let k = 0;
    while (k < REASON_WEIGHTS.length - 1 && x >= (REASON_WEIGHTS[k] as number)) x -= REASON_WEIGHTS[k++] as number;
    const spellings = REASONS[k] as readonly string[];
    const reason = rand() < 0.1 ? '' : (spellings[Math.floor(rand() * spellings.length)] as string);
    return { ...d, roles, ...(reason === '' ? {} : { lostReason: reason }) };
  });
}
