/**
 * `icp-sync demo` end to end, as a user runs it: a child process with `--keep-running`. The test
 * reads what the demo printed, then asks the sandbox (over its HTTP API, like any HubSpot client)
 * what it holds, stops the demo with SIGTERM and checks it cleaned its Redis keys.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_MODEL_PATH, loadModel } from '../../src/config/model-loader.ts';
import { DEFAULT_PRIORITY_TIERS } from '../../src/domain/roles.ts';
import type { IcpModel } from '../../src/domain/types.ts';
import { rechallengeDate } from '../../src/domain/calibration/rechallenge.ts';
import { sinceDate } from '../../src/calibration/since.ts';
import { renderViewName, topTierNames, DEFAULT_VIEWS } from '../../src/mappings/views.ts';

const bin = new URL('../../bin/icp-sync.js', import.meta.url).pathname;

interface Company {
  id: string;
  properties: Record<string, string | null>;
}

async function sandboxGet<T>(base: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function listCompanies(base: string, token: string): Promise<Company[]> {
  const out: Company[] = [];
  let after: string | undefined;
  do {
    const page = await sandboxGet<{ results: Company[]; paging?: { next?: { after: string } } }>(
      base,
      token,
      `/crm/v3/objects/companies?limit=100&properties=icp_fit_score,icp_tier,icp_model_version${after ? `&after=${after}` : ''}`,
    );
    out.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return out;
}

/** The priority tier the model gives a priority (the highest `min` reached). */
function priorityTierOf(model: IcpModel, priority: number): string | undefined {
  return [...(model.priorityTiers ?? DEFAULT_PRIORITY_TIERS)].sort((a, b) => b.min - a.min).find((t) => priority >= t.min)?.name;
}

function rolePoints(model: IcpModel, id: string): number {
  const role = model.roles?.list.find((r) => r.id === id);
  expect(role, id).toBeDefined();
  return role?.points ?? Number.NaN;
}

/** The tier distribution the demo printed after the backfill: tier name → count. */
function printedTiers(stdout: string, model: IcpModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of [...model.tiers.map((x) => x.name), model.excludedTier]) {
    out.set(t, Number(new RegExp(`^  ${t} .* (\\d+) \\(\\d+ %\\)$`, 'm').exec(stdout)?.[1] ?? Number.NaN));
  }
  return out;
}

/** The top priority tier of a model (P1 by default). */
function topPriorityTier(model: IcpModel): string | undefined {
  return [...(model.priorityTiers ?? DEFAULT_PRIORITY_TIERS)].sort((a, b) => b.min - a.min)[0]?.name;
}

/** `name=value` pairs of a response's Set-Cookie headers, for the next request's Cookie header. */
function cookiesOf(res: Response, jar: Map<string, string>): Map<string, string> {
  for (const c of res.headers.getSetCookie()) {
    const [pair = ''] = c.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Fills the console's sign-in form as a browser does (its CSRF cookie and token), without following the redirect. */
async function postSignIn(consoleUrl: string, secret: string): Promise<{ res: Response; jar: Map<string, string> }> {
  const form = await fetch(`${consoleUrl}/sign-in?lang=en`);
  expect(form.status).toBe(200);
  const jar = cookiesOf(form, new Map());
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  expect(csrf).toBeDefined();
  const res = await fetch(`${consoleUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ _csrf: csrf ?? '', name: 'Demo user', secret, next: '/console' }).toString(),
  });
  return { res, jar: cookiesOf(res, jar) };
}

/** The model-health lines the demo printed: the monitor's check since publication, then the backtest. */
function healthLines(stdout: string) {
  const monitor = /^ {2}since publication (\d{4}-\d{2}-\d{2}): 0 deal\(s\) closed — too few to judge \(30 needed\), no alarm; re-challenge by (\d{4}-\d{2}-\d{2})$/m.exec(stdout);
  const backtest =
    /^ {2}backtest on the (\d+) deals closed in the 12 months before \((\d{4}-\d{2}-\d{2}) → (\d{4}-\d{2}-\d{2})\), CRM fields only, as the monitor reads them:\n {4}AUC (\d\.\d\d), (\d+) won; win rate by tier \(deals\): (.+)\n {4}the monitor would (?:not )?warn: AUC (?:≥|under) 0\.6, .+$/m.exec(
      stdout,
    );
  expect(monitor, stdout).not.toBeNull();
  expect(backtest, stdout).not.toBeNull();
  const [, published = '', rechallengeBy = ''] = monitor ?? [];
  const [, n = '', from = '', to = '', auc = '', won = '', tiers = ''] = backtest ?? [];
  const perTier = [...tiers.matchAll(/(\S+) (?:–|(\d+) %) \((\d+)\)/g)].map(([, tier = '', rate, deals = '']) => ({ tier, rate: rate === undefined ? null : Number(rate), n: Number(deals) }));
  return { published, rechallengeBy, n: Number(n), from, to, auc: Number(auc), won: Number(won), perTier };
}

/** Checks the health lines against the model and the clock: a fresh model, a backtest that adds up. */
function checkHealth(stdout: string, model: IcpModel) {
  const h = healthLines(stdout);
  const today = new Date().toISOString().slice(0, 10);
  // Published as the demo started: never moved back to make the sandbox's deals count.
  expect(h.published).toBe(today);
  expect(h.rechallengeBy).toBe(rechallengeDate(today));
  expect(h.to).toBe(h.published);
  expect(h.from).toBe(sinceDate('12m', new Date(`${today}T12:00:00Z`)));
  expect(h.n).toBeGreaterThanOrEqual(30);
  expect(h.won).toBeGreaterThan(0);
  expect(h.won).toBeLessThan(h.n);
  expect(h.auc).toBeGreaterThanOrEqual(0);
  expect(h.auc).toBeLessThanOrEqual(1);
  expect(h.perTier.map((t) => t.tier).slice(0, model.tiers.length)).toEqual([...model.tiers].sort((a, b) => b.min - a.min).map((t) => t.name));
  expect(h.perTier.reduce((sum, t) => sum + t.n, 0)).toBe(h.n);
  return h;
}

/** The two job-title edits the demo printed: the person made managing director, and the committee completed. */
function peopleEdits(stdout: string) {
  const director = /job title of .+ \(id (\w+)\) at .+ \(id (\w+), score (\d+)\): ".*" → "Directeur Général"\n\s+role .+, priority \d+ \(\S+\) → (.+), priority (\d+) \((\S+)\), written back ([\d.]+) s/.exec(stdout);
  const committee = /job title of .+ \(id (\w+)\) at .+ \(id (\w+), score \d+\): ".*" → "(DAF|CEO)"\n\s+committee coverage (\d+) % \(missing: (.+)\) → (\d+) % \(missing: (.+)\), written back/.exec(stdout);
  expect(director, stdout).not.toBeNull();
  expect(committee, stdout).not.toBeNull();
  const [, person = '', account = '', accountScore = '', roleLabel = '', priority = '', tier = ''] = director ?? [];
  const [, member = '', team = '', title = '', before = '', missingBefore = '', after = '', missingAfter = ''] = committee ?? [];
  return {
    director: { person, account, accountScore: Number(accountScore), roleLabel, priority: Number(priority), tier },
    committee: { person: member, account: team, title, before: Number(before), missingBefore, after: Number(after), missingAfter },
  };
}

describe('icp-sync demo', () => {
  it('scores a seeded sandbox, rescores live edits from signed webhooks, and leaves no Redis keys', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [bin, 'demo', '--port', '0', '--companies', '80', '--keep-running'], {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: 'redis://127.0.0.1:6379' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('demo is running') && resolve());
        void exited.then((code) => reject(new Error(`demo exited with ${code}\n${stdout}\n${stderr}`)));
      });

      expect(stdout).toMatch(/✓ HubSpot sandbox with 80 companies, \d+ contacts and [1-9]\d* deals/);
      const contactCount = Number(/with 80 companies, (\d+) contacts/.exec(stdout)?.[1]);
      expect(contactCount).toBeGreaterThan(80);
      expect(stdout).toMatch(/✓ backfill companies: 80 records scored .* 80 written, 0 unchanged, 0 failed/);
      expect(stdout).toContain(`✓ backfill contacts: ${contactCount} records scored`);
      expect(stdout).toMatch(new RegExp(`backfill contacts: .* ${contactCount} written, 0 unchanged, 0 failed`));
      const sandbox = /sandbox\s+(http:\/\/\S+)\s+\(Authorization: Bearer (\S+)\)/.exec(stdout);
      const service = /service\s+(http:\/\/\S+)/.exec(stdout);
      const prefix = /private prefix (icp-demo-[0-9a-f]+)/.exec(stdout)?.[1];
      expect(sandbox && service && prefix).toBeTruthy();
      const [, sandboxUrl = '', token = ''] = sandbox ?? [];

      // Every company holds a score, the tier the model gives that score, and the model version.
      const { model } = await loadModel(EXAMPLE_MODEL_PATH);

      // The active lists setup made, as printed: each one is in HubSpot under that id, name and object,
      // active, with the filters printed.
      expect(stdout).toContain('✓ setup: 3 HubSpot active lists, 3 created or updated, 0 already right');
      const lists = [...stdout.matchAll(/^ {6}(\d+) +"(.+)" — (companies|contacts) where (.+)$/gm)];
      const names = topTierNames(model);
      expect(lists.map((l) => l[2])).toEqual([
        renderViewName(DEFAULT_VIEWS.topTierCompanies.name, names),
        renderViewName(DEFAULT_VIEWS.topPriorityContacts.name, names),
        renderViewName(DEFAULT_VIEWS.incompleteCommittee.name, names),
      ]);
      expect(lists.map((l) => l[4])).toEqual([`icp_tier is ${names.tier}`, `icp_priority_tier is ${names.priorityTier}`, `icp_tier is ${names.tier} and icp_committee_coverage < 100`]);
      for (const [, id = '', name, object] of lists) {
        const { list } = await sandboxGet<{ list: { listId: string; name: string; objectTypeId: string; processingType: string; filterBranch: unknown } }>(
          sandboxUrl,
          token,
          `/crm/v3/lists/${id}?includeFilters=true`,
        );
        expect([list.listId, list.name, list.objectTypeId, list.processingType]).toEqual([id, name, object === 'companies' ? '0-2' : '0-1', 'DYNAMIC']);
        expect(JSON.stringify(list.filterBranch)).toContain(object === 'companies' ? '"icp_tier"' : '"icp_priority_tier"');
      }

      // Model health: the monitor has nothing since publication (today); the backtest over the
      // sandbox's closed deals of the 12 months before counts every one of them.
      const health = checkHealth(stdout, model);
      const closed = await fetch(`${sandboxUrl}/crm/v3/objects/deals/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          filterGroups: [
            {
              filters: [
                { propertyName: 'closedate', operator: 'GTE', value: String(Date.parse(`${health.from}T00:00:00Z`)) },
                { propertyName: 'closedate', operator: 'LT', value: String(Date.parse(`${health.to}T00:00:00Z`)) },
                { propertyName: 'dealstage', operator: 'IN', values: ['closedwon', 'closedlost'] },
              ],
            },
          ],
          limit: 1,
        }),
      });
      expect(closed.status).toBe(200);
      expect(((await closed.json()) as { total: number }).total).toBe(health.n);
      const tierOf = (score: number) => [...model.tiers].sort((a, b) => b.min - a.min).find((t) => score >= t.min)?.name;
      const companies = await listCompanies(sandboxUrl, token);
      expect(companies).toHaveLength(80);
      for (const c of companies) {
        const score = Number(c.properties.icp_fit_score);
        expect(Number.isInteger(score) && score >= 0 && score <= 100, c.id).toBe(true);
        expect([tierOf(score), model.excludedTier], c.id).toContain(c.properties.icp_tier);
        expect(c.properties.icp_model_version).toBe(model.version);
      }
      // Each live edit: the printed after-score is in the CRM, with reasons that name the new value.
      const edits = [...stdout.matchAll(/\(id (\d+)\) (.+)\n\s+score \S+ \((\S+)\) → (\d+) \((\S+)\)/g)];
      expect(edits.length).toBe(3);
      // The distribution printed after the backfill, moved by the edits, is what the sandbox holds.
      for (const tier of model.tiers) {
        const printed = Number(new RegExp(`^  ${tier.name} .* (\\d+) \\(\\d+ %\\)$`, 'm').exec(stdout)?.[1]);
        const moved = edits.filter((e) => e[5] === tier.name).length - edits.filter((e) => e[3] === tier.name).length;
        expect(printed + moved, tier.name).toBe(companies.filter((c) => c.properties.icp_tier === tier.name).length);
      }
      // The seeded story reaches every tier, the top one included, thanks to the registry's NAF codes,
      // headcount bands and ages (the sandbox alone tops out in tier B).
      const tiers = printedTiers(stdout, model);
      for (const tier of model.tiers) expect(tiers.get(tier.name), `tier ${tier.name}\n${stdout}`).toBeGreaterThan(0);
      expect(stdout).toMatch(/✓ French company registry stand-in \(recherche-entreprises\) with [1-9]\d* companies/);
      for (const [, id = '', story = '', , score, tier] of edits) {
        const c = await sandboxGet<Company>(
          sandboxUrl,
          token,
          `/crm/v3/objects/companies/${id}?properties=icp_fit_score,icp_tier,icp_fit_reasons,numberofemployees,country`,
        );
        expect(c.properties.icp_fit_score).toBe(score);
        expect(c.properties.icp_tier).toBe(tier);
        expect(tierOf(Number(score))).toBe(tier);
        if (story.startsWith('grows')) {
          expect(c.properties.numberofemployees).toBe('120');
          expect(c.properties.icp_fit_reasons).toContain('Effectif: 120');
          // HubSpot holds the option value; the reasons show its label.
          expect(c.properties.icp_fit_reasons).toContain('Secteur: Computer Software');
          expect(c.properties.icp_fit_reasons).not.toContain('COMPUTER_SOFTWARE');
        } else if (story.startsWith('moves')) {
          expect(c.properties.country).toBe('France');
          expect(c.properties.icp_fit_reasons).toContain('Pays: FR');
        } else {
          expect(c.properties.numberofemployees).toBe('4');
          expect(c.properties.icp_fit_reasons).toContain('Effectif: 4');
        }
      }
      expect(stdout).toMatch(/✓ webhooks: (\d+) signed deliveries \(\d+ events\), \1 accepted/);
      // Explain on the first edited record agrees with what was written: nothing left to write.
      expect(stdout).toMatch(new RegExp(`Explain ${edits[0]?.[1] ?? '-'} \\(a dry run`));
      expect(stdout).toMatch(/Effectif +120 +crm:numberofemployees +20 +1\.00 +\+20\.0 +match/);
      // The edited company is French: the registry stand-in gave its NAF code, category and age.
      expect(stdout).toMatch(/Secteur \(NAF\) +\d\d\.\d\d[A-Z] +recherche-entreprises +15 /);
      expect(stdout).toMatch(/Ancienneté +\d+ +recherche-entreprises +5 /);
      expect(stdout).toContain('a sync now would write nothing: HubSpot already holds these values');

      // Buying committees: each company shown holds the coverage and missing roles printed (the one
      // whose committee the demo completed afterwards excepted), and each person line shows a role.
      const people = peopleEdits(stdout);
      const committees = [...stdout.matchAll(/^ {2}.+ \(id (\d+)\) score \d+ \(\S+\), committee coverage (\d+) %, missing: (.+)$/gm)];
      expect(committees.length).toBeGreaterThan(0);
      const labels = new Map((model.roles?.list ?? []).map((r) => [r.id, r.label]));
      for (const [, id = '', coverage, missing] of committees) {
        if (id === people.committee.account) continue;
        const c = await sandboxGet<Company>(sandboxUrl, token, `/crm/v3/objects/companies/${id}?properties=icp_committee_coverage,icp_missing_roles`);
        expect(c.properties.icp_committee_coverage, id).toBe(coverage);
        expect(c.properties.icp_missing_roles || 'none', id).toBe(missing);
      }
      expect(stdout).toMatch(/^ {6}.+ (Décideur|Acheteur|Utilisateur|Influenceur|none) +priority +\d+ P\d$/m);

      // The person retitled "Directeur Général": decision maker, priority = ⌊account score × points + 0.5⌋,
      // and the tier of that priority, as HubSpot holds them.
      const person = await sandboxGet<Company>(sandboxUrl, token, `/crm/v3/objects/contacts/${people.director.person}?properties=jobtitle,icp_buying_role,icp_priority_score,icp_priority_tier,icp_account_tier`);
      const account = await sandboxGet<Company>(sandboxUrl, token, `/crm/v3/objects/companies/${people.director.account}?properties=icp_fit_score,icp_tier`);
      const expected = Math.floor(Number(account.properties.icp_fit_score) * rolePoints(model, 'decision_maker') + 0.5);
      expect(person.properties.jobtitle).toBe('Directeur Général');
      expect(person.properties.icp_buying_role).toBe('decision_maker');
      expect(people.director.roleLabel).toBe(labels.get('decision_maker'));
      expect(people.director.accountScore).toBe(Number(account.properties.icp_fit_score));
      expect(person.properties.icp_priority_score).toBe(String(expected));
      expect(people.director.priority).toBe(expected);
      expect(person.properties.icp_priority_tier).toBe(priorityTierOf(model, expected));
      expect(people.director.tier).toBe(person.properties.icp_priority_tier);
      // The new managing director of a top-tier company is a top-priority contact.
      expect(people.director.tier).toBe(topPriorityTier(model));
      expect(person.properties.icp_account_tier).toBe(account.properties.icp_tier);
      // The company whose committee went from 50 % to 100 %: the retitled person holds the role that was missing.
      expect([people.committee.before, people.committee.after, people.committee.missingAfter]).toEqual([50, 100, 'none']);
      const team = await sandboxGet<Company>(sandboxUrl, token, `/crm/v3/objects/companies/${people.committee.account}?properties=icp_committee_coverage,icp_missing_roles`);
      expect(team.properties.icp_committee_coverage).toBe('100');
      expect(team.properties.icp_missing_roles ?? '').toBe('');
      const member = await sandboxGet<Company>(sandboxUrl, token, `/crm/v3/objects/contacts/${people.committee.person}?properties=jobtitle,icp_buying_role`);
      expect(member.properties.jobtitle).toBe(people.committee.title);
      const took = member.properties.icp_buying_role ?? '';
      expect(['decision_maker', 'buyer']).toContain(took);
      expect(people.committee.missingBefore).toBe(labels.get(took));

      // The service is up while the demo runs.
      expect((await fetch(`${service?.[1] ?? ''}/readyz`)).status).toBe(200);

      // The console, with an editor secret made for this run: closed without it, open with it, and
      // its Overview shows the demo sandbox's model and CRM.
      const consoleLine = /^ {2}console +(http:\/\/\S+\/console) +\(sign in with any name and the editor secret (\S+), made for this run\)$/m.exec(stdout);
      expect(consoleLine, stdout).not.toBeNull();
      const [, consoleUrl = '', secret = ''] = consoleLine ?? [];
      expect(consoleUrl).toBe(`${service?.[1] ?? ''}/console`);
      expect(secret.length).toBeGreaterThanOrEqual(24);
      const anonymous = await fetch(consoleUrl, { redirect: 'manual' });
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toMatch(/^\/console\/sign-in/);
      expect((await postSignIn(consoleUrl, `${secret}x`)).res.status).toBe(401);
      const signedIn = await postSignIn(consoleUrl, secret);
      expect(signedIn.res.status).toBe(303);
      expect(signedIn.res.headers.get('location')).toBe('/console');
      expect(signedIn.jar.has('icp_console_session')).toBe(true);
      const overview = await fetch(consoleUrl, { headers: { cookie: cookieHeader(signedIn.jar) }, redirect: 'manual' });
      expect(overview.status).toBe(200);
      const overviewHtml = await overview.text();
      expect(overviewHtml).toContain('Overview');
      expect(overviewHtml).toContain(model.version);
      expect(overviewHtml).toMatch(/hubspot|HubSpot/);

      child.kill('SIGTERM');
      expect(await exited, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toMatch(new RegExp(`demo stopped; \\d+ Redis keys under ${prefix ?? ''} removed`));
      const redis = new Redis('redis://127.0.0.1:6379');
      try {
        const [, left] = await redis.scan('0', 'MATCH', `*${prefix ?? 'none'}*`, 'COUNT', 100_000);
        expect(left).toEqual([]);
      } finally {
        await redis.quit();
      }
    } finally {
      // On a failed assertion the demo is still up: SIGTERM lets it remove its Redis keys.
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }
  });

  it('runs against the Salesforce sandbox with outbound messages, then exits 0 and cleans up', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [bin, 'demo', '--crm', 'salesforce', '--port', '0', '--companies', '60'], {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: 'redis://127.0.0.1:6379' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/✓ Salesforce sandbox org 00D\w+ with 60 Accounts, \d+ Contacts and [1-9]\d* closed Opportunities/);
    const contactCount = Number(/with 60 Accounts, (\d+) Contacts/.exec(stdout)?.[1]);
    expect(stdout).toMatch(/✓ backfill Account: 60 records scored .* 60 written, 0 unchanged, 0 failed/);
    expect(stdout).toMatch(new RegExp(`✓ backfill Contact: ${contactCount} records scored .* ${contactCount} written, 0 unchanged, 0 failed`));
    const { model } = await loadModel(EXAMPLE_MODEL_PATH);
    // The list views setup saved (developer names, labels, filters on the ICP fields), and the health lines.
    expect(stdout).toContain('✓ setup: 3 Salesforce list views (shared with all internal users), 3 created or updated, 0 already right');
    const names = topTierNames(model);
    expect([...stdout.matchAll(/^ {6}(\w+\.\w+) +"(.+)" — (\w+) where (.+)$/gm)].map((m) => [m[1], m[3], m[4]])).toEqual([
      ['Account.ICP_Top_Tier', 'Account', `ICP_Tier__c = ${names.tier}`],
      ['Contact.ICP_Top_Priority', 'Contact', `ICP_Priority_Tier__c = ${names.priorityTier}`],
      ['Account.ICP_Incomplete_Committee', 'Account', `ICP_Tier__c = ${names.tier} and ICP_Committee_Coverage__c < 100`],
    ]);
    checkHealth(stdout, model);
    // The people part: a Contact made managing director, and an Account's committee completed.
    const people = peopleEdits(stdout);
    expect(people.director.person).toMatch(/^003\w{15}$/);
    expect(people.director.roleLabel).toBe(model.roles?.list.find((r) => r.id === 'decision_maker')?.label);
    expect(people.director.priority).toBe(Math.floor(people.director.accountScore * rolePoints(model, 'decision_maker') + 0.5));
    expect(people.director.tier).toBe(priorityTierOf(model, people.director.priority));
    expect(people.director.tier).toBe(topPriorityTier(model));
    const tiers = printedTiers(stdout, model);
    for (const tier of model.tiers) expect(tiers.get(tier.name), `tier ${tier.name}\n${stdout}`).toBeGreaterThan(0);
    expect([people.committee.before, people.committee.after, people.committee.missingAfter]).toEqual([50, 100, 'none']);
    const tierOf = (score: number) => [...model.tiers].sort((a, b) => b.min - a.min).find((t) => score >= t.min)?.name;
    const edits = [...stdout.matchAll(/\(id (\w{18})\) .+\n\s+score \S+ \(\S+\) → (\d+) \((\S+)\).*\n\s+reasons: (.+)/g)];
    expect(edits.length).toBe(3);
    for (const [, , score, tier, reasons] of edits) {
      expect(tierOf(Number(score))).toBe(tier);
      expect(reasons).toMatch(/Effectif|Pays/);
    }
    expect(stdout).toContain('a sync now would write nothing: Salesforce already holds these values');
    expect(stdout).toMatch(/✓ outbound messages: \d+ deliveries, [1-9]\d* notifications acknowledged, 0 refused/);
    const prefix = /private prefix (icp-demo-[0-9a-f]+)/.exec(stdout)?.[1] ?? 'none';
    expect(stdout).toContain(`Redis keys under ${prefix} removed`);
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const [, left] = await redis.scan('0', 'MATCH', `*${prefix}*`, 'COUNT', 100_000);
      expect(left).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it('refuses a CRM it has no sandbox for, with exit code 2', async () => {
    const child = spawn(process.execPath, [bin, 'demo', '--crm', 'pipedrive'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--crm pipedrive');
  });
});
