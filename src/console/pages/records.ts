/**
 * Records: find a company, account, lead or person by name or by its CRM id, pick it in the results,
 * and see the explain view, with "rescore now" for editors.
 */
import type { CrmName, RecordMatch } from '../../connectors/port.ts';
import type { Explanation } from '../../pipeline/explain.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type PageContext } from '../layout.ts';
import { explainView } from './explain-view.ts';

export interface RecordsQuery {
  crm?: CrmName;
  objectType?: string;
  id?: string;
  /** The text searched by name. */
  q?: string;
}

export interface RecordsData {
  /** CRM → synced object types. */
  targets: ReadonlyArray<{ crm: CrmName; objectTypes: readonly string[] }>;
  query: RecordsQuery;
  explanation?: Explanation;
  /** Records found by name (at most a few dozen). */
  matches?: ReadonlyArray<RecordMatch & { crm: CrmName; objectType: string }>;
}

function matchList(ctx: PageContext, data: RecordsData): SafeHtml | string {
  const { t } = ctx;
  const list = data.matches;
  if (list === undefined) return '';
  if (list.length === 0) return html`<p role="status">${t('records.noMatch', { text: data.query.q ?? '' })}</p>`;
  const link = (m: (typeof list)[number]) => `/console/records?${new URLSearchParams({ target: `${m.crm}:${m.objectType}`, id: m.id }).toString()}`;
  return html`<section aria-labelledby="matches-h">
  <h2 id="matches-h">${t('records.results', { count: list.length })}</h2>
  <div class="scroll" tabindex="0"><table class="matches">
    <thead><tr><th scope="col">${t('records.name')}</th><th scope="col">${t('records.detail')}</th><th scope="col">${t('overview.objectType')}</th><th scope="col">${t('records.id')}</th></tr></thead>
    <tbody>${list.map((m) => html`<tr><th scope="row"><a href="${link(m)}">${m.name}</a></th><td>${m.detail ?? ''}</td><td>${m.crm} — <code>${m.objectType}</code></td><td><code>${m.id}</code></td></tr>`)}</tbody>
  </table></div>
</section>`;
}

function targetOptions(ctx: PageContext, data: RecordsData): SafeHtml {
  const q = data.query;
  return html`${data.targets.map(
    (target) => html`<optgroup label="${target.crm}">
      <option value="${target.crm}:"${q.crm === target.crm && q.objectType === undefined ? html` selected` : ''}>${target.crm} — ${ctx.t('records.anyType')}</option>
      ${target.objectTypes.map((type) => html`<option value="${target.crm}:${type}"${q.crm === target.crm && q.objectType === type ? html` selected` : ''}>${target.crm} — ${type}</option>`)}
    </optgroup>`,
  )}`;
}

export function renderRecords(ctx: PageContext, data: RecordsData): SafeHtml {
  const { t } = ctx;
  const e = data.explanation;
  const rescore =
    e !== undefined && ctx.session?.role === 'editor'
      ? html`<form method="post" action="/console/records/rescore" class="inline">
          ${csrfField(ctx)}
          <input type="hidden" name="crm" value="${e.crm}"><input type="hidden" name="objectType" value="${e.objectType}"><input type="hidden" name="id" value="${e.id}">
          <button type="submit">${t('records.rescore')}</button>
        </form>`
      : '';
  return html`<form method="get" action="/console/records" class="search" role="search">
  <label for="target">CRM</label>
  <select id="target" name="target">${targetOptions(ctx, data)}</select>
  <label for="q">${t('records.search')}</label>
  <input id="q" name="q" type="search" value="${data.query.q ?? data.query.id ?? ''}" required maxlength="200" aria-describedby="q-help" autocomplete="off" spellcheck="false">
  <button type="submit">${t('records.find')}</button>
  <p id="q-help" class="help">${t('records.search.help')}</p>
</form>
${matchList(ctx, data)}
${rescore}
${e === undefined ? '' : explainView(ctx, e)}`;
}
