/**
 * The results expected for test/fixtures/cli/companies.csv under test/fixtures/cli/model.yaml,
 * worked out by hand from PRODUCT.md §2 (W = 40 + 30 + 20 + 10 = 100, so a contribution is
 * weight × points and the score their sum).
 */
import type { Reason } from '../../src/domain/types.ts';

const r = (criterion: string, label: string, value: unknown, points: number, contribution: number, status: Reason['status']): Reason => ({
  criterion,
  label,
  value,
  points,
  contribution,
  status,
});

export interface ExpectedRow {
  id: string;
  score: number;
  tier: string;
  excluded: boolean;
  completeness: number;
  tags: string[];
  reasons: Reason[];
  text: string;
}

export const EXPECTED: readonly ExpectedRow[] = [
  {
    // Software → 1 (40); 1 200 employees is in no band → default 0; 62.01Z → longest prefix 6201 → 1 (20);
    // [HubSpot, Salesforce] → best item 1 (10). 40 + 0 + 20 + 10 = 70 → A (min 70). All present.
    id: 'c1',
    score: 70,
    tier: 'A',
    excluded: false,
    completeness: 1,
    tags: ['secteur-cible', 'hubspot'],
    reasons: [
      r('industry', 'Secteur', 'Software', 1, 40, 'match'),
      r('naf', 'NAF', '62.01Z', 1, 20, 'match'),
      r('stack', 'Stack', ['HubSpot', 'Salesforce'], 1, 10, 'match'),
      r('size', 'Effectif', '1 200', 0, 0, 'miss'),
    ],
    text: '+40 Secteur: Software · +20 NAF: 62.01Z · +10 Stack: HubSpot, Salesforce · 0 Effectif: 1 200',
  },
  {
    // IT Services → 0.5 (20); 250 → 1 (30); 62.02A → prefix 62 → 0.5 (10); no stack → missing.
    // 60 → B; completeness (40 + 30 + 20) / 100 = 0.9; only "pme" reaches tagAt 1.
    id: 'c2',
    score: 60,
    tier: 'B',
    excluded: false,
    completeness: 0.9,
    tags: ['pme'],
    reasons: [
      r('size', 'Effectif', '250', 1, 30, 'match'),
      r('industry', 'Secteur', 'IT Services', 0.5, 20, 'partial'),
      r('naf', 'NAF', '62.02A', 0.5, 10, 'partial'),
      r('stack', 'Stack', null, 0, 0, 'missing'),
    ],
    text: '+30 Effectif: 250 · +20 Secteur: IT Services · +10 NAF: 62.02A · ? Stack: inconnu',
  },
  {
    // is_competitor "oui" fires the exclusion: score 0, tier X, no tags; the reasons are still given.
    id: 'c3',
    score: 0,
    tier: 'X',
    excluded: true,
    completeness: 1,
    tags: [],
    reasons: [
      r('industry', 'Secteur', 'Software', 1, 40, 'match'),
      r('size', 'Effectif', '120', 1, 30, 'match'),
      r('naf', 'NAF', '62.01Z', 1, 20, 'match'),
      r('stack', 'Stack', 'HubSpot', 1, 10, 'match'),
    ],
    text: '✖ Concurrent direct · +40 Secteur: Software · +30 Effectif: 120 · +20 NAF: 62.01Z · +10 Stack: HubSpot',
  },
  {
    // Retail → default 0; 12 → 0.5 (15); 47.11Z matches no prefix → 0; no stack. 15 → C.
    // Ties at 0 keep criteria order (industry, naf, stack).
    id: 'c4',
    score: 15,
    tier: 'C',
    excluded: false,
    completeness: 0.9,
    tags: [],
    reasons: [
      r('size', 'Effectif', '12', 0.5, 15, 'partial'),
      r('industry', 'Secteur', 'Retail', 0, 0, 'miss'),
      r('naf', 'NAF', '47.11Z', 0, 0, 'miss'),
      r('stack', 'Stack', null, 0, 0, 'missing'),
    ],
    text: '+15 Effectif: 12 · 0 Secteur: Retail · 0 NAF: 47.11Z · ? Stack: inconnu',
  },
  {
    // "49,5" is 49.5 (decimal comma): above the 10–49 band → default 0. "NO" → false: no exclusion.
    id: 'c7',
    score: 70,
    tier: 'A',
    excluded: false,
    completeness: 1,
    tags: ['secteur-cible', 'hubspot'],
    reasons: [
      r('industry', 'Secteur', 'software', 1, 40, 'match'),
      r('naf', 'NAF', '6201', 1, 20, 'match'),
      r('stack', 'Stack', ['hubspot', 'pipedrive'], 1, 10, 'match'),
      r('size', 'Effectif', '49,5', 0, 0, 'miss'),
    ],
    text: '+40 Secteur: software · +20 NAF: 6201 · +10 Stack: hubspot, pipedrive · 0 Effectif: 49,5',
  },
];

export const EXPECTED_SKIPS = 'line 6: no value in id column "id" — skipped\nline 7: 2 fields, the header has 7 — skipped\n';
