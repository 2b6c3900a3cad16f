/**
 * Operations: queues, backfills (start one, follow them live through server-sent events), the
 * failed set with its reasons and retry, and links to the queue dashboard and the metrics.
 */
import type { CrmName } from '../../connectors/port.ts';
import type { BackfillState } from '../../pipeline/backfill.ts';
import type { FailedPage } from '../../pipeline/failed-set.ts';
import type { QueueDepths } from '../../pipeline/runtime-types.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';
import { backfillLine, queueTable } from './overview.ts';

export interface OperationsData {
  queues: readonly QueueDepths[];
  backfills: readonly BackfillState[];
  failed: FailedPage;
  targets: ReadonlyArray<{ crm: CrmName; objectTypes: readonly string[] }>;
  /** The queue dashboard is mounted (ADMIN_TOKEN set). */
  dashboard: boolean;
}

/** One backfill as a live row: the script finds it by `data-backfill` and updates it from the stream. */
export function backfillItem(ctx: PageContext, b: BackfillState): SafeHtml {
  const of = b.total ?? (b.listingDone ? b.listed : Math.max(b.listed, 1));
  const pct = of === 0 ? 100 : Math.min(100, Math.round((100 * b.processed) / of));
  return html`<li data-backfill="${b.crm}:${b.objectType}" data-run="${b.run}">
    <strong>${b.crm} <code>${b.objectType}</code></strong> <code class="run">${b.run}</code>
    <progress max="100" value="${b.status === 'done' ? 100 : pct}" aria-label="${b.crm} ${b.objectType}">${pct}%</progress>
    <span class="line">${backfillLine(ctx, b)}</span>
  </li>`;
}

function backfillForm(ctx: PageContext, data: OperationsData): SafeHtml | string {
  const { t } = ctx;
  if (ctx.session?.role !== 'editor' || data.targets.length === 0) return '';
  return html`<form method="post" action="/console/operations/backfill" class="inline">
    ${csrfField(ctx)}
    <label for="bf-target">${t('ops.backfill')}</label>
    <select id="bf-target" name="target">${data.targets.map(
      (target) => html`${target.objectTypes.map((type) => html`<option value="${target.crm}:${type}">${target.crm} — ${type}</option>`)}
      <option value="${target.crm}:">${target.crm} — ${t('ops.backfill.all')}</option>`,
    )}</select>
    <button type="submit">${t('ops.backfill.start')}</button>
    <p class="help">${t('ops.backfill.help')}</p>
  </form>`;
}

function failedTable(ctx: PageContext, failed: FailedPage): SafeHtml {
  const { t, lang } = ctx;
  if (failed.entries.length === 0) return html`<p>${t('ops.failed.none')}</p>`;
  const editor = ctx.session?.role === 'editor';
  const rows = failed.entries.map((e, i) => {
    const what = `${e.crm ?? ''} ${e.objectType ?? ''} ${e.recordIds.slice(0, 5).join(', ')}${e.recordIds.length > 5 ? ` (+${e.recordIds.length - 5})` : ''}`.trim();
    return html`<tr>
      ${editor ? html`<td><input type="checkbox" name="ids" value="${e.id}" id="f${i}" aria-label="${t('ops.retry')} ${what}"></td>` : ''}
      <td>${formatDate(lang, e.failedAt)}</td><td>${what}</td><td><code>${e.code}</code> ${e.message}</td><td class="num">${e.attempts}</td>
    </tr>`;
  });
  const table = html`<table>
    <thead><tr>${editor ? html`<th scope="col"><span class="visually-hidden">${t('ops.retry')}</span></th>` : ''}<th scope="col">${t('ops.failed.when')}</th><th scope="col">${t('ops.failed.what')}</th><th scope="col">${t('ops.failed.reason')}</th><th scope="col" class="num">${t('ops.failed.attempts')}</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <p class="help">${t('ops.showing', { shown: failed.entries.length, total: failed.total })}</p>`;
  if (!editor) return html`<div class="scroll" tabindex="0">${table}</div>`;
  return html`<form method="post" action="/console/operations/retry">
    ${csrfField(ctx)}
    <div class="scroll" tabindex="0">${table}</div>
    <button type="submit" name="scope" value="selected">${t('ops.retry')}</button>
    <button type="submit" name="scope" value="all">${t('ops.retry.all')}</button>
  </form>`;
}

export function renderOperations(ctx: PageContext, data: OperationsData): SafeHtml {
  const { t } = ctx;
  const backfills = [...data.backfills].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return html`<section aria-labelledby="bf-h">
  <h2 id="bf-h">${t('ops.backfills')}</h2>
  ${backfillForm(ctx, data)}
  <ul class="backfills" id="backfills" data-events="/console/operations/events" aria-live="polite">
    ${backfills.length === 0 ? html`<li class="empty">${t('ops.noBackfill')}</li>` : backfills.map((b) => backfillItem(ctx, b))}
  </ul>
</section>
<section aria-labelledby="q-h">
  <h2 id="q-h">${t('ops.queues')}</h2>
  <div class="scroll" tabindex="0">${queueTable(ctx, data.queues)}</div>
</section>
<section aria-labelledby="failed">
  <h2 id="failed">${t('ops.failed')}</h2>
  ${failedTable(ctx, data.failed)}
</section>
<section aria-labelledby="links-h">
  <h2 id="links-h">${t('ops.links')}</h2>
  <ul>
    ${data.dashboard ? html`<li><a href="/admin/queues">${t('ops.dashboard')}</a></li>` : ''}
    <li><a href="/metrics">${t('ops.metrics')}</a></li>
  </ul>
</section>`;
}
