/**
 * The model-health monitor on deals built for each case, with a real Redis under an isolated prefix
 * (cleaned up): each warning raised on the data that should raise it and not on healthy data, too few
 * deals giving no verdict, one run across processes, a bounded history, the schedule, the log lines,
 * `/admin/model` through app.inject, and the metric names on `/metrics`.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClosedDeal } from '../../src/domain/calibration/deal.ts';
import { createLogger } from '../../src/logging.ts';
import { registry, setModelHealthSource } from '../../src/observability/metrics.ts';
import { createModelHealthMonitor, HISTORY_MAX, modelHealthKeys, readModelHealth, type ClosedDealSource, type ModelHealthMonitor } from '../../src/pipeline/model-health.ts';
import { healthReading } from '../../src/pipeline/model-health-wiring.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { scorer as makeScorer } from '../domain/model-fixture.ts';
import { ADMIN_TOKEN, buildTestApp } from '../http/helper.ts';

const scorer = makeScorer({
  version: '2026.06',
  tiers: [
    { name: 'A', min: 75 },
    { name: 'B', min: 50 },
    { name: 'C', min: 25 },
    { name: 'D', min: 0 },
  ],
  criteria: [{ id: 'fit', attribute: 'v', weight: 1, match: { kind: 'category', values: { a: 1, b: 0.6, c: 0.3 }, default: 0 } }],
});
const thresholds = { minAuc: 0.6, minDeals: 30, rechallengeMonths: 6 };
const NOW = new Date('2026-10-01T09:00:00Z');
const PUBLISHED = '2026-06-15T10:00:00.000Z';

/** Deals per value of `v`: [won, total]. */
function deals(counts: Record<string, [number, number]>): ClosedDeal[] {
  const out: ClosedDeal[] = [];
  for (const [v, [won, n]] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) out.push({ account: `${v}-${i}`, attributes: { v }, won: i < won, closeDate: '2026-08-01' });
  }
  return out;
}

const HEALTHY = { a: [16, 20], b: [10, 20], c: [5, 20], d: [2, 20] } as Record<string, [number, number]>;
const NO_SIGNAL = { a: [8, 20], b: [9, 20], c: [9, 20], d: [9, 20] } as Record<string, [number, number]>;
/** AUC 0.68 (fine), but tier A wins 40 % against 48 % elsewhere. */
const TOP_TIER_LOSING = { a: [8, 20], b: [18, 20], c: [10, 20], d: [1, 20] } as Record<string, [number, number]>;

let redis: Redis;
const prefixes: string[] = [];
const monitors: ModelHealthMonitor[] = [];

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  for (const m of monitors.splice(0)) await m.stop();
  setModelHealthSource(undefined);
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, `{${p}}:*`);
  await redis.quit();
});

interface Built {
  monitor: ModelHealthMonitor;
  prefix: string;
  logs: Array<Record<string, unknown>>;
  since: string[];
}

function build(data: ClosedDeal[] | Record<string, ClosedDeal[]>, opts: { publishedAt?: string; now?: Date; prefix?: string; intervalDays?: number; tickMs?: number } = {}): Built {
  const prefix = opts.prefix ?? `test-health-${randomBytes(5).toString('hex')}`;
  if (!prefixes.includes(prefix)) prefixes.push(prefix);
  const logs: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const since: string[] = [];
  const byCrm = Array.isArray(data) ? { hubspot: data } : data;
  const sources = new Map<string, ClosedDealSource>(
    Object.entries(byCrm).map(([crm, list]) => [
      crm,
      async (s) => {
        since.push(s);
        return list;
      },
    ]),
  );
  const monitor = createModelHealthMonitor({
    redis,
    prefix,
    logger: createLogger({ level: 'info', destination: stream }),
    current: () => ({ scorer, ...(opts.publishedAt === undefined && opts.prefix !== undefined ? {} : { publishedAt: opts.publishedAt ?? PUBLISHED }) }),
    sources,
    thresholds,
    intervalDays: opts.intervalDays ?? 30,
    ...(opts.tickMs === undefined ? {} : { tickMs: opts.tickMs }),
    now: () => opts.now ?? NOW,
  });
  monitors.push(monitor);
  return { monitor, prefix, logs, since };
}

describe('the verdict on deals built for each case', () => {
  it('healthy: the top tier wins most, AUC above the threshold, no warning', async () => {
    const { monitor, logs, since } = build(deals(HEALTHY));
    const { ran, reports } = await monitor.check();
    expect(ran).toBe(true);
    expect(since).toEqual(['2026-06-15']);
    const r = reports[0]!;
    expect(r.status).toBe('ok');
    expect(r.warnings).toEqual([]);
    expect(r.n).toBe(80);
    expect(r.auc).toBeCloseTo(0.803, 3);
    expect(r.tiers.map((t) => [t.tier, t.winRate])).toEqual([
      ['A', 0.8],
      ['B', 0.5],
      ['C', 0.25],
      ['D', 0.1],
    ]);
    expect(r.topTier).toMatchObject({ tier: 'A', n: 20, winRate: 0.8, othersWinRate: 17 / 60 });
    expect(r.topTier?.lift).toBeCloseTo(0.8 / (33 / 80), 9);
    expect(r.rechallengeBy).toBe('2026-12-15');
    expect(r.ageDays).toBe(107);
    expect(logs.filter((l) => l['level'] === 40)).toEqual([]);
  });

  it('no signal: AUC below the threshold and the top tier no better, both said and logged as warnings', async () => {
    const { monitor, logs } = build(deals(NO_SIGNAL));
    const r = (await monitor.check()).reports[0]!;
    expect(r.status).toBe('warning');
    expect(r.warnings.map((w) => w.code)).toEqual(['auc_below_threshold', 'top_tier_not_winning']);
    expect(r.warnings[0]?.message).toMatch(/AUC 0\.48 on 80 deals closed since 2026-06-15 is below 0\.6/);
    const warned = logs.filter((l) => l['level'] === 40).map((l) => l['warning']);
    expect(warned).toEqual(['auc_below_threshold', 'top_tier_not_winning']);
  });

  it('a top tier that stopped winning is said even when the AUC is fine', async () => {
    const r = (await build(deals(TOP_TIER_LOSING)).monitor.check()).reports[0]!;
    expect(r.auc).toBeGreaterThan(0.6);
    expect(r.warnings.map((w) => w.code)).toEqual(['top_tier_not_winning']);
    expect(r.warnings[0]?.message).toBe('tier A wins 40 % of its 20 deals, no more than the other tiers (48 % of 60)');
  });

  it('a model past its re-challenge date is said, on healthy deals too; one a day younger is not', async () => {
    const old = (await build(deals(HEALTHY), { publishedAt: '2026-04-01T00:00:00Z' }).monitor.check()).reports[0]!;
    expect(old.warnings.map((w) => w.code)).toEqual(['rechallenge_due']);
    expect(old.rechallengeBy).toBe('2026-10-01');
    const young = (await build(deals(HEALTHY), { publishedAt: '2026-04-02T00:00:00Z' }).monitor.check()).reports[0]!;
    expect(young.warnings).toEqual([]);
    expect(young.rechallengeBy).toBe('2026-10-02');
  });

  it('too few deals: says so and raises no alarm, even on deals that look bad', async () => {
    const few = deals({ a: [0, 6], d: [6, 6] });
    const { monitor, logs } = build(few);
    const r = (await monitor.check()).reports[0]!;
    expect(r.status).toBe('insufficient_data');
    expect(r.enoughDeals).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(r.notes[0]).toMatch(/only 12 closed deal\(s\) since 2026-06-15 \(6 won, 6 lost\); at least 30/);
    expect(logs.filter((l) => l['level'] === 40)).toEqual([]);
    // Enough deals but all of one outcome: still no verdict.
    const allWon = (await build(deals({ a: [20, 20], d: [20, 20] })).monitor.check()).reports[0]!;
    expect(allWon.status).toBe('insufficient_data');
    expect(allWon.warnings).toEqual([]);
  });
});

describe('across processes', () => {
  it('runs once when two processes check at the same time, and keeps a bounded history', async () => {
    const slow: ClosedDealSource = async () => {
      await new Promise((r) => setTimeout(r, 150));
      return deals(HEALTHY);
    };
    const first = build(deals(HEALTHY));
    const prefix = first.prefix;
    const second = createModelHealthMonitor({
      redis,
      prefix,
      logger: createLogger({ level: 'silent' }),
      current: () => ({ scorer, publishedAt: PUBLISHED }),
      sources: new Map([['hubspot', slow]]),
      thresholds,
      intervalDays: 30,
      now: () => NOW,
    });
    const [a, b] = await Promise.all([second.check(), first.monitor.check()]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect(await redis.llen(modelHealthKeys(prefix).history('hubspot'))).toBe(1);
    for (let i = 0; i < HISTORY_MAX + 3; i++) await first.monitor.check();
    expect(await redis.llen(modelHealthKeys(prefix).history('hubspot'))).toBe(HISTORY_MAX);
    expect(await redis.exists(modelHealthKeys(prefix).lock)).toBe(0);
  });

  it('the schedule checks once per period whatever the number of processes', async () => {
    const one = build(deals(HEALTHY), { tickMs: 20 });
    const two = build(deals(HEALTHY), { tickMs: 20, prefix: one.prefix, publishedAt: PUBLISHED });
    one.monitor.start();
    two.monitor.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(one.since.length + two.since.length).toBe(1);
    const snap = await one.monitor.snapshot();
    expect(snap.schedule.lastRunAt).toBe(NOW.toISOString());
    expect(snap.schedule.nextRunAt).toBe('2026-10-31T09:00:00.000Z');
  });

  it('without a published date in the model store, the first time the version was seen counts', async () => {
    const prefix = `test-health-${randomBytes(5).toString('hex')}`;
    prefixes.push(prefix);
    await redis.set(modelHealthKeys(prefix).firstSeen('2026.06'), '2026-07-01T00:00:00.000Z');
    const { monitor, since } = build(deals(HEALTHY), { prefix });
    await monitor.check();
    expect(since).toEqual(['2026-07-01']);
    const fresh = build(deals(HEALTHY), { prefix: `test-health-${randomBytes(5).toString('hex')}` });
    const snap = await fresh.monitor.snapshot();
    expect(snap.publishedAt).toBe(NOW.toISOString());
    expect(snap.status).toBe('not_checked');
  });
});

describe('/admin/model and /metrics', () => {
  it('answers the stored health, runs a check on ?check=true, and refuses unknown parameters', async () => {
    const { monitor } = build({ hubspot: deals(NO_SIGNAL), salesforce: deals({ a: [1, 3] }) });
    const { app } = await buildTestApp({
      runtime: {
        modelHealth: async ({ check }) => {
          const ran = check ? (await monitor.check()).ran : undefined;
          return { ...(await monitor.snapshot()), ...(ran === undefined ? {} : { check: { ran } }) };
        },
      },
    });
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const before = await app.inject({ method: 'GET', url: '/admin/model', headers });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ modelVersion: '2026.06', status: 'not_checked', rechallengeBy: '2026-12-15', warnings: [] });
    const after = await app.inject({ method: 'GET', url: '/admin/model?check=true', headers });
    const body = after.json() as { status: string; check: { ran: boolean }; warnings: Array<{ code: string; crm?: string }>; crms: Array<{ crm: string; latest: { status: string; n: number } }> };
    expect(body.check.ran).toBe(true);
    expect(body.status).toBe('warning');
    expect(body.warnings.map((w) => `${w.crm}:${w.code}`)).toEqual(['hubspot:auc_below_threshold', 'hubspot:top_tier_not_winning']);
    expect(body.crms.map((c) => [c.crm, c.latest.status, c.latest.n])).toEqual([
      ['hubspot', 'warning', 80],
      ['salesforce', 'insufficient_data', 3],
    ]);
    expect((await app.inject({ method: 'GET', url: '/admin/model?refresh=1', headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/admin/model' })).statusCode).toBe(401);
  });

  it('says 503 when the instance has no monitor', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/admin/model', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.statusCode).toBe(503);
  });

  it('exposes icp_model_auc, icp_model_age_days and the win rate per tier', async () => {
    const { monitor, prefix } = build(deals(HEALTHY));
    await monitor.check();
    setModelHealthSource(async () => healthReading(await monitor.snapshot()));
    const text = await registry.metrics();
    expect(text).toMatch(/^icp_model_auc\{crm="hubspot"\} 0\.803/m);
    expect(text).toMatch(/^icp_model_age_days 107$/m);
    expect(text).toMatch(/^icp_model_win_rate\{crm="hubspot",tier="A"\} 0\.8$/m);
    expect(text).toMatch(/^icp_model_win_rate\{crm="hubspot",tier="D"\} 0\.1$/m);
    expect(text).toMatch(/^icp_model_health_deals\{crm="hubspot"\} 80$/m);
    // The console reads the same without a monitor.
    const snap = await readModelHealth(redis, prefix, { version: '2026.06', publishedAt: PUBLISHED, crms: ['hubspot'], thresholds, intervalDays: 30, now: NOW });
    expect(snap.crms[0]?.latest?.auc).toBeCloseTo(0.803, 3);
  });
});
