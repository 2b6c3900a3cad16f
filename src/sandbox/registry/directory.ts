/**
 * A local stand-in for API Recherche d'entreprises (https://recherche-entreprises.api.gouv.fr) `/search`:
 * a directory of companies in the documented answer shape, searched the way the API searches. A `q` of
 * exactly 9/14 digits is a direct SIREN/SIRET lookup that ignores every filter; other terms match the
 * company names word by word and are filtered by `code_postal` / `departement`. The documented query rules
 * are enforced (`per_page` ≤ 25, `page × per_page` ≤ 10,000, terms under 3 characters need a filter).
 * Pure: the HTTP side is in `server.ts`.
 */
import { departmentOfPostalCode } from '../../enrichment/matching.ts';

/** What a sandbox seed knows of one French company, to be found in the registry. */
export interface RegistryFacts {
  /** Legal name as INSEE registers it (the CRM name may differ by case or legal form). */
  legalName: string;
  postalCode: string;
  city: string;
  /** NAF rev. 2 code, `62.01Z`. */
  naf: string;
  /** Real headcount; the registry publishes its INSEE band. */
  employees: number;
  /** `YYYY-MM-DD`. */
  createdOn: string;
  /** Ceased trading (`etat_administratif` `C`), on this date. */
  closedOn?: string;
  /** Latest published turnover in euros, and its year. */
  revenue?: { amount: number; year: number };
}

export interface RegistryEstablishment {
  siret: string;
  code_postal: string;
  departement: string;
  libelle_commune: string;
  etat_administratif: string;
}

/** One unité légale, with the fields of the API's `payload` schema that enrichment reads. */
export interface RegistryCompanyEntry {
  siren: string;
  nom_complet: string;
  nom_raison_sociale: string;
  sigle: null;
  activite_principale: string;
  section_activite_principale: string;
  categorie_entreprise: string;
  annee_categorie_entreprise: string;
  tranche_effectif_salarie: string;
  annee_tranche_effectif_salarie: string;
  date_creation: string;
  date_fermeture: string | null;
  etat_administratif: 'A' | 'C';
  nature_juridique: string;
  nombre_etablissements_ouverts: number;
  siege: RegistryEstablishment;
  finances: Record<string, { ca: number; resultat_net: number }> | null;
}

/** INSEE headcount band code of a headcount (https://www.sirene.fr/sirene/public/variable/tefen). */
export function headcountBand(employees: number): string {
  const bands: Array<[number, string]> = [
    [10_000, '53'], [5000, '52'], [2000, '51'], [1000, '42'], [500, '41'], [250, '32'], [200, '31'],
    [100, '22'], [50, '21'], [20, '12'], [10, '11'], [6, '03'], [3, '02'], [1, '01'],
  ];
  return bands.find(([min]) => employees >= min)?.[1] ?? '00';
}

/** INSEE company category from the headcount alone (the real rule also weighs turnover and balance sheet). */
export function companyCategory(employees: number): string {
  return employees < 250 ? 'PME' : employees < 5000 ? 'ETI' : 'GE';
}

/** NAF section letter of a NAF division (the two first digits). */
function nafSection(naf: string): string {
  const d = Number(naf.slice(0, 2));
  const sections: Array<[number, string]> = [
    [99, 'U'], [97, 'T'], [94, 'S'], [90, 'R'], [86, 'Q'], [85, 'P'], [84, 'O'], [77, 'N'], [69, 'M'], [68, 'L'], [64, 'K'],
    [58, 'J'], [55, 'I'], [49, 'H'], [45, 'G'], [41, 'F'], [36, 'E'], [35, 'D'], [10, 'C'], [5, 'B'], [1, 'A'],
  ];
  return sections.find(([min]) => d >= min)?.[1] ?? 'A';
}

/** A valid SIREN for a sequence number: 8 digits, then the Luhn check digit INSEE numbers carry. */
export function sirenFor(n: number): string {
  const body = String(80_000_000 + (n % 20_000_000));
  for (let check = 0; check < 10; check++) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let x = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return candidate;
  }
  return `${body}0`;
}

/** The registry entry of one company, numbered `n` in its directory. */
export function registryEntry(f: RegistryFacts, n: number): RegistryCompanyEntry {
  const siren = sirenFor(n);
  const state = f.closedOn ? 'C' : 'A';
  const year = String(Math.max(Number(f.createdOn.slice(0, 4)), 2023));
  return {
    siren,
    nom_complet: f.legalName.toUpperCase(),
    nom_raison_sociale: f.legalName.toUpperCase(),
    sigle: null,
    activite_principale: f.naf,
    section_activite_principale: nafSection(f.naf),
    categorie_entreprise: companyCategory(f.employees),
    annee_categorie_entreprise: '2023',
    tranche_effectif_salarie: headcountBand(f.employees),
    annee_tranche_effectif_salarie: year,
    date_creation: f.createdOn,
    date_fermeture: f.closedOn ?? null,
    etat_administratif: state,
    nature_juridique: '5710',
    nombre_etablissements_ouverts: state === 'A' ? 1 : 0,
    siege: {
      siret: `${siren}00012`,
      code_postal: f.postalCode,
      departement: departmentOfPostalCode(f.postalCode) ?? '',
      libelle_commune: f.city.toUpperCase(),
      etat_administratif: state,
    },
    finances: f.revenue ? { [String(f.revenue.year)]: { ca: f.revenue.amount, resultat_net: Math.round(f.revenue.amount * 0.06) } } : null,
  };
}

const words = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1);

export interface RegistryAnswer {
  status: number;
  body: unknown;
}

/** What the search reads of a directory entry. */
export interface SearchableCompany {
  siren: string;
  nom_raison_sociale: string;
  siege: { siret: string; code_postal: string; departement: string };
}

/** The `/search` answer for the query parameters, from `companies`. */
export function answerSearch<C extends SearchableCompany>(companies: readonly C[], p: URLSearchParams): RegistryAnswer {
  const page = Number(p.get('page') ?? '1');
  const perPage = Number(p.get('per_page') ?? '10');
  const q = (p.get('q') ?? '').trim();
  const pc = p.get('code_postal');
  const dep = p.get('departement');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 25) return { status: 400, body: { erreur: 'Veuillez indiquer un `per_page` entre `1` et `25`.' } };
  if (!Number.isInteger(page) || page < 1 || page * perPage > 10_000) return { status: 400, body: { erreur: 'Le nombre total de résultats est restreint à 10 000.' } };
  if (q.length < 3 && !pc && !dep) return { status: 400, body: { erreur: 'Veuillez indiquer au moins un paramètre de recherche.' } };
  let found: C[];
  let filtered = false;
  if (/^\d{9}$/.test(q)) found = companies.filter((c) => c.siren === q);
  else if (/^\d{14}$/.test(q)) found = companies.filter((c) => c.siege.siret === q);
  else {
    const terms = words(q);
    found = companies.filter((c) => {
      const name = words(c.nom_raison_sociale);
      return terms.filter((t) => name.some((w) => w.startsWith(t) || t.startsWith(w))).length * 2 >= terms.length;
    });
    if (pc) found = found.filter((c) => c.siege.code_postal === pc);
    if (dep) found = found.filter((c) => c.siege.departement === dep);
    filtered = Boolean(pc || dep);
  }
  const results = found
    .slice((page - 1) * perPage, page * perPage)
    .map((c) => ({ ...c, matching_etablissements: filtered ? [c.siege] : [] }));
  return { status: 200, body: { results, total_results: found.length, page, per_page: perPage, total_pages: Math.ceil(found.length / perPage) } };
}
