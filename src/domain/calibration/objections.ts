/**
 * Frequent objections: the reasons given for lost deals, grouped so that spellings of one reason
 * count together, with their share of the lost deals and of the lost amount, overall and within
 * the top tier. The grouping is meant to be explained in one breath, and every group lists the
 * spellings it merged:
 *   1. case, accents, punctuation and spacing are ignored; a few filler words (the, of, le, de…)
 *      and a plural "s" too; the same words in any order are the same reason;
 *   2. a short table of obvious synonyms, French and English (price: "trop cher", "too
 *      expensive", "prix"…; see SYNONYMS), compared on whole reasons;
 *   3. a reason that names the keyword of exactly one theme ("budget", "concurrent", "prix"…; see
 *      THEMES) joins that theme: "Pas de budget validé par la direction" is a budget objection. A
 *      reason naming two themes ("too expensive for our budget") stays on its own;
 *   4. a near-duplicate (one typo in a reason of 4+ letters, two in 10+) joins the larger group.
 * Pure.
 */
import { normalizeText } from '../normalize.ts';
import type { ClosedDeal } from './deal.ts';

const FILLER = new Set(['the', 'a', 'an', 'of', 'to', 'for', 'and', 'le', 'la', 'les', 'l', 'de', 'des', 'du', 'd', 'un', 'une', 'et', 'pour', 'au', 'aux']);

/** Whole reasons that say the same thing; the first spelling names the group's key. */
const SYNONYMS: readonly (readonly string[])[] = [
  ['price', 'pricing', 'too expensive', 'expensive', 'price too high', 'too costly', 'cost', 'trop cher', 'cher', 'prix', 'prix trop eleve', 'tarif', 'cout', 'cout trop eleve'],
  ['no budget', 'budget', 'lack of budget', 'budget freeze', 'pas de budget', 'manque de budget', 'budget gele', 'pas budget'],
  ['competitor', 'competition', 'lost to competitor', 'went with competitor', 'chose competitor', 'concurrent', 'concurrence', 'choix concurrent', 'parti chez concurrent'],
  ['timing', 'bad timing', 'not now', 'not the right time', 'too early', 'pas le bon moment', 'mauvais timing', 'trop tot', 'pas maintenant'],
  ['no decision', 'no response', 'no answer', 'ghosted', 'unresponsive', 'status quo', 'pas de decision', 'pas de reponse', 'sans reponse', 'sans suite', 'statu quo'],
  ['missing feature', 'feature gap', 'product fit', 'fonctionnalite manquante', 'manque fonctionnel', 'manque de fonctionnalite'],
];

/**
 * Themes by keyword (step 3), keyed like the synonym groups above. Keywords are compared as whole
 * words after step 1 (so singular, without accents).
 */
const THEMES: readonly { key: string; words: readonly string[] }[] = [
  { key: 'price', words: ['price', 'pricing', 'prix', 'cher', 'chere', 'expensive', 'cost', 'costly', 'cout', 'couteux', 'tarif'] },
  { key: 'budget no', words: ['budget', 'budgetaire'] },
  { key: 'competitor', words: ['competitor', 'competition', 'concurrent', 'concurrence', 'concurrente'] },
  { key: 'timing', words: ['timing', 'moment', 'reporte', 'postponed', 'delayed', 'later'] },
  { key: 'decision no', words: ['decision', 'reponse', 'answer', 'ghosted', 'unresponsive', 'quo'] },
  { key: 'feature missing', words: ['feature', 'fonctionnalite', 'integration'] },
];

/** The name of each theme, to show instead of one of its spellings. */
export const THEME_LABELS: Readonly<Record<string, { en: string; fr: string }>> = {
  price: { en: 'Price', fr: 'Prix' },
  'budget no': { en: 'No budget', fr: 'Pas de budget' },
  competitor: { en: 'Competitor', fr: 'Concurrent' },
  timing: { en: 'Timing', fr: 'Calendrier' },
  'decision no': { en: 'No decision', fr: 'Pas de décision' },
  'feature missing': { en: 'Missing feature', fr: 'Fonctionnalité manquante' },
};

/** The theme a reason (already a key) names alone, if any. */
function themeOf(key: string): string | undefined {
  const words = new Set(key.split(' '));
  const hits = THEMES.filter((t) => t.words.some((w) => words.has(w)));
  return hits.length === 1 ? (hits[0] as { key: string }).key : undefined;
}

/** Step 1: the reason as compared (`"Trop cher !"` → `cher trop`). */
export function reasonKey(text: string): string {
  const words = normalizeText(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '' && !FILLER.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  return words.sort().join(' ');
}

const SYNONYM_OF: ReadonlyMap<string, string> = new Map(
  SYNONYMS.flatMap((group) => {
    const head = reasonKey(group[0] as string);
    return group.map((s) => [reasonKey(s), head] as const);
  }),
);

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length] as number;
}

function typosAllowed(key: string): number {
  return key.length >= 10 ? 2 : key.length >= 4 ? 1 : 0;
}

export interface ObjectionGroup {
  /** The group's compared form (after step 1 and 2). */
  key: string;
  /** The most frequent spelling in the data. */
  label: string;
  /** The theme (synonyms or keyword, a key of `THEME_LABELS`) when the group is one. */
  theme?: string;
  /** Every spelling merged here, most frequent first. */
  variants: { text: string; deals: number }[];
  /** Lost deals giving this reason. */
  deals: number;
  /** Of all lost deals (with or without a reason). */
  share: number;
  /** Lost amount of these deals (deals without an amount add nothing). */
  amount: number;
  /** Of the lost amount of every lost deal with an amount. */
  amountShare: number;
}

export interface ObjectionSet {
  /** Lost deals read. */
  lost: number;
  /** Of which with a reason. */
  withReason: number;
  /** Total amount of the lost deals that have one. */
  lostAmount: number;
  /** Most frequent first (then larger amount, then label). */
  groups: ObjectionGroup[];
}

export interface ObjectionAnalysis {
  overall: ObjectionSet;
  /** The lost deals of accounts the model places in its top tier. */
  topTier?: ObjectionSet & { tier: string };
}

export interface ObjectionOptions {
  /** The top tier and how to place a deal's account in tiers (the suggested or current model). */
  topTier?: { tier: string; tierOf: (attributes: Readonly<Record<string, unknown>>) => string };
}

/** Groups the reasons of lost deals; `lost` deals must all be lost. */
function groupReasons(lost: readonly ClosedDeal[]): ObjectionSet {
  const lostAmount = lost.reduce((sum, d) => sum + (d.amount ?? 0), 0);
  const byKey = new Map<string, { spellings: Map<string, number>; forms: Set<string>; deals: number; amount: number }>();
  let withReason = 0;
  for (const d of lost) {
    const text = d.lostReason?.trim().replace(/\s+/g, ' ') ?? '';
    const raw = reasonKey(text);
    if (raw === '') continue;
    withReason++;
    const key = SYNONYM_OF.get(raw) ?? themeOf(raw) ?? raw;
    let g = byKey.get(key);
    if (g === undefined) byKey.set(key, (g = { spellings: new Map(), forms: new Set([key]), deals: 0, amount: 0 }));
    g.forms.add(raw);
    g.deals++;
    g.amount += d.amount ?? 0;
    g.spellings.set(text, (g.spellings.get(text) ?? 0) + 1);
  }
  // Step 3, largest groups first: a smaller group within the allowed typos of any spelling of a
  // larger one joins it ("concurent" joins the group where "concurrent" went).
  const keys = [...byKey.keys()].sort((a, b) => (byKey.get(b)?.deals ?? 0) - (byKey.get(a)?.deals ?? 0) || (a < b ? -1 : 1));
  const merged = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) {
    const small = keys[i] as string;
    for (let j = 0; j < i; j++) {
      const large = keys[j] as string;
      if (merged.has(large)) continue;
      const near = [...(byKey.get(large)?.forms ?? [])].some((form) => {
        const limit = Math.min(typosAllowed(small), typosAllowed(form));
        return limit > 0 && editDistance(small, form, limit) <= limit;
      });
      if (near) {
        merged.set(small, large);
        break;
      }
    }
  }
  for (const [small, large] of merged) {
    const from = byKey.get(small);
    const to = byKey.get(large);
    if (from === undefined || to === undefined) continue;
    to.deals += from.deals;
    to.amount += from.amount;
    for (const f of from.forms) to.forms.add(f);
    for (const [t, n] of from.spellings) to.spellings.set(t, (to.spellings.get(t) ?? 0) + n);
    byKey.delete(small);
  }
  const groups: ObjectionGroup[] = [...byKey.entries()].map(([key, g]) => {
    const variants = [...g.spellings.entries()].map(([text, deals]) => ({ text, deals })).sort((a, b) => b.deals - a.deals || (a.text < b.text ? -1 : 1));
    return {
      key,
      label: (variants[0] as { text: string }).text,
      ...(THEME_LABELS[key] === undefined ? {} : { theme: key }),
      variants,
      deals: g.deals,
      share: lost.length === 0 ? 0 : g.deals / lost.length,
      amount: g.amount,
      amountShare: lostAmount === 0 ? 0 : g.amount / lostAmount,
    };
  });
  groups.sort((a, b) => b.deals - a.deals || b.amount - a.amount || (a.label < b.label ? -1 : 1));
  return { lost: lost.length, withReason, lostAmount, groups };
}

/**
 * The objections of every lost deal read. Counted on deals whatever the unit of analysis: an
 * objection is heard on a deal, and an account's earlier lost deals were objections too.
 */
export function analyzeObjections(deals: readonly ClosedDeal[], options: ObjectionOptions = {}): ObjectionAnalysis {
  const lost = deals.filter((d) => !d.won);
  const out: ObjectionAnalysis = { overall: groupReasons(lost) };
  const top = options.topTier;
  if (top !== undefined) out.topTier = { tier: top.tier, ...groupReasons(lost.filter((d) => top.tierOf(d.attributes) === top.tier)) };
  return out;
}
