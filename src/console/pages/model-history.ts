/**
 * The model history (every publish, file and rollback, newest first) with diffs and rollback,
 * one diff in words and lines, and the export of the history as YAML files for Git.
 */
import type { ExportedModel, ModelDiff, ModelSummary } from '../../model-store/types.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate } from '../i18n.ts';
import { csrfField, type PageContext } from '../layout.ts';

export function renderHistory(ctx: PageContext, history: readonly ModelSummary[]): SafeHtml {
  const { t, lang } = ctx;
  const editor = ctx.session?.role === 'editor';
  const head = history[0]?.revision;
  return html`<p><a href="/console/model">${t('model.edit')}</a> · <a href="/console/model/export">${t('model.export')}</a></p>
<div class="scroll" tabindex="0"><table class="history">
  <thead><tr><th scope="col">#</th><th scope="col">${t('model.version')}</th><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('model.source')}</th><th scope="col">${t('model.note')}</th><th scope="col">${t('audit.action')}</th></tr></thead>
  <tbody>${history.map((h, i) => {
    const previous = history[i + 1];
    const source = h.source === 'rollback' ? t('model.source.rollback', { revision: h.rollbackOf ?? '?' }) : h.source === 'file' ? `${t('model.source.file')} ${h.path ?? ''}` : t('model.source.console');
    return html`<tr${h.revision === head ? html` class="active"` : ''}>
      <td class="num">${h.revision}</td><td><code>${h.version}</code>${h.revision === head ? html` <span class="badge done">${t('model.inUse')}</span>` : ''}</td>
      <td>${formatDate(lang, h.publishedAt)}</td><td>${h.author}</td><td>${source}</td><td>${h.note}</td>
      <td class="actions">${previous === undefined ? '' : html`<a href="/console/model/diff?from=${previous.revision}&amp;to=${h.revision}">${t('model.diff')}</a>`}
        ${editor && h.revision !== head
          ? html`<form method="post" action="/console/model/rollback" class="inline">${csrfField(ctx)}<input type="hidden" name="revision" value="${h.revision}"><button type="submit" class="secondary">${t('model.rollback', { revision: h.revision })}</button></form>`
          : ''}</td></tr>`;
  })}</tbody>
</table></div>`;
}

export function renderDiff(ctx: PageContext, diff: ModelDiff): SafeHtml {
  const { t } = ctx;
  return html`<p><a href="/console/model/history">${t('model.history')}</a></p>
<section aria-labelledby="changes-h">
  <h2 id="changes-h">${t('model.diffTitle', { from: `${diff.from.version} (#${diff.from.revision})`, to: `${diff.to.version} (#${diff.to.revision})` })}</h2>
  ${diff.changes.length === 0 ? html`<p>${t('preview.noChange')}</p>` : html`<ul class="changes">${diff.changes.map((c) => html`<li>${c.text}</li>`)}</ul>`}
</section>
<section aria-labelledby="lines-h">
  <h2 id="lines-h">${t('model.text')}</h2>
  <pre class="diff">${diff.lines.map((l) => html`<span class="${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}">${l.op} ${l.text}\n</span>`)}</pre>
</section>`;
}

export function renderExport(ctx: PageContext, files: readonly ExportedModel[]): SafeHtml {
  const { t } = ctx;
  return html`<p>${t('model.exportHelp')}</p>
<ul>${files.map((f) => html`<li><a href="/console/model/export/${f.fileName}" download>${f.fileName}</a></li>`)}</ul>`;
}
