/**
 * End-to-end harness: the HubSpot sandbox, a model file, an environment pointing the real connector
 * at the sandbox, and an independent oracle of the values every company must end up with.
 */
import { randomBytes } from 'node:crypto';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { compileModel } from '../../src/domain/scorer.ts';
import { reasonsText } from '../../src/domain/reasons-text.ts';
import { INDUSTRY_LABELS } from '../../src/sandbox/hubspot/seed.ts';
import type { HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';

export const E2E_MODEL = `
version: "e2e-1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C, min: 0 }
criteria:
  - id: industry
    label: Secteur
    attribute: industry
    weight: 50
    tag: logiciel
    match: { kind: category, values: { COMPUTER_SOFTWARE: 1, INFORMATION_TECHNOLOGY_AND_SERVICES: 0.6, INTERNET: 0.5 } }
  - id: size
    label: Effectif
    attribute: employees
    weight: 30
    tag: taille-cible
    match: { kind: range, bands: [{ min: 50, max: 1000, points: 1 }, { min: 10, max: 49, points: 0.5 }] }
  - id: country
    label: Pays
    attribute: country
    weight: 20
    tag: france
    match: { kind: category, values: { FR: 1, BE: 0.5, CH: 0.5 } }
`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function writeModel(yaml = E2E_MODEL): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'icp-e2e-'));
  const path = join(dir, 'icp.yaml');
  await writeFile(path, yaml);
  return path;
}

export const CLIENT_SECRET = 'e2e-client-secret-0123456789';

/** Environment (as strings) for a service or worker process talking to the sandbox. */
export function e2eEnv(sandbox: HubSpotSandbox, modelPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `icpe2e-${randomBytes(5).toString('hex')}`,
    HOST: '127.0.0.1',
    ICP_MODEL_PATH: modelPath,
    HUBSPOT_ACCESS_TOKEN: sandbox.accessToken,
    HUBSPOT_BASE_URL: sandbox.url,
    HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
    HUBSPOT_APP_ID: String(sandbox.appId),
    HUBSPOT_PORTAL_ID: String(sandbox.portalId),
    HUBSPOT_RATE_LIMIT_PER_10S: '100000',
    SYNC_DEBOUNCE_MS: '100',
    INCREMENTAL_SYNC_INTERVAL_MS: '0',
    AUTO_BACKFILL_ON_MODEL_CHANGE: 'true',
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

const scorer = (() => {
  const parsed = parseModelText(E2E_MODEL, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileModel(parsed.model);
})();

const COUNTRY: Record<string, string> = {
  France: 'FR', Belgium: 'BE', Switzerland: 'CH', Germany: 'DE', Spain: 'ES', Italy: 'IT',
  Netherlands: 'NL', 'United Kingdom': 'GB', 'United States': 'US',
};

export interface Expected {
  score: number;
  tier: string;
  tags: string;
  reasons: string;
}

/**
 * The values a company's raw HubSpot properties must produce, computed here by hand from the model
 * (points × weights), independently of the pipeline's mapping code. Reasons come from the scoring
 * core's own text function.
 */
export function expectedFor(props: Readonly<Record<string, string | null | undefined>>): Expected {
  const industryPoints: Record<string, number> = { COMPUTER_SOFTWARE: 1, INFORMATION_TECHNOLOGY_AND_SERVICES: 0.6, INTERNET: 0.5 };
  const ind = industryPoints[props['industry'] ?? ''] ?? 0;
  const emp = props['numberofemployees'];
  const n = emp === null || emp === undefined || emp.trim() === '' ? undefined : Number(emp);
  const size = n === undefined || Number.isNaN(n) ? 0 : n >= 50 && n <= 1000 ? 1 : n >= 10 && n <= 49 ? 0.5 : 0;
  const country = COUNTRY[props['country'] ?? ''];
  const ctry = country === 'FR' ? 1 : country === 'BE' || country === 'CH' ? 0.5 : 0;
  const score = Math.floor((100 * (50 * ind + 30 * size + 20 * ctry)) / 100 + 0.5 + 1e-9);
  const tier = score >= 70 ? 'A' : score >= 40 ? 'B' : 'C';
  const tags = [ind >= 1 ? 'logiciel' : '', size >= 1 ? 'taille-cible' : '', ctry >= 1 ? 'france' : ''].filter(Boolean).join(';');
  const attrs: Record<string, unknown> = {};
  if (props['industry']) attrs['industry'] = props['industry'];
  if (n !== undefined && !Number.isNaN(n)) attrs['employees'] = n;
  if (country) attrs['country'] = country;
  // The reasons show the label of HubSpot's industry option (COMPUTER_SOFTWARE → Computer Software).
  const labels: Readonly<Record<string, string>> = INDUSTRY_LABELS;
  const valueLabel = (criterion: string, value: string) => (criterion === 'industry' ? labels[value] : undefined);
  return { score, tier, tags, reasons: reasonsText(scorer.score(attrs), { maxLength: 1000, valueLabel }) };
}

/** Companies whose written values differ from the oracle (ids with what is wrong). */
export function wrongCompanies(sandbox: HubSpotSandbox): string[] {
  const wrong: string[] = [];
  for (const c of sandbox.store.list()) {
    const p = c.properties;
    const e = expectedFor(p);
    const problems: string[] = [];
    if (p['icp_fit_score'] !== String(e.score)) problems.push(`score ${p['icp_fit_score']} ≠ ${e.score}`);
    if (p['icp_tier'] !== e.tier) problems.push(`tier ${p['icp_tier']} ≠ ${e.tier}`);
    if ((p['icp_tags'] ?? '') !== e.tags) problems.push(`tags ${p['icp_tags']} ≠ ${e.tags}`);
    if (p['icp_fit_reasons'] !== e.reasons) problems.push('reasons');
    if (p['icp_model_version'] !== 'e2e-1') problems.push('version');
    if (problems.length > 0) wrong.push(`${c.id}: ${problems.join(', ')}`);
  }
  return wrong;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
