/**
 * The Overview's people, committee and model-health figures through app.inject: read from the
 * sample records (values as icp-sync wrote them) and the monitor's stored checks, "not yet known"
 * without data.
 */
import { describe, expect, it } from 'vitest';
import { countValues, coverageOf } from '../../src/console/overview-facts.ts';
import type { ModelHealthSnapshot } from '../../src/pipeline/model-health.ts';
import { DEFAULT_THRESHOLDS } from '../../src/pipeline/model-health-check.ts';
import { HOSTILE } from './fake-console-runtime.ts';
import { EDITOR_SECRET, buildConsoleApp, signIn } from './helper.ts';

const rec = (fields: Record<string, unknown>) => ({ id: '1', fields });

function snapshot(): ModelHealthSnapshot {
  return {
    modelVersion: 'v1',
    publishedAt: '2026-11-01T00:00:00.000Z',
    ageDays: 34,
    rechallengeBy: '2027-05-01',
    status: 'warning',
    warnings: [{ code: 'auc_below_threshold', message: `AUC 0.55 < 0.6 ${HOSTILE}`, crm: 'hubspot' }],
    thresholds: DEFAULT_THRESHOLDS,
    schedule: { intervalDays: 30, lastRunAt: '2026-12-01T06:00:00.000Z', nextRunAt: '2026-12-31T06:00:00.000Z' },
    crms: [
      {
        crm: 'hubspot',
        latest: {
          crm: 'hubspot', modelVersion: 'v1', publishedAt: '2026-11-01T00:00:00.000Z', since: '2026-11-01', checkedAt: '2026-12-01T06:00:00.000Z', ageDays: 30, rechallengeBy: '2027-05-01',
          n: 42, won: 12, enoughDeals: true, auc: 0.5549, tiers: [], topTier: { tier: 'A', n: 10, winRate: 0.4, othersWinRate: 0.1875, lift: 1.4 }, status: 'warning', warnings: [], notes: [],
        },
        history: [],
      },
    ],
  };
}

describe('overview figures', () => {
  it('counts written values in the model order, then others; averages coverage', () => {
    expect(countValues([rec({ t: 'P2' }), rec({ t: 'P1' }), rec({ t: ' ' }), rec({ t: null }), rec({ t: 'Z' }), rec({ t: 'P2' })], 't', ['P1', 'P2'])).toEqual([
      { value: 'P1', count: 1, share: 0.25 },
      { value: 'P2', count: 2, share: 0.5 },
      { value: 'Z', count: 1, share: 0.25 },
    ]);
    expect(countValues([rec({})], 't', [])).toBeUndefined();
    expect(coverageOf([rec({ c: '100' }), rec({ c: 50 }), rec({ c: '' }), rec({ c: 'n/a' })], 'c')).toEqual({ average: 75, full: 1, counted: 2 });
    expect(coverageOf([rec({ c: null })], 'c')).toBeUndefined();
  });

  it('shows priority tiers and roles of people, committee coverage of accounts, and says when health is not known', async () => {
    const { app } = await buildConsoleApp();
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<th scope="row">hubspot<\/th><td><code>contacts<\/code><\/td><td class="num">8<\/td><td>[^<]+<\/td>\s*<td>P1 2 \(33 %\) · P2 3 \(50 %\) · X 1 \(17 %\)<\/td><td>none 1 \(17 %\) · decision_maker 2 \(33 %\) · user 3 \(50 %\)<\/td><\/tr>/);
    expect(res.body).toContain('<td>average 63 % · 2 of 4 fully covered</td>');
    expect(res.body).toContain('<dt>Health (deals closed since publication)</dt><dd class="muted">not yet known</dd>');
  });

  it('shows the last check of the model-health monitor: AUC, top-tier win rate, warnings (escaped), next check', async () => {
    const { app, runtime } = await buildConsoleApp();
    runtime.modelHealth = { snapshot: async () => snapshot(), check: async () => ({ ran: false, reports: [] }), start: () => undefined, stop: async () => undefined };
    const { cookies } = await signIn(app, EDITOR_SECRET);
    const res = await app.inject({ method: 'GET', url: '/console?lang=fr', cookies });
    expect(res.body).toContain('<span class="badge failing">alerte</span>');
    expect(res.body).toMatch(/<li>hubspot: AUC 0,55 · taux de gain du meilleur tier A 40 % \(autres 19 %\) · 42 affaires, 12 gagnées · vérifiée le [^<]+<\/li>/);
    expect(res.body).toContain('<li>hubspot: AUC 0.55 &lt; 0.6 &lt;script&gt;');
    expect(res.body).not.toContain(HOSTILE);
    expect(res.body).toContain('Prochaine vérification : 31 déc. 2026');
  });
});
