/**
 * A nock-backed stand-in for API Recherche d'entreprises `/search`, answering from a directory of
 * documented-shape companies: `q` of 9/14 digits is a direct SIREN/SIRET lookup that ignores
 * filters; other terms are matched on the company name and filtered by `code_postal` /
 * `departement`. It enforces the documented query rules (`per_page` ≤ 25, `page × per_page` ≤
 * 10,000, terms ≥ 3 characters without a filter) and counts the calls it serves.
 */
import nock from 'nock';
import { fixture, REGISTRY } from './helpers.ts';

interface Establishment {
  siret: string;
  code_postal: string;
  departement: string;
}

interface DirectoryCompany {
  siren: string;
  nom_raison_sociale: string;
  siege: Establishment;
  [k: string]: unknown;
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1);

export class FakeRegistry {
  calls = 0;
  readonly queries: URLSearchParams[] = [];
  readonly companies: DirectoryCompany[];

  constructor(companies?: DirectoryCompany[]) {
    this.companies = companies ?? fixture<{ companies: DirectoryCompany[] }>('recherche-entreprises/directory.json').companies;
  }

  /** Registers the interceptor; it stays until `nock.cleanAll()`. */
  install(): void {
    nock(REGISTRY)
      .persist()
      .get('/search')
      .query(true)
      // nock 15 hands reply functions the fetch Request.
      .reply((req: Request) => this.#answer(new URL(req.url).searchParams));
  }

  #answer(p: URLSearchParams): [number, unknown] {
    this.calls++;
    this.queries.push(p);
    const page = Number(p.get('page') ?? '1');
    const perPage = Number(p.get('per_page') ?? '10');
    const q = (p.get('q') ?? '').trim();
    const pc = p.get('code_postal');
    const dep = p.get('departement');
    if (perPage < 1 || perPage > 25) return [400, { erreur: 'Veuillez indiquer un `per_page` entre `1` et `25`.' }];
    if (page * perPage > 10_000) return [400, { erreur: 'Le nombre total de résultats est restreint à 10 000.' }];
    if (q.length < 3 && !pc && !dep) return [400, { erreur: 'Veuillez indiquer au moins un paramètre de recherche.' }];
    let found: DirectoryCompany[];
    let filtered = false;
    if (/^\d{9}$/.test(q)) found = this.companies.filter((c) => c.siren === q);
    else if (/^\d{14}$/.test(q)) found = this.companies.filter((c) => c.siege.siret === q);
    else {
      const terms = fold(q);
      found = this.companies.filter((c) => {
        const words = fold(c.nom_raison_sociale);
        return terms.filter((t) => words.some((w) => w.startsWith(t) || t.startsWith(w))).length * 2 >= terms.length;
      });
      if (pc) found = found.filter((c) => c.siege.code_postal === pc);
      if (dep) found = found.filter((c) => c.siege.departement === dep);
      filtered = Boolean(pc || dep);
    }
    const slice = found.slice((page - 1) * perPage, page * perPage).map((c) => ({ ...c, matching_etablissements: filtered ? [c.siege] : [] }));
    return [200, { results: slice, total_results: found.length, page, per_page: perPage, total_pages: Math.ceil(found.length / perPage) }];
  }
}
