/**
 * Overview: the model in use and its health, then per CRM and object type the tiers, completeness
 * and committee coverage of the sample, the people's priority tiers and buying roles, what the sync
 * is doing (changes waiting, incremental position, last backfill, failures), then each queue.
 */
import type { BackfillState } from '../../pipeline/backfill.ts';
import type { FailedEntry } from '../../pipeline/failed-set.ts';
import type { PipelineStatus, QueueDepths } from '../../pipeline/runtime-types.ts';
import type { TierCount } from '../../domain/what-if.ts';
import type { ModelSummary } from '../../model-store/types.ts';
import type { SampleStatus } from '../../preview/sample-cache.ts';
import type { ModelHealthSnapshot } from '../../pipeline/model-health.ts';
import type { CommitteeFacts, PeopleFacts, ValueCount } from '../overview-facts.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatNumber } from '../i18n.ts';
import type { PageContext } from '../layout.ts';

export interface OverviewData {
  status: PipelineStatus;
  /** The newest failed entries (up to a few hundred), counted per CRM and object type. */
  failed: { total: number; entries: readonly FailedEntry[] };
  /** The active model's history entry, its age and re-challenge day. */
  model?: { entry: ModelSummary; ageDays: number; rechallenge: string; due: boolean };
  /** Per account object type: the sample, and its tiers and completeness under the model in use. */
  samples: ReadonlyArray<{ status: SampleStatus; tiers?: readonly TierCount[]; completeness?: number }>;
  /** Per account type: committee coverage held by the sampled accounts. */
  committees?: readonly CommitteeFacts[];
  /** Per people type: priority tiers and buying roles held by the sampled people. */
  people?: readonly PeopleFacts[];
  /** The model-health monitor's stored checks; undefined when this instance does not monitor. */
  health?: ModelHealthSnapshot;
}

function counts(ctx: PageContext, list: readonly ValueCount[] | undefined): string {
  if (list === undefined) return ctx.t('overview.unknown');
  return list.map((x) => `${x.value} ${formatNumber(ctx.lang, x.count)} (${formatNumber(ctx.lang, x.share * 100, 0)} %)`).join(' · ');
}

function committeeCell(ctx: PageContext, c: CommitteeFacts | undefined): SafeHtml {
  const { t, lang } = ctx;
  if (c === undefined || !c.applies) return html`<td class="muted">${t('overview.committee.none')}</td>`;
  if (c.coverage === undefined) return html`<td class="muted">${t('overview.unknown')}</td>`;
  return html`<td>${t('overview.committee.value', { average: formatNumber(lang, c.coverage.average, 0), full: formatNumber(lang, c.coverage.full), counted: formatNumber(lang, c.coverage.counted) })}</td>`;
}

function peopleSection(ctx: PageContext, people: readonly PeopleFacts[]): SafeHtml | string {
  const { t, lang } = ctx;
  if (people.length === 0) return '';
  const rows = people.map(
    (p) => html`<tr><th scope="row">${p.status.crm}</th><td><code>${p.status.objectType}</code></td><td class="num">${formatNumber(lang, p.status.count)}</td><td>${formatDate(lang, p.status.readAt)}</td>
      <td>${counts(ctx, p.priorityTiers)}</td><td>${counts(ctx, p.roles)}</td></tr>`,
  );
  return html`<section aria-labelledby="people-h">
  <h2 id="people-h">${t('overview.people')}</h2>
  <p class="help">${t('overview.people.help')}</p>
  <div class="scroll" tabindex="0"><table>
    <thead><tr><th scope="col">${t('overview.crm')}</th><th scope="col">${t('overview.objectType')}</th><th scope="col" class="num">${t('overview.sample')}</th><th scope="col">${t('overview.sampleRead')}</th><th scope="col">${t('overview.priority')}</th><th scope="col">${t('overview.roles')}</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</section>`;
}

function healthFacts(ctx: PageContext, health: ModelHealthSnapshot | undefined): SafeHtml {
  const { t, lang } = ctx;
  if (health === undefined) return html`<dt>${t('overview.health')}</dt><dd class="muted">${t('overview.unknown')}</dd>`;
  const badge = health.status === 'ok' ? 'healthy' : health.status === 'warning' ? 'failing' : 'busy';
  const perCrm = health.crms.map((c) => {
    const r = c.latest;
    if (r === null) return html`<li>${c.crm}: ${t('overview.health.notChecked')}</li>`;
    const auc = r.auc === null ? t('overview.unknown') : formatNumber(lang, r.auc, 2);
    const top = r.topTier === null || r.topTier.winRate === null ? t('overview.unknown') : `${r.topTier.tier} ${formatNumber(lang, r.topTier.winRate * 100, 0)} %${r.topTier.othersWinRate === null ? '' : ` (${t('overview.health.others')} ${formatNumber(lang, r.topTier.othersWinRate * 100, 0)} %)`}`;
    return html`<li>${c.crm}: ${t('overview.health.line', { auc, top, n: formatNumber(lang, r.n), won: formatNumber(lang, r.won), at: formatDate(lang, r.checkedAt) })}${r.enoughDeals ? '' : html` <span class="muted">— ${t('overview.health.few')}</span>`}</li>`;
  });
  return html`<dt>${t('overview.health')}</dt><dd><span class="badge ${badge}">${t(`overview.health.${health.status}`)}</span>
    <ul class="plain">${perCrm}</ul>
    ${health.warnings.length === 0 ? '' : html`<ul class="warnings">${health.warnings.map((w) => html`<li>${w.crm === undefined ? '' : `${w.crm}: `}${w.message}</li>`)}</ul>`}
    <span class="muted">${t('overview.health.next', { at: health.schedule.nextRunAt === null ? t('never') : formatDate(lang, health.schedule.nextRunAt) })}</span></dd>`;
}

/** The newest backfill of one CRM object, if any. */
export function lastBackfill(backfills: readonly BackfillState[], crm: string, objectType: string): BackfillState | undefined {
  return backfills.filter((b) => b.crm === crm && b.objectType === objectType).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}

export function backfillLine(ctx: PageContext, b: BackfillState): SafeHtml {
  const { t, lang } = ctx;
  const n = (v: number) => formatNumber(lang, v);
  const state = b.status === 'done' ? t('backfill.done') : t('backfill.running');
  return html`<span class="badge ${b.status}">${state}</span> ${formatDate(lang, b.finishedAt ?? b.startedAt)} · ${t(b.trigger === 'model-change' ? 'backfill.trigger.model-change' : 'backfill.trigger.backfill')} · ${t('backfill.progress', {
    processed: n(b.processed),
    listed: n(b.total ?? b.listed),
    written: n(b.written),
    unchanged: n(b.unchanged),
    failed: n(b.failed),
  })}`;
}

export type QueueHealth = 'healthy' | 'busy' | 'failing';

export function queueHealth(q: QueueDepths): QueueHealth {
  if (q.failed > 0) return 'failing';
  return q.waiting + q.active + q.delayed + q.prioritized > 0 ? 'busy' : 'healthy';
}

export function queueTable(ctx: PageContext, queues: readonly QueueDepths[]): SafeHtml {
  const { t, lang } = ctx;
  const n = (v: number) => formatNumber(lang, v);
  return html`<table class="queues">
    <thead><tr><th scope="col">${t('queue.name')}</th><th scope="col">${t('queue.state')}</th><th scope="col" class="num">${t('queue.waiting')}</th><th scope="col" class="num">${t('queue.active')}</th><th scope="col" class="num">${t('queue.delayed')}</th><th scope="col" class="num">${t('queue.failed')}</th><th scope="col" class="num">${t('queue.completed')}</th></tr></thead>
    <tbody>${queues.map((q) => {
      const health = queueHealth(q);
      return html`<tr><th scope="row"><code>${q.queue}</code></th><td><span class="badge ${health}">${t(`queue.${health}`)}</span></td><td class="num">${n(q.waiting + q.prioritized)}</td><td class="num">${n(q.active)}</td><td class="num">${n(q.delayed)}</td><td class="num">${n(q.failed)}</td><td class="num">${n(q.completed)}</td></tr>`;
    })}</tbody>
  </table>`;
}

export function renderOverview(ctx: PageContext, data: OverviewData): SafeHtml {
  const { t, lang } = ctx;
  const { status } = data;
  const failures = (crm: string, objectType: string) =>
    data.failed.entries.filter((e) => e.crm === crm && e.objectType === objectType).reduce((sum, e) => sum + Math.max(1, e.recordIds.length), 0);
  const rows = status.objects.map((o) => {
    const b = lastBackfill(status.backfills, o.crm, o.objectType);
    const synced = status.syncedModelVersion[o.crm];
    const failed = failures(o.crm, o.objectType);
    return html`<tr>
      <th scope="row">${o.crm}</th><td><code>${o.objectType}</code></td>
      <td class="num">${formatNumber(lang, o.pending)}</td>
      <td>${formatDate(lang, o.watermark)}</td>
      <td>${synced === null || synced === undefined ? t('never') : synced}</td>
      <td>${b === undefined ? t('never') : backfillLine(ctx, b)}</td>
      <td class="num">${failed === 0 ? '0' : html`<a href="/console/operations#failed">${formatNumber(lang, failed)}</a>`}</td>
    </tr>`;
  });
  const objects =
    status.objects.length === 0
      ? html`<p>${t('overview.noCrm')}</p>`
      : html`<table>
    <thead><tr><th scope="col">${t('overview.crm')}</th><th scope="col">${t('overview.objectType')}</th><th scope="col" class="num">${t('overview.pending')}</th><th scope="col">${t('overview.watermark')}</th><th scope="col">${t('overview.synced')}</th><th scope="col">${t('overview.lastBackfill')}</th><th scope="col" class="num">${t('overview.failures')}</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
  const m = data.model;
  const modelFacts =
    m === undefined
      ? ''
      : html`<dt>${t('overview.model.published')}</dt><dd>${formatDate(lang, m.entry.publishedAt)} · ${m.entry.author} · ${t('overview.model.age', { days: m.ageDays })}</dd>
      <dt>${t('overview.model.rechallenge')}</dt><dd>${m.rechallenge}${m.due ? html` <span class="badge failing">${t('overview.model.due')}</span>` : ''}</dd>`;
  const committee = (crm: string, objectType: string) => data.committees?.find((c) => c.crm === crm && c.objectType === objectType);
  const sampleRows = data.samples.map((s) => {
    const tiers = s.tiers === undefined ? '—' : s.tiers.map((x) => `${x.tier} ${formatNumber(lang, x.count)} (${formatNumber(lang, x.share * 100, 0)} %)`).join(' · ');
    return html`<tr><th scope="row">${s.status.crm}</th><td><code>${s.status.objectType}</code></td><td class="num">${formatNumber(lang, s.status.count)}</td><td>${formatDate(lang, s.status.readAt)}</td><td>${tiers}</td><td class="num">${s.completeness === undefined ? '—' : `${formatNumber(lang, s.completeness * 100, 0)} %`}</td>${committeeCell(ctx, committee(s.status.crm, s.status.objectType))}</tr>`;
  });
  return html`<section aria-labelledby="model-h">
  <h2 id="model-h">${t('overview.model')}</h2>
  <dl class="facts"><dt>${t('overview.model.version')}</dt><dd><code>${status.modelVersion}</code>${m === undefined ? '' : html` (${t('overview.model.revision', { revision: m.entry.revision })}) · <a href="/console/model/history">${t('model.history')}</a>`}</dd>${modelFacts}${healthFacts(ctx, data.health)}</dl>
</section>
<section aria-labelledby="dist-h">
  <h2 id="dist-h">${t('overview.distribution')}</h2>
  <p class="help">${t('overview.distribution.help')}</p>
  <div class="scroll" tabindex="0"><table>
    <thead><tr><th scope="col">${t('overview.crm')}</th><th scope="col">${t('overview.objectType')}</th><th scope="col" class="num">${t('overview.sample')}</th><th scope="col">${t('overview.sampleRead')}</th><th scope="col">${t('overview.tiers')}</th><th scope="col" class="num">${t('overview.completeness')}</th><th scope="col">${t('overview.committee')}</th></tr></thead>
    <tbody>${sampleRows}</tbody>
  </table></div>
</section>
${peopleSection(ctx, data.people ?? [])}
<section aria-labelledby="objects-h">
  <h2 id="objects-h">${t('overview.objects')}</h2>
  <div class="scroll" tabindex="0">${objects}</div>
</section>
<section aria-labelledby="queues-h">
  <h2 id="queues-h">${t('overview.queues')}</h2>
  <div class="scroll" tabindex="0">${queueTable(ctx, status.queues)}</div>
</section>`;
}
