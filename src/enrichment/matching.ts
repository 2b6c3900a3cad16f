/**
 * Pure company-name matching for registry name searches: no I/O. A CRM record known by its name
 * and location is compared with the candidates a registry returns; a candidate is accepted only
 * when its confidence clears a threshold AND no other candidate comes close (never a silent
 * wrong match). Homonyms in another département are never accepted.
 */

/** Legal-form tokens dropped before comparing names (French, then common foreign ones). */
const LEGAL_FORMS = new Set([
  'sa', 'sas', 'sasu', 'sarl', 'eurl', 'sci', 'snc', 'sca', 'scs', 'scop', 'scic', 'sem', 'gie', 'sel',
  'selarl', 'selas', 'selafa', 'earl', 'gaec', 'scea', 'scp', 'scm', 'ei', 'eirl', 'sasp',
  'gmbh', 'ag', 'kg', 'ohg', 'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp',
  'corporation', 'plc', 'bv', 'nv', 'bvba', 'sprl', 'srl', 'spa',
]);

/** Words that carry no identity ("Société des Eaux" vs "Eaux"). */
const FILLER_WORDS = new Set([
  'societe', 'ste', 'cie', 'compagnie', 'et', 'and', 'the', 'de', 'des', 'du', 'la', 'le', 'les', 'l', 'd',
  'en', 'au', 'aux', 'of', 'co', 'company', 'groupe', 'group',
]);

/**
 * Name tokens for comparison: accents folded, lower-cased, `&` read as "et", punctuation as
 * spaces, runs of single letters joined (`S.A.S.` → `sas`, `I B M` → `ibm`), then legal forms and
 * filler words removed. When removal would leave nothing, the meaningful tokens are kept.
 */
export function nameTokens(name: string): string[] {
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/&/g, ' et ');
  const raw = folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
  const joined: string[] = [];
  let letters = '';
  for (const t of raw) {
    if (t.length === 1 && /\p{L}/u.test(t)) {
      letters += t;
      continue;
    }
    if (letters !== '') joined.push(letters);
    letters = '';
    joined.push(t);
  }
  if (letters !== '') joined.push(letters);
  const meaningful = joined.filter((t) => !LEGAL_FORMS.has(t));
  const core = meaningful.filter((t) => !FILLER_WORDS.has(t));
  if (core.length > 0) return core;
  return meaningful.length > 0 ? meaningful : joined;
}

/** Jaro-Winkler similarity of two strings, 0..1 (prefix scale 0.1, prefix up to 4). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aHit = new Array<boolean>(a.length).fill(false);
  const bHit = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(b.length - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (bHit[j] || a[i] !== b[j]) continue;
      aHit[i] = true;
      bHit[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aHit[i]) continue;
    while (!bHit[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Two tokens count as the same word from this Jaro-Winkler similarity (typos, plurals). */
const TOKEN_SAME = 0.9;

function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // Short tokens (codes, initials) must be equal: "abc" vs "abd" are different companies.
  if (a.length < 4 || b.length < 4) return 0;
  const s = jaroWinkler(a, b);
  return s >= TOKEN_SAME ? s : 0;
}

/**
 * Similarity of two company names, 0..1: equal once spaces are removed → 1; otherwise a soft
 * token-set Dice coefficient (each token scores its best counterpart on the other side, typos
 * forgiven, extra words penalised). Legal forms, accents, case and punctuation never count.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  if (ta.join('') === tb.join('')) return 1;
  const best = (from: readonly string[], to: readonly string[]) =>
    from.reduce((sum, t) => sum + Math.max(...to.map((u) => tokenSimilarity(t, u))), 0);
  return (best(ta, tb) + best(tb, ta)) / (ta.length + tb.length);
}

/** Département of a French postal code (`75015` → `75`, `20000` → `2A`, `97411` → `974`). */
export function departmentOfPostalCode(postalCode: string): string | undefined {
  const pc = postalCode.replace(/\s/g, '');
  if (!/^\d{5}$/.test(pc)) return undefined;
  if (pc.startsWith('97') || pc.startsWith('98')) return pc.slice(0, 3);
  if (pc.startsWith('20')) return Number(pc) < 20200 ? '2A' : '2B';
  return pc.slice(0, 2);
}

/** Normalises a département code as written in a CRM (`1` → `01`, `2a` → `2A`); undefined if not one. */
export function normalizeDepartment(value: string): string | undefined {
  const v = value.trim().toUpperCase();
  if (/^\d$/.test(v)) return `0${v}`;
  if (/^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$/.test(v)) return v;
  return undefined;
}

/** What is known about the company we are looking for. */
export interface MatchQuery {
  name: string;
  postalCode?: string;
  department?: string;
  city?: string;
}

/** One registry candidate, reduced to what matching needs. */
export interface MatchCandidate {
  id: string;
  /** Every name the registry knows it by (legal name, usual name, acronym). */
  names: readonly string[];
  /** Postal codes of the head office and of the establishments that matched the search. */
  postalCodes: readonly string[];
  cities: readonly string[];
  /** Closed companies never count as competitors of an active best match. */
  closed: boolean;
}

export interface MatchOptions {
  /** Minimum confidence to accept, 0..1. */
  threshold: number;
  /** A runner-up within this distance of the best makes the match ambiguous. Default 0.08. */
  ambiguityMargin?: number;
}

export interface ScoredCandidate {
  id: string;
  confidence: number;
  nameScore: number;
  location: 'postal_code' | 'department' | 'city' | 'unknown' | 'other_department';
}

export type MatchDecision =
  | { accepted: true; id: string; confidence: number; ranked: readonly ScoredCandidate[] }
  | { accepted: false; reason: 'no_candidates' | 'below_threshold' | 'ambiguous'; best?: ScoredCandidate; ranked: readonly ScoredCandidate[] };

/**
 * Confidence = name similarity × a location factor: the same postal code keeps it whole; the same
 * département or city costs a little; a candidate we cannot place costs more.
 */
const LOCATION_FACTOR = { postal_code: 1, department: 0.96, city: 0.96, unknown: 0.9, other_department: 0 } as const;

/** A city as compared: folded, `St`/`Ste` spelt out, arrondissements and CEDEX dropped (`PARIS 15` → `paris`). */
export function normalizeCity(s: string): string {
  const folded = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\bcedex\b.*$/, '');
  return folded
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '' && !/^\d+(e|er|eme)?$/.test(t) && t !== 'arrondissement')
    .map((t) => (t === 'st' ? 'saint' : t === 'ste' ? 'sainte' : t))
    .join(' ');
}

/** Scores one candidate: best name similarity × location factor; another département → 0. */
export function scoreCandidate(query: MatchQuery, c: MatchCandidate): ScoredCandidate {
  const nameScore = Math.max(0, ...c.names.map((n) => nameSimilarity(query.name, n)));
  const wantedDept = query.department ?? (query.postalCode ? departmentOfPostalCode(query.postalCode) : undefined);
  const depts = c.postalCodes.map(departmentOfPostalCode).filter((d): d is string => d !== undefined);
  let location: ScoredCandidate['location'] = 'unknown';
  if (query.postalCode && c.postalCodes.includes(query.postalCode)) location = 'postal_code';
  else if (wantedDept && depts.includes(wantedDept)) location = 'department';
  else if (wantedDept && depts.length > 0) location = 'other_department';
  if (location === 'unknown' && query.city) {
    const city = normalizeCity(query.city);
    if (city !== '' && c.cities.some((x) => normalizeCity(x) === city)) location = 'city';
  }
  const confidence = Math.round(nameScore * LOCATION_FACTOR[location] * 1000) / 1000;
  return { id: c.id, confidence, nameScore, location };
}

/**
 * Chooses at most one candidate. Refuses when the best is below `threshold`, or when another
 * candidate (an active one, if the best is active) scores within `ambiguityMargin` of it.
 */
export function decideMatch(query: MatchQuery, candidates: readonly MatchCandidate[], opts: MatchOptions): MatchDecision {
  if (candidates.length === 0) return { accepted: false, reason: 'no_candidates', ranked: [] };
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const closed = (id: string) => byId.get(id)?.closed ?? false;
  // On equal confidence an active company ranks before a closed one.
  const ranked = candidates
    .map((c) => scoreCandidate(query, c))
    .sort((x, y) => y.confidence - x.confidence || Number(closed(x.id)) - Number(closed(y.id)));
  const best = ranked[0];
  if (best === undefined || best.confidence < opts.threshold) return { accepted: false, reason: 'below_threshold', ...(best ? { best } : {}), ranked };
  const margin = opts.ambiguityMargin ?? 0.08;
  const bestClosed = closed(best.id);
  const rival = ranked.slice(1).find((r) => r.id !== best.id && r.confidence >= best.confidence - margin && (bestClosed || !closed(r.id)));
  if (rival) return { accepted: false, reason: 'ambiguous', best, ranked };
  return { accepted: true, id: best.id, confidence: best.confidence, ranked };
}
