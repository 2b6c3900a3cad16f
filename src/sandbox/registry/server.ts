/**
 * The registry stand-in over HTTP on 127.0.0.1 (a free port): `GET /search` answered from a directory
 * (see `directory.ts`), everything else 404. The demo points `RECHERCHE_ENTREPRISES_BASE_URL` at it, so
 * enrichment runs exactly as against the real registry, at the registry's own pace.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerSearch, registryEntry, type RegistryCompanyEntry, type RegistryFacts } from './directory.ts';

export interface RegistryStandIn {
  url: string;
  /** The companies it knows. */
  companies: readonly RegistryCompanyEntry[];
  /** `/search` calls answered so far. */
  calls(): number;
  close(): Promise<void>;
}

export async function startRegistryStandIn(facts: readonly RegistryFacts[]): Promise<RegistryStandIn> {
  const companies = facts.map((f, i) => registryEntry(f, i + 1));
  let calls = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry.local');
    const answer =
      req.method === 'GET' && url.pathname === '/search'
        ? answerSearch(companies, url.searchParams)
        : { status: 404, body: { erreur: 'Not found' } };
    if (url.pathname === '/search') calls++;
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    companies,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
