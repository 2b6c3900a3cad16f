/**
 * A nock-backed stand-in for API Recherche d'entreprises `/search` (the search of the demo's registry
 * stand-in, `src/sandbox/registry/`), answering from a directory of documented-shape companies: `q` of 9/14 digits is a direct SIREN/SIRET lookup that ignores
 * filters; other terms are matched on the company name and filtered by `code_postal` /
 * `departement`. It enforces the documented query rules (`per_page` ≤ 25, `page × per_page` ≤
 * 10,000, terms ≥ 3 characters without a filter) and counts the calls it serves.
 */
import nock from 'nock';
import { answerSearch } from '../../src/sandbox/registry/directory.ts';
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
    // The search itself is the demo's registry stand-in's: one implementation of the API's rules.
    const { status, body } = answerSearch(this.companies, p);
    return [status, body];
  }
}
