/**
 * Overview: the model in use, then per CRM and object type what the sync is doing (changes
 * waiting, incremental position, last backfill, failures), then the health of each queue.
 */
import type { BackfillState } from '../../pipeline/backfill.ts';
import type { FailedEntry } from '../../pipeline/failed-set.ts';
import type { PipelineStatus, QueueDepths } from '../../pipeline/runtime-types.ts';
import type { TierCount } from '../../domain/what-if.ts';
import type { ModelSummary } from '../../model-store/types.ts';
import type { SampleStatus } from '../../preview/sample-cache.ts';
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
  const sampleRows = data.samples.map((s) => {
    const tiers = s.tiers === undefined ? '—' : s.tiers.map((x) => `${x.tier} ${formatNumber(lang, x.count)} (${formatNumber(lang, x.share * 100, 0)} %)`).join(' · ');
    return html`<tr><th scope="row">${s.status.crm}</th><td><code>${s.status.objectType}</code></td><td class="num">${formatNumber(lang, s.status.count)}</td><td>${formatDate(lang, s.status.readAt)}</td><td>${tiers}</td><td class="num">${s.completeness === undefined ? '—' : `${formatNumber(lang, s.completeness * 100, 0)} %`}</td></tr>`;
  });
  return html`<section aria-labelledby="model-h">
  <h2 id="model-h">${t('overview.model')}</h2>
  <dl class="facts"><dt>${t('overview.model.version')}</dt><dd><code>${status.modelVersion}</code>${m === undefined ? '' : html` (${t('overview.model.revision', { revision: m.entry.revision })}) · <a href="/console/model/history">${t('model.history')}</a>`}</dd>${modelFacts}</dl>
</section>
<section aria-labelledby="dist-h">
  <h2 id="dist-h">${t('overview.distribution')}</h2>
  <p class="help">${t('overview.distribution.help')}</p>
  <div class="scroll" tabindex="0"><table>
    <thead><tr><th scope="col">${t('overview.crm')}</th><th scope="col">${t('overview.objectType')}</th><th scope="col" class="num">${t('overview.sample')}</th><th scope="col">${t('overview.sampleRead')}</th><th scope="col">${t('overview.tiers')}</th><th scope="col" class="num">${t('overview.completeness')}</th></tr></thead>
    <tbody>${sampleRows}</tbody>
  </table></div>
</section>
<section aria-labelledby="objects-h">
  <h2 id="objects-h">${t('overview.objects')}</h2>
  <div class="scroll" tabindex="0">${objects}</div>
</section>
<section aria-labelledby="queues-h">
  <h2 id="queues-h">${t('overview.queues')}</h2>
  <div class="scroll" tabindex="0">${queueTable(ctx, status.queues)}</div>
</section>`;
}
