/**
 * `icp-sync demo`: the whole product on one machine with only Node and Redis. A local CRM sandbox
 * (HubSpot by default, or Salesforce) seeded with realistic companies, the service (HTTP + workers)
 * pointed at it, setup, a backfill (people too when the model has roles), then live edits in the
 * sandbox (of companies, and of people's job titles) that reach icp-sync as webhooks —
 * with what happens printed as it happens. Everything lives under a private Redis prefix, removed
 * at the end.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { EXAMPLE_MODEL_PATH, loadModel } from '../config/model-loader.ts';
import type { CrmConnector } from '../connectors/port.ts';
import { setupSpecOf } from '../connectors/setup-spec.ts';
import { compileModel } from '../domain/scorer.ts';
import type { IcpModel } from '../domain/types.ts';
import type { CrmName } from '../errors.ts';
import { startService, type RunningService } from '../http/service.ts';
import { createLogger, type Logger } from '../logging.ts';
import { text, type DemoCrm } from './demo-crm.ts';
import { DemoError, DemoStopped, throwIfStopped } from './demo-error.ts';
import { printExplanation } from './explain-view.ts';
import { startHubSpotDemo } from './hubspot-demo.ts';
import { outputName, runLiveEdits } from './live-edits.ts';
import { bestTier, peopleFields, printCommittees, runPeopleEdits } from './people-view.ts';
import { startSalesforceDemo } from './salesforce-demo.ts';
import { startRegistryStandIn, type RegistryStandIn } from '../sandbox/registry/server.ts';
import { DemoTerminal, type DemoOutput } from './terminal.ts';
import { deleteKeys } from '../redis/delete-keys.ts';
import { changesInFlight } from '../pipeline/in-flight.ts';
import { loadMappings } from '../mappings/load.ts';
import { DEFAULT_VIEWS } from '../mappings/views.ts';
import { setupDemoViews, viewLines } from './crm-views.ts';
import { demoModelHealth, modelHealthLines } from './model-health-view.ts';

export interface DemoOptions {
  /** Which CRM sandbox to run. */
  crm: CrmName;
  /** Companies (HubSpot) or Accounts (Salesforce) seeded in the sandbox. Default 300. */
  companies: number;
  /** HTTP port of the service; 0 picks a free one. Default `PORT` or 3000. */
  port: number;
  /** Interface the service listens on. Default `HOST` or 127.0.0.1. */
  host: string;
  /** Redis to use; the demo writes only under its own random prefix. */
  redisUrl: string;
  /** ICP model file. Default the example model shipped in `config/`. */
  model?: string;
  /** Leave everything running (URLs printed) until SIGINT/SIGTERM. */
  keepRunning: boolean;
  /** Service log level (logs go to stderr); the CLI defaults to `error`. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Longest wait for the backfill and for each live edit, ms. Default 120,000. */
  timeoutMs?: number;
  /**
   * The console's editor secret (`CONSOLE_EDITOR_SECRET`). Absent: the demo makes a random one for this
   * run and prints it with `--keep-running`.
   */
  consoleSecret?: string;
}

const DEMO_PREFIX = 'icp-demo-';
/** The mappings file the service reads unless `ICP_MAPPINGS_PATH` says otherwise (then it must exist). */
const DEFAULT_MAPPINGS_PATH = 'config/mappings.yaml';
/** How long the demo waits for its workers to stop before it leaves anyway, ms. */
const STOP_WAIT_MS = 10_000;

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    throw new DemoError(
      `the demo needs a Redis at ${url.replace(/\/\/[^@]*@/, '//')} and none answers: start one (redis-server, or docker run -p 6379:6379 redis:7) or set REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under the demo's prefix (SCAN, never KEYS/FLUSH). Returns how many. */
export async function removeDemoKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  await redis.connect();
  try {
    return await deleteKeys(redis, `*${prefix}*`);
  } finally {
    await redis.quit();
  }
}


async function waitFor<T>(what: string, timeoutMs: number, signal: AbortSignal, poll: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    throwIfStopped(signal);
    const value = await poll();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DemoError(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Waits until no change is pending or queued for the CRM: cascades from people to accounts and back. */
async function settle(service: RunningService, crm: DemoCrm, timeoutMs: number, signal: AbortSignal): Promise<void> {
  let quiet = 0;
  await waitFor('the cascades after the backfill', timeoutMs, signal, async () => {
    quiet = changesInFlight(await service.runtime.status(), crm.crm, { delayed: true }) === 0 ? quiet + 1 : 0;
    // Two quiet polls in a row: a batch that just ended may still queue its cascade.
    return quiet >= 2 ? true : undefined;
  });
}

/** Backfills every synced type (accounts first, people after), then lets the cascades finish. */
async function backfill(service: RunningService, crm: DemoCrm, term: DemoTerminal, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const types = service.runtime.objectTypes(crm.crm);
  const { id } = await service.runtime.startBackfill(crm.crm);
  const states = await waitFor('the backfill', timeoutMs, signal, async () => {
    const all = (await service.runtime.backfillStatus(crm.crm)).filter((b) => b.run === id);
    const processed = all.reduce((n, s) => n + s.processed, 0);
    const total = all.reduce((n, s) => n + Math.max(s.total ?? 0, s.listed), 0);
    term.progress('backfill', processed, total);
    return all.length === types.length && all.every((s) => s.status === 'done') ? all : undefined;
  });
  if (types.some((t) => t !== crm.objectType)) await settle(service, crm, timeoutMs, signal);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  for (const type of types) {
    const state = states.find((s) => s.objectType === type);
    if (!state) continue;
    term.step(
      `backfill ${type}: ${state.processed} records scored in ${seconds} s — ` +
        `${state.written} written, ${state.unchanged} unchanged, ${state.failed} failed`,
    );
  }
}

function tierDistribution(crm: DemoCrm, connector: CrmConnector, model: IcpModel, term: DemoTerminal): void {
  const tierField = outputName(connector, crm.objectType, 'tier');
  const counts = new Map<string, number>();
  const companies = crm.records();
  for (const c of companies) {
    const tier = text(c.fields[tierField]) ?? '(not scored)';
    counts.set(tier, (counts.get(tier) ?? 0) + 1);
  }
  const rows = [
    ...[...model.tiers].sort((a, b) => b.min - a.min).map((t) => ({ name: t.name, label: t.label ?? `score ≥ ${t.min}`, count: counts.get(t.name) ?? 0 })),
    { name: model.excludedTier, label: 'excluded', count: counts.get(model.excludedTier) ?? 0 },
  ];
  const unscored = counts.get('(not scored)') ?? 0;
  if (unscored > 0) rows.push({ name: '-', label: 'not scored', count: unscored });
  term.heading(`Tier distribution, as ${crm.crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} now holds it (${companies.length} records)`);
  term.histogram(rows, companies.length);
}

/**
 * Lets the console's background sample reads (started by its Overview) end before the service stops:
 * a read still running when Redis closes fails the process instead of failing the read. At most `ms`.
 */
async function sampleReadsDone(service: RunningService, crm: CrmName, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const types = service.runtime.objectTypes(crm);
  for (;;) {
    const states = await Promise.all(types.map((t) => service.runtime.preview.samples.status(crm, t).then((x) => x.state, () => 'unknown')));
    if (!states.includes('reading') || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export async function runDemo(options: DemoOptions, out: DemoOutput, logDestination: NodeJS.WritableStream = process.stderr): Promise<number> {
  const term = new DemoTerminal(out);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const logger: Logger = createLogger({ level: options.logLevel, destination: logDestination });
  const prefix = `${DEMO_PREFIX}${randomBytes(4).toString('hex')}`;
  const crmTitle = options.crm === 'hubspot' ? 'HubSpot' : 'Salesforce';
  term.line(`icp-sync demo — a local ${crmTitle} sandbox, the service against it, live changes`);
  await checkRedis(options.redisUrl);

  // The shipped example model is found next to the sources, whatever the working directory.
  const modelPath = options.model ?? fileURLToPath(new URL(`../../${EXAMPLE_MODEL_PATH}`, import.meta.url));
  const { model } = await loadModel(modelPath);
  const port = options.port === 0 ? await freePort(options.host) : options.port;
  const publicBase = `http://127.0.0.1:${port}`;
  const adminToken = randomBytes(16).toString('hex');
  const consoleSecret = options.consoleSecret ?? randomBytes(24).toString('base64url');

  // Ctrl-C (or SIGTERM) at any point stops the demo and still removes its Redis keys.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  const crm = options.crm === 'hubspot' ? await startHubSpotDemo(options.companies) : await startSalesforceDemo(options.companies);
  let service: RunningService | undefined;
  let registry: RegistryStandIn | undefined;
  let redis: Redis | undefined;
  try {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    term.step(crm.description);
    registry = await startRegistryStandIn(crm.registry);
    term.step(`French company registry stand-in (recherche-entreprises) with ${registry.companies.length} companies at ${registry.url}: enrichment adds NAF code, headcount band, category and age`);
    service = await startService({
      workers: true,
      handleSignals: false,
      logger,
      env: {
        ...crm.serviceEnv(publicBase),
        REDIS_URL: options.redisUrl,
        REDIS_PREFIX: prefix,
        HOST: options.host,
        PORT: String(port),
        PUBLIC_BASE_URL: publicBase,
        ADMIN_TOKEN: adminToken,
        CONSOLE_EDITOR_SECRET: consoleSecret,
        ICP_MODEL_PATH: modelPath,
        // Enrichment as in production, from the local registry stand-in, at the registry's own pace.
        ENRICHMENT_PROVIDERS: 'recherche-entreprises',
        RECHERCHE_ENTREPRISES_BASE_URL: registry.url,
        LOG_LEVEL: options.logLevel,
        // Short debounce so each live edit shows up within a second or two.
        SYNC_DEBOUNCE_MS: '300',
        // The demo drives the backfill itself and has webhooks: no schedule, no automatic run.
        INCREMENTAL_SYNC_INTERVAL_MS: '0',
        AUTO_BACKFILL_ON_MODEL_CHANGE: 'false',
      },
    });
    term.step(`icp-sync listening on ${service.address} — Redis ${options.redisUrl.replace(/\/\/[^@]*@/, '//')}, private prefix ${prefix}`);
    term.step(`model "${model.name ?? model.version}" version ${model.version}: ${model.criteria.length} criteria, tiers ${model.tiers.map((t) => t.name).join('/')}`);

    const connector = service.runtime.connectors.get(crm.crm);
    if (!connector) throw new DemoError(`the ${crmTitle} connector did not start`);
    const report = await connector.setup(setupSpecOf(compileModel(model)));
    if (report.problems.length > 0) throw new DemoError(`setup found problems:\n${report.problems.join('\n')}`);
    term.step(`setup: ${report.changed.length} fields created or updated, ${report.unchanged.length} already right`);
    const mappings = await loadMappings({ path: service.env.ICP_MAPPINGS_PATH, required: service.env.ICP_MAPPINGS_PATH !== DEFAULT_MAPPINGS_PATH });
    redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    const views = await setupDemoViews({
      connector,
      model,
      views: mappings.views ?? DEFAULT_VIEWS,
      redis,
      prefix,
      portal: service.env.HUBSPOT_PORTAL_ID ?? '',
    });
    term.step(`setup: ${views.views.length} ${views.kind}, ${views.report.changed.length} created or updated, ${views.report.unchanged.length} already right`);
    for (const line of viewLines(views)) term.line(line);

    throwIfStopped(stop.signal);
    await backfill(service, crm, term, timeoutMs, stop.signal);
    tierDistribution(crm, connector, model, term);
    term.heading('Model health (the re-challenge monitor)');
    for (const line of modelHealthLines(await demoModelHealth({ service, crm: crm.crm, mappings, now: new Date() }))) term.line(`  ${line}`);
    const people = model.roles ? peopleFields(connector, crm) : undefined;
    const shownTier = people ? bestTier(crm, model, people) : undefined;
    if (people && shownTier !== undefined) {
      // Without enrichment the sandboxes rarely hold a Tier A account: the best tier held is shown.
      term.heading(`Buying committees: Tier ${shownTier} ${crm.crm === 'hubspot' ? 'companies' : 'Accounts'} and their people, as ${crmTitle} now holds them`);
      printCommittees(crm, model, people, term, shownTier);
    }

    crm.connectWebhooks(publicBase);
    term.heading(`Live edits in ${crmTitle} → webhook → icp-sync → score written back`);
    const edited = await runLiveEdits({ crm, connector, model, term, timeoutMs, signal: stop.signal });
    if (people) {
      term.heading(`Live job-title changes in ${crmTitle} → webhook → icp-sync → role, priority and committee written back`);
      await runPeopleEdits({ crm, model, fields: people, term, timeoutMs, signal: stop.signal });
    }
    const first = edited[0];
    if (first) {
      term.heading(`Explain ${first.id} (a dry run: reads, enriches, scores, writes nothing)`);
      printExplanation(term, await service.runtime.explain(crm.crm, crm.objectType, first.id), crmTitle);
    }
    const summary = await crm.webhookSummary();
    term.line();
    term.line(`  ${summary.allAccepted ? '✓' : '✗'} ${summary.text}`);

    if (options.keepRunning) {
      term.heading('The demo keeps running:');
      term.line(`  service      ${publicBase}  (GET /healthz, /readyz, /metrics)`);
      term.line(`  dashboard    ${publicBase}/admin/queues  (any user name, password ${adminToken})`);
      term.line(`  admin API    curl -H 'Authorization: Bearer ${adminToken}' ${publicBase}/admin/status`);
      term.line(
        options.consoleSecret === undefined
          ? `  console      ${publicBase}/console  (sign in with any name and the editor secret ${consoleSecret}, made for this run)`
          : `  console      ${publicBase}/console  (sign in with any name and your CONSOLE_EDITOR_SECRET)`,
      );
      for (const line of crm.urls()) term.line(line);
      term.line(`  registry     ${registry.url}/search?q=…  (recherche-entreprises stand-in)`);
      term.line('Edit records through the sandbox API and watch them rescored. Ctrl-C stops the demo.');
      term.line('demo is running');
      await untilStopped(stop.signal);
      term.line(`${String(stop.signal.reason)}: stopping the demo`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof DemoStopped)) throw err;
    term.line(`${err.message}: stopping the demo`);
    // 128 + signal number, as shells report a process ended by SIGINT (2) or SIGTERM (15).
    return stop.signal.reason === 'SIGTERM' ? 143 : 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A worker finishes the job it is in before it stops. The demo's data is disposable: after a
    // while the sandbox is closed under a long job, which then fails fast and lets the workers go.
    if (service) await sampleReadsDone(service, options.crm, STOP_WAIT_MS);
    const stopping = service ? service.stop().then(() => true, () => true) : Promise.resolve(true);
    const within = (ms: number) => Promise.race([stopping, new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    let stopped = await within(STOP_WAIT_MS);
    if (!stopped) term.line(`workers still busy after ${STOP_WAIT_MS / 1000} s; closing the sandbox under them`);
    await crm.close();
    await registry?.close();
    await redis?.quit().catch(() => undefined);
    if (!stopped) stopped = await within(STOP_WAIT_MS);
    if (!stopped) term.line('workers still busy; leaving without them');
    let removed = await removeDemoKeys(options.redisUrl, prefix).catch(() => -1);
    // A worker left behind may still add a key or two before the process ends: sweep again.
    for (let round = 0; !stopped && removed >= 0 && round < 3; round += 1) {
      await new Promise((r) => setTimeout(r, 500));
      removed += await removeDemoKeys(options.redisUrl, prefix).catch(() => 0);
    }
    term.line(removed >= 0 ? `demo stopped; ${removed} Redis keys under ${prefix} removed` : `demo stopped; could not clean Redis keys under ${prefix}`);
  }
}
