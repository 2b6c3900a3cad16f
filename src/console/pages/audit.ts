/** The audit log page: who did what and when, newest first. */
import type { AuditEntry } from '../audit.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate } from '../i18n.ts';
import type { PageContext } from '../layout.ts';

export function renderAudit(ctx: PageContext, entries: readonly AuditEntry[]): SafeHtml {
  const { t, lang } = ctx;
  if (entries.length === 0) return html`<p>${t('audit.empty')}</p>`;
  return html`<div class="scroll" tabindex="0"><table>
  <thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.details')}</th></tr></thead>
  <tbody>${entries.map(
    (e) => html`<tr><td>${formatDate(lang, e.at)}</td><td>${e.who} <span class="muted">(${t(e.role === 'editor' ? 'role.editor' : 'role.viewer')})</span></td><td>${t(`audit.action.${e.action}`)}</td><td>${e.details}</td></tr>`,
  )}</tbody>
</table></div>`;
}
