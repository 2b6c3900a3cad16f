/**
 * Buying roles through the whole pipeline on real Redis: a backfill puts the exact role, priority,
 * priority tier and account tier on every contact and the exact coverage on every company; changes
 * cascade both ways; echoes and unchanged people cost no write; a model without roles never touches
 * contacts. Expected values come from an oracle written from PRODUCT.md §2, not from the code.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { pipelineKeys } from '../../src/pipeline/keys.ts';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { accountOf, createPeopleCrm, type PeopleCrm } from './fake-people-crm.ts';
import { cleanRedis, MODEL_YAML, silentLogger, testEnv, testScorer, until } from './helpers.ts';

const ROLES_YAML = `${MODEL_YAML}
roles:
  ignoreTitles: [assistant, assistante, stagiaire]
  list:
    - { id: decision_maker, label: Décideur, points: 1, required: true, titles: [ceo, "directeur general", dg, fondateur], hubspot: [DECISION_MAKER] }
    - { id: buyer, label: Acheteur, points: 0.8, required: true, titles: [achats, cfo, daf], hubspot: [BUDGET_HOLDER] }
    - { id: user, label: Utilisateur, points: 0.5, titles: [developpeur, developer, engineer] , hubspot: [END_USER] }
    - { id: influencer, label: Influenceur, points: 0.4, titles: [cto, dsi, "head of"] }
`;

// ---- the oracle: the rules of PRODUCT.md §2 read literally ----
const ROLE_DEFS = [
  { id: 'decision_maker', label: 'Décideur', points: 1, required: true, titles: ['ceo', 'directeur general', 'dg', 'fondateur'], hubspot: ['DECISION_MAKER'] },
  { id: 'buyer', label: 'Acheteur', points: 0.8, required: true, titles: ['achats', 'cfo', 'daf'], hubspot: ['BUDGET_HOLDER'] },
  { id: 'user', label: 'Utilisateur', points: 0.5, required: false, titles: ['developpeur', 'developer', 'engineer'], hubspot: ['END_USER'] },
  { id: 'influencer', label: 'Influenceur', points: 0.4, required: false, titles: ['cto', 'dsi', 'head of'], hubspot: [] as string[] },
];
const IGNORE = ['assistant', 'assistante', 'stagiaire'];
const norm = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, ' ')
    .replace(/ +/g, ' ')
    .trim();
const has = (title: string | null | undefined, p: string) => title != null && ` ${norm(title)} `.includes(` ${p} `);

function oracleRole(title: string | null | undefined, hsRole: string | null | undefined): (typeof ROLE_DEFS)[number] | undefined {
  const explicit = (hsRole ?? '').split(';').filter((v) => v !== '');
  const best = (c: typeof ROLE_DEFS) => c.reduce<(typeof ROLE_DEFS)[number] | undefined>((b, r) => (b === undefined || r.points > b.points ? r : b), undefined);
  const crm = ROLE_DEFS.filter((r) => r.hubspot.some((v) => explicit.includes(v)));
  if (crm.length > 0) return best(crm);
  if (IGNORE.some((p) => has(title, p))) return undefined;
  return best(ROLE_DEFS.filter((r) => r.titles.some((p) => has(title, p))));
}

/** Fit of the test model (helpers.ts MODEL_YAML) for the companies this test creates. */
function oracleFit(c: Record<string, unknown>): { score: number; tier: string } {
  const industry = c['industry'] === 'Software' ? 1 : c['industry'] === 'IT Services' ? 0.5 : 0;
  const n = Number(c['numberofemployees']);
  const size = n >= 50 && n <= 500 ? 1 : n >= 10 && n <= 49 ? 0.5 : 0;
  const country = c['country'] === 'France' ? 1 : 0;
  const score = Math.floor(50 * industry + 30 * size + 20 * country + 0.5 + 1e-9);
  return { score, tier: score >= 80 ? 'A' : score >= 50 ? 'B' : 'C' };
}

function expectedContact(crm: PeopleCrm, id: string): Record<string, unknown> {
  const c = crm.contacts.records.get(id) ?? {};
  const role = oracleRole(c['jobtitle'] as string | null, c['hs_buying_role'] as string | null);
  const account = accountOf(crm.links, id);
  const company = account === null ? undefined : crm.companies.records.get(account);
  if (company === undefined) return { icp_buying_role: role?.id ?? 'none', icp_priority_score: null, icp_priority_tier: null, icp_account_tier: null };
  const fit = oracleFit(company);
  const priority = Math.floor(fit.score * (role?.points ?? 0) + 0.5 + 1e-9);
  const tier = priority >= 60 ? 'P1' : priority >= 40 ? 'P2' : priority >= 20 ? 'P3' : 'P4';
  return { icp_buying_role: role?.id ?? 'none', icp_priority_score: String(priority), icp_priority_tier: tier, icp_account_tier: fit.tier };
}

function expectedCompany(crm: PeopleCrm, id: string): Record<string, unknown> {
  const held = new Set<string>();
  for (const contactId of crm.contacts.records.keys()) {
    if (accountOf(crm.links, contactId) !== id) continue;
    const c = crm.contacts.records.get(contactId) ?? {};
    const role = oracleRole(c['jobtitle'] as string | null, c['hs_buying_role'] as string | null);
    if (role) held.add(role.id);
  }
  const required = ROLE_DEFS.filter((r) => r.required);
  const covered = required.filter((r) => held.has(r.id));
  return {
    icp_committee_coverage: String(Math.floor((100 * covered.length) / required.length + 0.5)),
    icp_missing_roles: required
      .filter((r) => !held.has(r.id))
      .map((r) => r.label)
      .join('; ') || null,
  };
}

/** Values as the CRM reads them back: numbers as text, empty as null. */
const pick = (rec: Record<string, unknown> | undefined, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, rec?.[k] === undefined || rec[k] === null || rec[k] === '' ? null : String(rec[k])]));
const CONTACT_KEYS = ['icp_buying_role', 'icp_priority_score', 'icp_priority_tier', 'icp_account_tier'];
const COMPANY_KEYS = ['icp_committee_coverage', 'icp_missing_roles'];

const TITLES = [
  'CEO', 'Directeur Général', 'DG adjoint', 'Co-fondateur & CTO', 'DAF', 'Responsable Achats', 'CFO', 'Développeur Full-Stack',
  'Senior Software Engineer', 'Head of Data', 'DSI', 'Assistante de direction du DG', 'Stagiaire achats', 'Office manager', null, 'DGX operator',
];
const HS_ROLES = [null, null, null, 'END_USER', 'DECISION_MAKER', 'BUDGET_HOLDER;INFLUENCER', 'LEGAL_AND_COMPLIANCE'];

/** 40 companies of varied fit, 150 contacts: some without a company, some with two (primary or not). */
function seed(crm: PeopleCrm): void {
  const industries = ['Software', 'IT Services', 'Retail'];
  for (let i = 1; i <= 40; i++) {
    crm.companies.records.set(String(i), {
      name: `Company ${i}`,
      industry: industries[i % 3],
      numberofemployees: String([120, 30, 5, 800][i % 4]),
      country: i % 5 === 0 ? 'Germany' : 'France',
    });
  }
  for (let i = 1; i <= 150; i++) {
    const id = String(1000 + i);
    crm.contacts.records.set(id, { jobtitle: TITLES[i % TITLES.length], hs_buying_role: HS_ROLES[i % HS_ROLES.length] });
    if (i % 11 === 0) continue; // no company
    const a = String((i % 40) + 1);
    const b = String(((i * 7) % 40) + 1);
    if (i % 9 === 0 && a !== b) crm.links.set(id, { companyIds: [a, b], ...(i % 2 === 0 ? { primary: b } : {}) });
    else crm.links.set(id, { companyIds: [a] });
  }
}

let env: Env | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (env) await cleanRedis(env);
  runtime = undefined;
  env = undefined;
});

async function start(crm: PeopleCrm, yaml = ROLES_YAML, envOverrides: Record<string, string> = {}): Promise<Runtime> {
  env = testEnv(envOverrides);
  runtime = await createRuntime({
    env,
    logger: silentLogger,
    connectors: new Map([['hubspot', crm]]),
    scorer: testScorer(yaml),
    mappings: DEFAULT_MAPPINGS,
    workers: true,
    dispatchPollMs: 20,
  });
  return runtime;
}

async function settled(rt: Runtime): Promise<void> {
  let quiet = 0;
  await until(
    async () => {
      const st = await rt.status();
      const busy =
        st.objects.reduce((n, o) => n + o.pending, 0) +
        st.queues.reduce((n, q) => n + q.waiting + q.active + q.delayed + q.prioritized, 0) +
        st.backfills.filter((b) => b.status === 'running').length;
      quiet = busy === 0 ? quiet + 1 : 0;
      return quiet >= 4;
    },
    30_000,
    'the pipeline to settle',
  );
}

function expectAllExact(crm: PeopleCrm): void {
  for (const id of crm.contacts.records.keys()) {
    expect(pick(crm.contacts.records.get(id), CONTACT_KEYS), `contact ${id}`).toEqual(expectedContact(crm, id));
  }
  for (const id of crm.companies.records.keys()) {
    expect(pick(crm.companies.records.get(id), COMPANY_KEYS), `company ${id}`).toEqual(expectedCompany(crm, id));
  }
}

describe('buying roles through the pipeline', () => {
  it('a backfill puts exact values on every contact and company, people after their accounts, in batches', async () => {
    const crm = createPeopleCrm();
    seed(crm);
    const rt = await start(crm);
    await rt.startBackfill('hubspot');
    await settled(rt);
    expectAllExact(crm);
    // 150 contacts: 2 list pages and 2 write batches; their companies' fits come from the store.
    expect(crm.contacts.calls.list).toBe(2);
    expect(crm.contacts.calls.read).toBe(0);
    expect(crm.contacts.calls.write).toBeLessThanOrEqual(2);
    // The committee cascade reads the 40 companies touched by id: one batch, two when the debounce splits it.
    expect(crm.companies.calls.read).toBeLessThanOrEqual(2);
    // Everything settled: a second backfill writes nothing.
    const writes = crm.contacts.calls.write + crm.companies.calls.write;
    await rt.startBackfill('hubspot');
    await settled(rt);
    expect(crm.contacts.calls.write + crm.companies.calls.write).toBe(writes);
  });

  it('cascades both ways and writes only what changed', async () => {
    const crm = createPeopleCrm();
    seed(crm);
    const rt = await start(crm);
    await rt.startBackfill('hubspot');
    await settled(rt);

    // An account's fit moves: its people's priority and account tier follow.
    const company = '2';
    const people = [...crm.links].filter(([id]) => accountOf(crm.links, id) === company).map(([id]) => id);
    expect(people.length).toBeGreaterThan(0);
    crm.companies.edit(company, { industry: crm.companies.records.get(company)?.['industry'] === 'Software' ? 'Retail' : 'Software' });
    const contactWrites = crm.contacts.writes.length;
    await rt.producer.enqueue([{ crm: 'hubspot', objectType: 'companies', id: company, trigger: 'webhook' }]);
    await settled(rt);
    expectAllExact(crm);
    const written = crm.contacts.writes.slice(contactWrites).flat();
    // Only its people, in one batch.
    expect(written.length).toBeGreaterThan(0);
    for (const id of written) expect(people).toContain(id);
    expect(crm.contacts.writes.length - contactWrites).toBe(1);

    // A person's title changes: its role, and its company's committee.
    const target = people[0] ?? '';
    crm.contacts.edit(target, { jobtitle: 'Directeur Général délégué', hs_buying_role: null });
    await rt.producer.enqueue([{ crm: 'hubspot', objectType: 'contacts', id: target, trigger: 'webhook' }]);
    await settled(rt);
    expectAllExact(crm);
    expect(crm.contacts.records.get(target)?.['icp_buying_role']).toBe('decision_maker');

    // A person moves to another company; another one is deleted.
    const mover = [...crm.links.keys()].find((id) => oracleRole(crm.contacts.records.get(id)?.['jobtitle'] as string, crm.contacts.records.get(id)?.['hs_buying_role'] as string)?.required) ?? '';
    crm.links.set(mover, { companyIds: ['33'] });
    const gone = target;
    crm.contacts.records.delete(gone);
    crm.links.delete(gone);
    await rt.producer.enqueue([
      { crm: 'hubspot', objectType: 'contacts', id: mover, trigger: 'webhook' },
      { crm: 'hubspot', objectType: 'contacts', id: gone, trigger: 'webhook' },
    ]);
    await settled(rt);
    expectAllExact(crm);

    // Echoes of our own writes and unchanged people cost no write.
    const before = crm.contacts.calls.write + crm.companies.calls.write;
    await rt.producer.enqueue([...crm.contacts.records.keys()].map((id) => ({ crm: 'hubspot' as const, objectType: 'contacts', id, trigger: 'webhook' as const })));
    await rt.producer.enqueue([...crm.companies.records.keys()].map((id) => ({ crm: 'hubspot' as const, objectType: 'companies', id, trigger: 'webhook' as const })));
    await settled(rt);
    expect(crm.contacts.calls.write + crm.companies.calls.write).toBe(before);
  });

  it('explains a person: title, patterns, role and why, account, priority and the diff', async () => {
    const crm = createPeopleCrm();
    seed(crm);
    crm.contacts.records.set('9001', { jobtitle: 'CTO & lead engineer' });
    crm.links.set('9001', { companyIds: ['1'] });
    const rt = await start(crm);
    const e = await rt.explain('hubspot', undefined, '9001');
    expect(e.kind).toBe('person');
    expect(e.result).toBeUndefined();
    const fit = oracleFit(crm.companies.records.get('1') ?? {});
    expect(e.person).toMatchObject({
      title: 'CTO & lead engineer',
      matched: [
        { role: 'user', pattern: 'engineer' },
        { role: 'influencer', pattern: 'cto' },
      ],
      role: 'user',
      source: 'title',
      account: { id: '1', score: fit.score, tier: fit.tier, excluded: false },
      priority: Math.floor(fit.score * 0.5 + 0.5 + 1e-9),
    });
    expect(e.diff.map((d) => d.field)).toEqual(expect.arrayContaining(['icp_buying_role', 'icp_priority_score', 'icp_priority_tier', 'icp_account_tier']));
    expect(crm.contacts.calls.write).toBe(0);
  });

  it('fills an empty hs_buying_role with the inferred role when asked, and only then', async () => {
    const crm = createPeopleCrm();
    crm.companies.records.set('1', { industry: 'Software', numberofemployees: '120', country: 'France' });
    const people: Record<string, Record<string, unknown>> = {
      '11': { jobtitle: 'CEO' }, // inferred decision maker → DECISION_MAKER
      '12': { jobtitle: 'CTO' }, // influencer lists no HubSpot value here: nothing to fill
      '13': { jobtitle: 'CEO', hs_buying_role: 'LEGAL_AND_COMPLIANCE' }, // not empty: left alone
      '14': { jobtitle: 'Office manager' }, // no role
    };
    for (const [id, c] of Object.entries(people)) {
      crm.contacts.records.set(id, c);
      crm.links.set(id, { companyIds: ['1'] });
    }
    const rt = await start(crm, ROLES_YAML, { HUBSPOT_FILL_BUYING_ROLE: 'true' });
    await rt.startBackfill('hubspot');
    await settled(rt);
    expect(Object.fromEntries(Object.keys(people).map((id) => [id, crm.contacts.records.get(id)?.['hs_buying_role'] ?? null]))).toEqual({
      '11': 'DECISION_MAKER',
      '12': null,
      '13': 'LEGAL_AND_COMPLIANCE',
      '14': null,
    });
    expectAllExact(crm);
    const writes = crm.contacts.calls.write;
    await rt.producer.enqueue(Object.keys(people).map((id) => ({ crm: 'hubspot' as const, objectType: 'contacts', id, trigger: 'webhook' as const })));
    await settled(rt);
    expect(crm.contacts.calls.write).toBe(writes);
  });

  it('never touches hs_buying_role by default', async () => {
    const crm = createPeopleCrm();
    seed(crm);
    const before = new Map([...crm.contacts.records].map(([id, c]) => [id, c['hs_buying_role']]));
    const rt = await start(crm);
    await rt.startBackfill('hubspot');
    await settled(rt);
    for (const [id, c] of crm.contacts.records) expect(c['hs_buying_role']).toBe(before.get(id));
  });

  it('a person deleted without a webhook leaves its committee at the next incremental pass (CRMs that list deletions)', async () => {
    const crm = createPeopleCrm();
    crm.companies.records.set('1', { industry: 'Software', numberofemployees: '120', country: 'France' });
    crm.contacts.records.set('11', { jobtitle: 'CEO' });
    crm.contacts.records.set('12', { jobtitle: 'DAF' });
    for (const id of ['11', '12']) crm.links.set(id, { companyIds: ['1'] });
    const deletedAt = new Map<string, string>();
    crm.listDeletedSince = async (_t, since) => ({ ids: [...deletedAt].filter(([, at]) => at >= since).map(([id]) => id), watermark: new Date().toISOString() });
    const rt = await start(crm, ROLES_YAML, { INCREMENTAL_SYNC_INTERVAL_MS: '200' });
    await rt.startBackfill('hubspot');
    await until(() => crm.companies.records.get('1')?.['icp_committee_coverage'] === 100, 15_000, 'the committee after the backfill');
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      await until(async () => (await redis.get(pipelineKeys(env?.REDIS_PREFIX ?? '').deletedWatermark('hubspot', 'contacts'))) !== null, 10_000, 'the deletion watermark');
    } finally {
      redis.disconnect();
    }
    // The DAF is deleted in the CRM: no webhook, no listing returns it.
    crm.contacts.records.delete('12');
    crm.links.delete('12');
    deletedAt.set('12', new Date().toISOString());
    await until(() => crm.companies.records.get('1')?.['icp_committee_coverage'] === 50, 15_000, 'the committee without the deleted buyer');
    expect(crm.companies.records.get('1')?.['icp_missing_roles']).toBe('Acheteur');
  });

  it('leaves contacts alone with a model without roles', async () => {
    const crm = createPeopleCrm();
    seed(crm);
    const rt = await start(crm, MODEL_YAML);
    expect(rt.objectTypes('hubspot')).toEqual(['companies']);
    await rt.startBackfill('hubspot');
    await settled(rt);
    expect(crm.contacts.calls).toEqual({ read: 0, list: 0, write: 0, setup: 0 });
    for (const c of crm.companies.records.values()) {
      expect(c['icp_committee_coverage']).toBeUndefined();
      expect(c['icp_fit_score']).toBeDefined();
    }
  });
});
